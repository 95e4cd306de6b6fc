/**
 * A review deleted while a drain of it is sending messages: whatever the
 * drain sends, before its commit or after it, ends with the deletion's look
 * and no buttons, however its calls and the deletion's interleave in Slack.
 * A card update held up by a rate limit until the deletion has marked the
 * card (the stand-in answers 429 until then), and a question or card posted
 * just before the store hears of it (the deletion runs right before the
 * drain's next write). The whole app, the stand-in and a real Redis; the
 * deletion goes through the confirmation as a person's would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findQuestion } from '../../src/engine/index.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import type { ReviewStore } from '../../src/store/types.js';
import { ALICE, BOT_USER, CHANNEL, LEADS, TEAM } from '../support/app-harness.js';
import { startReview, stateOf, typicalReply, waitUntil, type StartedReview } from '../support/review-driver.js';
import { answerThrough, questionMessage, waitForSuggestionsMessage } from '../support/suggestion-helpers.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, finishedReview, leadsCardOf, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
});

afterEach(async () => {
  await h.close();
});

/** Asks for the deletion and confirms it; resolves once its own updates are done (the person is told after them). */
async function deleteConfirmed(reviewId: string, userId = ALICE): Promise<void> {
  const seq = h.slack.world.seq;
  await h.slack.slashCommand({ userId, channelId: CHANNEL, command: '/alignment-review', text: `delete ${reviewId}` });
  const confirmation = await h.slack.waitFor(() => topModalOf(h, userId), { description: `the confirmation for ${userId}` });
  await h.slack.submitView({ userId, viewId: confirmation.id });
  await waitForEphemeral(h, userId, /were deleted/, seq);
}

function messageAt(ts: string): WorldMessage {
  const found = h.slack.world.messages.find((message) => message.ts === ts);
  if (!found) throw new Error(`no message at ${ts}`);
  return found;
}

/** Blocks as the app sent them: JSON from the app's own client, a JSON string in Bolt's form-encoded calls. */
function hasButtons(blocks: unknown): boolean {
  return (typeof blocks === 'string' ? blocks : JSON.stringify(blocks ?? [])).includes('"type":"button"');
}

function threadMessages(review: StartedReview): WorldMessage[] {
  return h.slack.world.messages.filter((message) => message.ts === review.threadTs || message.threadTs === review.threadTs);
}

function lastCallId(): number {
  return h.slack.calls.at(-1)?.id ?? 0;
}

/** "deleted by <@U0ALICE> on 2026-11-27 09:41 UTC": what each marked message says. */
const DELETED_BY_ALICE = new RegExp(`deleted by <@${ALICE}> on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\.`);

function expectMarkedDeleted(message: WorldMessage): void {
  expect(hasButtons(message.blocks)).toBe(false);
  expect(message.text).toMatch(DELETED_BY_ALICE);
}

/**
 * Every update of the message at `ts` that would bring buttons back is
 * answered 429 (Retry-After 1 s, which the app's client waits out and
 * tries again) until the message shows the deletion: then the next try
 * lands, after the deletion's own update.
 */
function rateLimitButtonsUntilDeleted(ts: string): void {
  h.slack.failNext('chat.update', {
    error: 'ratelimited',
    retryAfter: 1,
    times: 20,
    onlyIf: (args) => args.ts === ts && hasButtons(args.blocks) && !DELETED_BY_ALICE.test(messageAt(ts).text),
  });
}

function rateLimited(ts: string, sinceCall: number): boolean {
  return h.slack.calls.some((call) => call.id > sinceCall && call.method === 'chat.update' && call.args.ts === ts && call.status === 429);
}

/** The race took place: an update bringing buttons back landed after the deletion's update of the same message. */
function buttonsLandedAfterDeletion(ts: string, sinceCall: number): boolean {
  const updates = h.slack.calls.filter((call) => call.id > sinceCall && call.method === 'chat.update' && call.args.ts === ts && call.status === 200);
  const deletion = updates.findIndex((call) => !hasButtons(call.args.blocks) && DELETED_BY_ALICE.test(String(call.args.text)));
  return deletion >= 0 && updates.slice(deletion + 1).some((call) => hasButtons(call.args.blocks));
}

