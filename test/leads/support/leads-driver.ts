/** Acting as leads through the stand-in, and reading what they see: App Home, modals, private notes, files. */
import type { WorldEphemeral, WorldFile, WorldMessage, WorldView } from '../../../src/standin/slack/index.js';
import { BOT_USER, CHANNEL, LEADS, type Harness } from '../../support/app-harness.js';
import { answerByTyping, startReview, waitForSummaryCard, type StartedReview } from '../../support/review-driver.js';

export async function finishedReview(h: Harness, name: string, userId: string, channelId = CHANNEL): Promise<StartedReview & { card: WorldMessage }> {
  const review = await startReview(h, `--flow quick-check ${name}`, userId, channelId);
  await answerByTyping(h, review, userId);
  const card = await waitForSummaryCard(h, review);
  await h.slack.waitFor((view) => view.world.messages.find((message) => message.channel === LEADS && JSON.stringify(message.blocks ?? []).includes(review.reviewId)), {
    description: `the leads' card of ${review.reviewId}`,
  });
  return { ...review, card };
}

/** The summary card's last message: the one carrying the buttons. */
export function cardWithButtons(h: Harness, review: StartedReview): WorldMessage {
  const found = h.slack.world.messages
    .filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && JSON.stringify(message.blocks ?? []).includes('ar_sign_off'))
    .at(-1);
  if (!found) throw new Error(`no summary card with buttons in ${review.threadTs}`);
  return found;
}

export function leadsCardOf(h: Harness, reviewId: string): WorldMessage {
  const found = h.slack.world.messages.find((message) => message.channel === LEADS && JSON.stringify(message.blocks ?? []).includes(reviewId));
  if (!found) throw new Error(`no leads' card for ${reviewId}`);
  return found;
}

export function homeOf(h: Harness, userId: string): WorldView | undefined {
  const id = h.slack.world.homeViews[userId];
  return id ? h.slack.world.views[id] : undefined;
}

export function homeBlocksText(h: Harness, userId: string): string {
  return JSON.stringify(homeOf(h, userId)?.definition.blocks ?? []);
}

/** Opens the Home tab and waits for a publish made after it. */
export async function openHome(h: Harness, userId: string): Promise<WorldView> {
  const before = homeOf(h, userId)?.hash;
  await h.slack.openHome({ userId });
  return h.slack.waitFor(
    () => {
      const home = homeOf(h, userId);
      return home && home.hash !== before ? home : undefined;
    },
    { description: `the home of ${userId}` },
  );
}

/**
 * Opens the Home tab and waits until it shows what `ready` looks for: a
 * background refresh started before the last change may land just before
 * the publish the opening asked for.
 */
export async function openHomeUntil(h: Harness, userId: string, ready: (text: string) => boolean, what: string): Promise<WorldView> {
  await h.slack.openHome({ userId });
  return h.slack.waitFor(
    () => {
      const home = homeOf(h, userId);
      return home && ready(JSON.stringify(home.definition.blocks ?? [])) ? home : undefined;
    },
    { description: `the home of ${userId} showing ${what}` },
  );
}

export function topModalOf(h: Harness, userId: string): WorldView | undefined {
  const id = h.slack.world.modalStacks[userId]?.at(-1);
  const view = id ? h.slack.world.views[id] : undefined;
  return view && !view.closed ? view : undefined;
}

export function ephemeralsOf(h: Harness, userId: string, since = 0): WorldEphemeral[] {
  return h.slack.world.ephemerals.filter((item) => item.userId === userId && item.seq > since);
}

export async function waitForEphemeral(h: Harness, userId: string, pattern: RegExp, since = 0): Promise<WorldEphemeral> {
  return h.slack.waitFor(() => ephemeralsOf(h, userId, since).find((item) => pattern.test(item.text)), { description: `a private note to ${userId} matching ${pattern}` });
}

export function filesIn(h: Harness, channelId: string, threadTs?: string): WorldFile[] {
  return h.slack.world.files.filter((file) => file.completed && file.channel === channelId && (threadTs === undefined || file.threadTs === threadTs));
}

/** The direct-message channel between a person and the app, once the app has opened it. */
export function dmChannelOf(h: Harness, userId: string): string | undefined {
  return h.slack.world.channels.find((channel) => channel.isIm && channel.members.includes(userId))?.id;
}

/** Files the app sent a person privately, in its direct messages with them. */
export function filesSentTo(h: Harness, userId: string): WorldFile[] {
  const channelId = dmChannelOf(h, userId);
  return channelId ? filesIn(h, channelId) : [];
}
