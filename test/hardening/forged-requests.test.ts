/**
 * Requests that did not come from Slack, or came from Slack once: unsigned,
 * forged (a wrong signature) and stale (a right signature, an old timestamp)
 * slash commands, clicks and modal submissions are refused with 401; the
 * very bytes of a valid signed request sent again more than five minutes
 * later are refused too; and one sent again at once (a replay Slack's
 * signature cannot tell from the original) changes nothing a second time.
 * test/e2e/review.test.ts covers the same for events.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { interactiveBody } from '../../src/standin/slack/payloads/interactive.js';
import type { Delivery } from '../../src/standin/slack/deliverer.js';
import { ALICE, BOT_USER, CHANNEL, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { currentQuestionOf, startReview, stateOf, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';

let h: Harness;
let review: StartedReview;

beforeAll(async () => {
  h = await startHarness();
  review = await startReview(h, '--flow quick-check Forgery target', ALICE);
  // Two typed answers, so the review waits on a question with buttons.
  for (const text of ['People want honest answers quickly.', 'Tickets closed per hour.']) {
    const question = (await currentQuestionOf(h, review))!;
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
    await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, 'an answer');
  }
  // The suggestions the second answer brings land before anything is measured.
  await waitUntil(async () => (await stateOf(h, review.reviewId)).suggestions.length > 0 && (await h.store.peek(TEAM, review.reviewId)) === null, 'the suggestions');
  await h.slack.settled();
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await h.close();
});

const FORM = 'application/x-www-form-urlencoded';
const now = () => Math.floor(Date.now() / 1000);

function commandBody(text: string): string {
  return new URLSearchParams({ token: 'x', team_id: TEAM, team_domain: 'standin', channel_id: CHANNEL, channel_name: 'ai-reviews', user_id: ALICE, user_name: 'alice', command: '/alignment-review', text, api_app_id: 'A0APP', response_url: `${h.slack.url}/response/none`, trigger_id: `${now()}.1.forged` }).toString();
}

function clickBody(): string {
  const question = h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && JSON.stringify(message.blocks ?? []).includes('ar_answer_option_0')).at(-1)!;
  const button = JSON.stringify(question.blocks).match(/\\"r\\":\\"(R[A-Z0-9]+)\\",\\"q\\":\\"([a-z_-]+)\\",\\"o\\":\\"([a-z_]+)\\"/);
  return interactiveBody({
    type: 'block_actions',
    user: { id: ALICE, team_id: TEAM },
    team: { id: TEAM },
    channel: { id: CHANNEL },
    container: { type: 'message', message_ts: question.ts, channel_id: CHANNEL },
    message: { ts: question.ts, thread_ts: review.threadTs },
    actions: [{ action_id: 'ar_answer_option_0', type: 'button', value: JSON.stringify({ r: button![1], q: button![2], o: button![3] }), action_ts: `${now()}.000900` }],
  });
}

function modalBody(): string {
  return interactiveBody({
    type: 'view_submission',
    team: { id: TEAM },
    user: { id: ALICE, team_id: TEAM },
    view: {
      id: 'V0FORGED',
      callback_id: 'ar_start_review',
      private_metadata: JSON.stringify({ channelId: CHANNEL }),
      state: { values: { ar_in_flow: { ar_flow: { type: 'static_select', selected_option: { value: 'quick-check' } } }, ar_in_system: { ar_system: { type: 'plain_text_input', value: 'Forged system' } } } },
    },
  });
}

interface Snapshot {
  history: number;
  reviews: number;
  botPosts: number;
}

async function snapshot(): Promise<Snapshot> {
  return {
    history: (await stateOf(h, review.reviewId)).history.length,
    reviews: (await h.store.listByChannel(TEAM, CHANNEL, 100)).length,
    botPosts: h.slack.world.messages.filter((message) => message.user === BOT_USER).length,
  };
}

/**
 * Until every review in the channel has posted what it committed: a review is
 * listed as soon as it is stored, a moment before its first question goes out.
 */
async function allPosted(): Promise<void> {
  await waitUntil(async () => {
    for (const listed of await h.store.listByChannel(TEAM, CHANNEL, 100)) if ((await h.store.outbox(TEAM, listed.reviewId)).length > 0) return false;
    return true;
  }, 'every review’s messages posted');
}