const WRITES = ['commit', 'unlock', 'outboxDone'] as const;

/**
 * Runs the deletion once `sent()` finds the drain's message in Slack, right
 * before the drain's next write to the store (the write that would store its
 * ref or apply its step), then lets that write go on. Resolves with what
 * `sent()` found, as it was then, once the deletion is done.
 */
function deleteBeforeNextWriteOnceSent<T>(reviewId: string, sent: () => T | undefined): Promise<T> {
  const store = h.store as unknown as Record<(typeof WRITES)[number], (...args: unknown[]) => Promise<unknown>>;
  const originals = WRITES.map((name) => [name, store[name]] as const);
  const restore = () => originals.forEach(([name, original]) => (store[name] = original));
  return new Promise<T>((resolve, reject) => {
    for (const [name, original] of originals) {
      store[name] = async (...args: unknown[]) => {
        const found = sent();
        if (found !== undefined) {
          restore();
          // A copy: the world's message changes in place with the updates that follow.
          const seen = structuredClone(found);
          await deleteConfirmed(reviewId).then(() => resolve(seen), reject);
        }
        return original.apply(h.store, args);
      };
    }
  });
}

async function drainDone(review: StartedReview): Promise<void> {
  await waitUntil(() => !h.server.inbox.isDraining(TEAM, review.reviewId), `the drain of ${review.reviewId} to end`);
  await h.slack.settled();
}

/** Edits the answer to the review's first question, as its author would in Slack. */
async function editFirstAnswer(review: StartedReview): Promise<void> {
  const answer = (await stateOf(h, review.reviewId)).answers.human_goal!;
  await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: answer.messageTs!, text: 'Shortlist candidates fairly, on the real needs of the job, and say why each was chosen.' });
}

/** Answers each question in turn until the review is no longer stored. */
async function answerUntilDeleted(review: StartedReview): Promise<void> {
  for (let index = 1; index < 80; index++) {
    await waitUntil(() => !h.server.inbox.isDraining(TEAM, review.reviewId), 'the drain to end');
    const record = await h.store.get(TEAM, review.reviewId);
    if (!record) return;
    const question = findQuestion(h.server.deps.flows.get(record.state.flowId)!, record.state, record.state.currentQuestionId!)!;
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(question, index) });
    await waitUntil(async () => {
      const now = await h.store.get(TEAM, review.reviewId);
      return !now || now.state.answers[question.id]?.messageTs === ts;
    }, `the answer to ${question.id}`);
  }
  throw new Error('the review was never deleted');
}

/** A quick check answered through its metric: its suggestion card is posted, and the next question (a choice) below it. */
async function reviewWaitingOnGaming(name: string): Promise<StartedReview> {
  const review = await startReview(h, `--flow quick-check ${name}`, ALICE);
  await answerThrough(h, review, ALICE, typicalReply, 'metric');
  await waitForSuggestionsMessage(h, review);
  await h.slack.waitFor(() => questionMessage(h, review, 'gaming'), { description: 'the question after the metric' });
  await h.slack.settled();
  expect((await stateOf(h, review.reviewId)).currentQuestionId).toBe('gaming');
  return review;
}

/** Counts the calls of a store method, passing each through. */
function countCalls(name: keyof ReviewStore): { count: number } {
  const counter = { count: 0 };
  const store = h.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = store[name]!;
  store[name] = (...args: unknown[]) => {
    counter.count += 1;
    return original.apply(h.store, args);
  };
  return counter;
}

