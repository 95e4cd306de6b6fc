/**
 * Starts that a process began and never finished: it died (SIGKILL, out of
 * memory, a lost machine) after Slack had its ack and before the review was
 * stored. Slack never sends an acknowledged command again, so without this
 * the person saw nothing happen, or a root message with no questions under
 * it, and was never told why.
 *
 * Each start is noted in the store before its ack (start-review.ts,
 * noteStart), noted again with its root message once that is posted, and
 * cleared when the start is done or the person was told why not. The look
 * for work left behind (resume-sweep.ts) claims the starts noted longer ago
 * than any start takes (LOST_START_SECONDS; a start's Web API retries give
 * up within 30 s) and, for each:
 *  - a start whose review was stored after all (the process died just
 *    before clearing its note): nothing to say;
 *  - otherwise the person is told privately, through the command's
 *    response_url (valid for 30 minutes) or in the channel, and a root
 *    message already posted says the review did not start. A root message
 *    whose ts was never noted (Slack posted it, the process died before it
 *    heard) is looked for in the channel by its mark, the start's id.
 */
import type { WebClient } from '@slack/web-api';
import { fromSlack } from '../slack/blocks/text.js';
import { COMMAND } from '../slack/ids.js';
import { sayPrivatelyAt } from '../slack/response-url.js';
import { chatClientFor, markOf, postMarkOf } from '../slack/chat-client.js';
import type { ClaimedStart, PendingStart } from '../store/types.js';
import type { ReviewDeps } from './deps.js';
import { errorMessage } from '../logger.js';

/** Starts claimed per look; more wait for the next one. */
const LOST_STARTS_PER_LOOK = 100;
/** How far before its note a start's root message is looked for: Slack's clock and this machine's may differ a little. */
const ROOT_LOOKBACK_SECONDS = 120;

/** The mark a start's root message carries in its metadata: its start's id, which the note keeps. */
export function rootMark(startId: string): ReturnType<typeof postMarkOf> {
  return postMarkOf(`start:${startId}`);
}

/**
 * The ts of a start's root message whose post the process never heard back
 * from: the channel's messages since the start was noted, read for its mark.
 * Undefined when it is not there (never posted) or the read failed.
 */
async function findRoot(deps: ReviewDeps, client: WebClient, teamId: string, startId: string, start: PendingStart): Promise<string | undefined> {
  const mark = rootMark(startId).event_payload.post;
  try {
    const page = await chatClientFor(client).conversations.history({
      channel: start.channelId,
      oldest: (start.notedAt / 1000 - ROOT_LOOKBACK_SECONDS).toFixed(6),
      include_all_metadata: true,
      limit: 200,
    });
    return page.messages?.find((message) => markOf(message) === mark)?.ts;
  } catch (error) {
    deps.logger.warn({ teamId, channel: start.channelId, err: errorMessage(error) }, 'Could not look for the root message of a start that did not finish');
    return undefined;
  }
}

function startAgain(systemName: string): string {
  return `\`${COMMAND} ${fromSlack(systemName)}\``;
}

/** What the person who started it is told. */
export function lostStartMessage(systemName: string): string {
  return `:warning: I could not start the review of *${fromSlack(systemName)}*: the app stopped while starting it. Please start it again with ${startAgain(systemName)}.`;
}

/** What a root message whose review did not start says instead, so nobody waits for questions under it. */
export function notStartedRootText(systemName: string, why: string): string {
  return `:warning: This review of *${fromSlack(systemName)}* did not start: ${why}. Start it again with ${startAgain(systemName)}.`;
}

export function lostStartRootText(systemName: string): string {
  return notStartedRootText(systemName, 'the app stopped while starting it');
}

/** Replaces a root message with `text`; a failure is only logged (the person is told privately in any case). */
export async function markRootNotStarted(deps: ReviewDeps, client: WebClient, where: { teamId: string; channelId: string; rootTs: string }, text: string): Promise<void> {
  await client.chat
    .update({ channel: where.channelId, ts: where.rootTs, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] })
    .catch((error: unknown) => deps.logger.warn({ teamId: where.teamId, channel: where.channelId, err: errorMessage(error) }, 'Could not mark the root message of a review that did not start'));
}

async function tellPerson(client: WebClient, start: PendingStart, text: string): Promise<void> {
  const reached = start.responseUrl ? await sayPrivatelyAt(start.responseUrl, text).then(() => true, () => false) : false;
  if (reached) return;
  await client.chat.postEphemeral({ channel: start.channelId, user: start.userId, text });
}

async function settle(deps: ReviewDeps, claimed: ClaimedStart & { start: PendingStart }): Promise<boolean> {
  const { teamId, start } = claimed;
  if (start.rootTs && (await deps.store.findByThread(teamId, start.channelId, start.rootTs))) return false;
  const client = await deps.clientFor(teamId, start.enterpriseId);
  const rootTs = start.rootTs ?? (await findRoot(deps, client, teamId, claimed.startId, start));
  // Found only now: its review may have been stored all the same, its ts never noted.
  if (rootTs && !start.rootTs && (await deps.store.findByThread(teamId, start.channelId, rootTs))) return false;
  if (rootTs) await markRootNotStarted(deps, client, { teamId, channelId: start.channelId, rootTs }, lostStartRootText(start.systemName));
  await tellPerson(client, start, lostStartMessage(start.systemName));
  deps.logger.warn({ teamId, channel: start.channelId, rootPosted: Boolean(rootTs), rootFound: Boolean(rootTs && !start.rootTs) }, 'Told a person their review did not start: the process starting it stopped');
  return true;
}

/** One look: claims the starts noted more than `lostAfterMs` ago and settles each. Resolves to how many people were told. */
export async function tellLostStarts(deps: ReviewDeps, lostAfterMs: number): Promise<number> {
  const claimed = await deps.store.claimLostStarts(deps.now().getTime() - lostAfterMs, LOST_STARTS_PER_LOOK);
  let told = 0;
  for (const item of claimed) {
    if (!item.start) continue;
    try {
      if (await settle(deps, { ...item, start: item.start })) told += 1;
    } catch (error) {
      // Claimed, so no other look tells them twice; a person we could not reach is only logged.
      deps.logger.warn({ teamId: item.teamId, channel: item.start.channelId, err: errorMessage(error) }, 'Could not tell a person their review did not start');
    }
  }
  return told;
}