/** Sends a captured delivery again, byte for byte, with its original signature and timestamp. */
function replay(delivery: Delivery): Promise<Response> {
  return fetch(`http://127.0.0.1:${h.server.port}/slack/events`, { method: 'POST', headers: delivery.headers, body: delivery.body });
}

describe('requests that did not come from Slack', () => {
  it.each([
    ['a slash command', () => commandBody('Forged system')],
    ['a click', () => clickBody()],
    ['a modal submission', () => modalBody()],
  ])('%s: unsigned, forged and stale are refused with 401 and change nothing', async (_kind, body) => {
    const before = await snapshot();
    const unsigned = await h.slack.deliverRaw({ contentType: FORM, body: body(), sign: false });
    const forged = await h.slack.deliverRaw({ contentType: FORM, body: body(), sign: false, headers: { 'X-Slack-Signature': `v0=${'0'.repeat(64)}`, 'X-Slack-Request-Timestamp': String(now()) } });
    const stale = await h.slack.deliverRaw({ contentType: FORM, body: body(), timestamp: now() - 6 * 60 });
    const fromTheFuture = await h.slack.deliverRaw({ contentType: FORM, body: body(), timestamp: now() + 6 * 60 });
    expect([unsigned.status, forged.status, stale.status, fromTheFuture.status]).toEqual([401, 401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await snapshot()).toEqual(before);
  });
});

describe('a valid signed request sent again', () => {
  it('more than five minutes later is refused with 401, byte for byte the same as when it was accepted', async () => {
    const question = (await currentQuestionOf(h, review))!;
    const beforeCommand = h.slack.deliveries.length;
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check Replayed later' });
    const command = h.slack.deliveries[beforeCommand]!;
    const message = h.slack.world.messages.filter((item) => item.threadTs === review.threadTs && JSON.stringify(item.blocks ?? []).includes('ar_answer_option_0')).at(-1)!;
    const beforeClick = h.slack.deliveries.length;
    await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId: 'ar_answer_option_0' });
    const click = h.slack.deliveries[beforeClick]!;
    await waitForVersion(h, review, (state) => Boolean(state.answers[question.id]), 'the click applied');
    await waitUntil(async () => (await h.store.listByChannel(TEAM, CHANNEL, 100)).length === 2, 'the second review');
    await h.slack.settled();
    const before = await snapshot();

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * 60_000 + 30_000);
    const late = [await replay(command), await replay(click)];
    vi.useRealTimers();
    expect(late.map((response) => response.status)).toEqual([401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await snapshot()).toEqual(before);
    recordFigure('replays', { lateReplaysRefused: 2 });
  });

  it('at once (within the five minutes) is accepted as Slack’s but changes nothing a second time', async () => {
    const question = (await currentQuestionOf(h, review))!;
    const message = h.slack.world.messages.filter((item) => item.threadTs === review.threadTs && JSON.stringify(item.blocks ?? []).includes('ar_answer_option_0')).at(-1)!;
    const beforeClick = h.slack.deliveries.length;
    await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId: 'ar_answer_option_1' });
    const click = h.slack.deliveries[beforeClick]!;
    await waitForVersion(h, review, (state) => Boolean(state.answers[question.id]), 'the click applied');
    const beforeCommand = h.slack.deliveries.length;
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check Replayed at once' });
    const command = h.slack.deliveries[beforeCommand]!;
    await waitUntil(async () => (await h.store.listByChannel(TEAM, CHANNEL, 100)).length === 3, 'the third review');
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '' });
    const viewId = await waitUntil(() => h.slack.world.modalStacks[ALICE]?.at(-1), 'the start modal');
    const beforeSubmit = h.slack.deliveries.length;
    await h.slack.submitView({ userId: ALICE, viewId, values: { ar_in_flow: { ar_flow: 'quick-check' }, ar_in_system: { ar_system: 'Replayed modal' } } });
    const submission = h.slack.deliveries[beforeSubmit]!;
    await waitUntil(async () => (await h.store.listByChannel(TEAM, CHANNEL, 100)).length === 4, 'the fourth review');
    await h.slack.settled();
    await allPosted();
    const before = await snapshot();
    const again = [await replay(click), await replay(command), await replay(submission)];
    expect(again.map((response) => response.status)).toEqual([200, 200, 200]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await h.slack.settled();
    expect(await snapshot()).toEqual(before);
    recordFigure('replays-at-once', { replays: 3, changed: 0 });
  });
});