describe('a card update held up by a rate limit while the review is deleted', () => {
  it('sent before its commit (an answer edited on a finished review): the cards end deleted, without buttons', async () => {
    const review = await finishedReview(h, 'Loan pricing', ALICE);
    await h.slack.settled();
    const summary = cardWithButtons(h, review);
    const leads = leadsCardOf(h, review.reviewId);
    const since = lastCallId();
    rateLimitButtonsUntilDeleted(summary.ts);

    await editFirstAnswer(review);
    await h.slack.waitFor(() => rateLimited(summary.ts, since), { description: 'the drain’s update of the summary card, refused' });
    await deleteConfirmed(review.reviewId);
    await drainDone(review);

    expect(buttonsLandedAfterDeletion(summary.ts, since)).toBe(true);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expectMarkedDeleted(messageAt(summary.ts));
    expectMarkedDeleted(messageAt(leads.ts));
    expect(threadMessages(review).filter((message) => hasButtons(message.blocks))).toEqual([]);
  });

  it('sent from the outbox after its commit (left there by a Slack outage): the cards end deleted, without buttons', async () => {
    const review = await finishedReview(h, 'Fraud scorer', ALICE);
    await h.slack.settled();
    const summary = cardWithButtons(h, review);
    const leads = leadsCardOf(h, review.reviewId);
    const since = lastCallId();
    // Longer than the client's retries: the edit is committed with the cards' updates left in its outbox, for the retry.
    h.slack.failNext('chat.update', { status: 500, times: 5, onlyIf: (args) => args.ts === summary.ts });
    rateLimitButtonsUntilDeleted(summary.ts);

    await editFirstAnswer(review);
    await h.slack.waitFor(() => rateLimited(summary.ts, since), { description: 'the retry’s update of the summary card, refused', timeoutMs: 15_000 });
    expect((await h.store.outbox(TEAM, review.reviewId)).length).toBeGreaterThan(0);
    await deleteConfirmed(review.reviewId);
    await drainDone(review);

    expect(buttonsLandedAfterDeletion(summary.ts, since)).toBe(true);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expectMarkedDeleted(messageAt(summary.ts));
    expectMarkedDeleted(messageAt(leads.ts));
    expect(threadMessages(review).filter((message) => hasButtons(message.blocks))).toEqual([]);
  });
});

describe('a message posted just before the store hears of it, the review deleted in between', () => {
  it('the next question, posted ahead of its commit: it ends deleted, without buttons', async () => {
    const review = await reviewWaitingOnGaming('Checkout ranker');
    const deleted = deleteBeforeNextWriteOnceSent(review.reviewId, () => questionMessage(h, review, 'acts'));

    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: '1' });
    const asked = await deleted;
    await drainDone(review);

    expect(hasButtons(asked.blocks)).toBe(true);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expectMarkedDeleted(messageAt(asked.ts));
    expect(messageAt(asked.ts).text).toContain('Its answers and history are no longer stored.');
    expect(threadMessages(review).filter((message) => hasButtons(message.blocks))).toEqual([]);
  });

  it('the leads’ card, posted after the last answer’s commit: it ends deleted, without buttons', async () => {
    const review = await startReview(h, '--flow quick-check Queue balancer', ALICE);
    const leadsCard = () => h.slack.world.messages.find((message) => message.channel === LEADS && message.user === BOT_USER && JSON.stringify(message.blocks ?? []).includes(review.reviewId));
    const deleted = deleteBeforeNextWriteOnceSent(review.reviewId, leadsCard);

    await answerUntilDeleted(review);
    const posted = await deleted;
    await drainDone(review);

    expect(hasButtons(posted.blocks)).toBe(true);
    expectMarkedDeleted(messageAt(posted.ts));
    expect(messageAt(posted.ts).text).toContain('Its answers, scores and history are no longer stored.');
    expect(threadMessages(review).filter((message) => hasButtons(message.blocks))).toEqual([]);
  });
});

describe('a reply’s turn, with no deletion', () => {
  it('posts the next question and updates the answered one, and never looks for a deletion', async () => {
    const review = await startReview(h, '--flow quick-check Resume screener', ALICE);
    await h.slack.settled();
    // The start's own drain posts its first question from the outbox and looks for a deletion once it is done: not this turn's.
    await stateOf(h, review.reviewId);
    const looks = countCalls('findDeletion');
    const earlyWrites = countCalls('outboxDone');
    const since = lastCallId();

    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'Shortlist the candidates who fit the job, fairly.' });
    await waitUntil(async () => (await stateOf(h, review.reviewId)).answers.human_goal?.messageTs === ts, 'the answer');
    await h.slack.settled();

    const chatCalls = h.slack.calls.filter((call) => call.id > since && call.method.startsWith('chat.')).map((call) => call.method);
    expect(chatCalls).toEqual(['chat.postMessage', 'chat.update']);
    expect(looks.count).toBe(0);
    expect(earlyWrites.count).toBe(0);
  });
});
