/**
 * Edges of the note a reply gets in a deleted review's thread
 * (deleted-thread-reply.test.ts has the note itself):
 *
 * - A review that named its respondents, in a thread the process has cached:
 *   a non-respondent's reply or edit after the deletion is told of the
 *   deletion, not that only the respondents may answer (the review is gone).
 * - Slack's retries of the same event (X-Slack-Retry-Num, after a first
 *   delivery that timed out once the note was out), and the same message
 *   delivered again under a new event id, are told nothing more: one note per
 *   reply or edit, whichever way the process finds the review gone.
 *
 * The whole app, the stand-in and a real Redis; Dan is a lead.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorldEphemeral } from '../../src/standin/slack/index.js';
import type { ReviewStore } from '../../src/store/types.js';
import { ALICE, BOB, BOT_USER, CHANNEL, TEAM } from '../support/app-harness.js';
import { currentQuestionOf, startReview, typicalReply, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { ephemeralsOf, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
});

afterEach(async () => {
  await h.close();
});

const DELETED_MESSAGE = /^:wastebasket: This review was deleted by <@U\w+> on .* UTC, so there is nothing left to answer\. Your message was not recorded\.$/;
const DELETED_EDIT = /^:wastebasket: This review was deleted by <@U\w+> on .* UTC, so there is nothing left to answer\. Your edit was not applied\.$/;

/** Starts a review through the start form, naming its respondents. */
async function startWithRespondents(system: string, respondents: string[]): Promise<StartedReview> {
  await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '' });
  const viewId = await waitUntil(() => h.slack.world.modalStacks[ALICE]?.at(-1), 'the start modal');
  await h.slack.submitView({
    userId: ALICE,
    viewId,
    values: { ar_in_flow: { ar_flow: 'quick-check' }, ar_in_system: { ar_system: system }, ar_in_respondents: { ar_respondents: respondents } },
  });
  const root = await h.slack.waitFor((view) => view.world.messages.find((message) => !message.threadTs && message.user === BOT_USER && message.text.includes(system)), {
    description: `the root of ${system}`,
  });
  const review = { reviewId: await waitUntil(() => h.store.findByThread(TEAM, CHANNEL, root.ts), 'the review'), threadTs: root.ts, channelId: CHANNEL };
  await waitUntil(() => currentQuestionOf(h, review), 'the first question');
  return review;
}

/** Asks for the deletion, confirms it, and waits until the person is told it was deleted and Slack has settled. */
async function deleteConfirmed(reviewId: string, userId: string): Promise<void> {
  await h.slack.slashCommand({ userId, channelId: CHANNEL, command: '/alignment-review', text: `delete ${reviewId}` });
  const confirmation = await h.slack.waitFor(() => topModalOf(h, userId), { description: `the confirmation for ${userId}` });
  await h.slack.submitView({ userId, viewId: confirmation.id });
  await waitForEphemeral(h, userId, /were deleted/);
  await h.slack.settled();
}

/** What the app said privately to `userId` in the review's thread since the world's `seq`. */
function notesInThread(review: StartedReview, userId: string, since: number): WorldEphemeral[] {
  return ephemeralsOf(h, userId, since).filter((note) => note.channel === review.channelId && note.threadTs === review.threadTs);
}

async function say(review: StartedReview, userId: string, text: string): Promise<string> {
  const { ts } = await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text });
  return ts;
}

async function answerCurrentQuestion(review: StartedReview, userId: string): Promise<string> {
  const question = (await currentQuestionOf(h, review))!;
  const ts = await say(review, userId, typicalReply(question, 1));
  await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
  return ts;
}

/**
 * Slack delivers the last event again, three times, as it does after a first delivery that timed out; then a
 * fresh reply of the same person, whose note shows the app has got through the retries before it, is told.
 */
async function retriedThreeTimes(review: StartedReview, userId: string): Promise<void> {
  for (const retryNum of [1, 2, 3] as const) expect((await h.slack.redeliverLastEvent({ retryNum, retryReason: 'http_timeout' })).status).toBe(200);
  const seq = h.slack.world.seq;
  await say(review, userId, 'Is anyone there?');
  await waitForEphemeral(h, userId, DELETED_MESSAGE, seq);
  await h.slack.settled();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe('a non-respondent in a deleted review’s thread the process has cached', () => {
  it('is told of the deletion, for a reply and an edit, not that only the respondents may answer; once, whatever Slack retries', async () => {
    const review = await startWithRespondents('Alice answers', [ALICE]);
    // Bob's refusal while the review is there: the process now has the thread, and its respondents, cached.
    let seq = h.slack.world.seq;
    const bobTs = await say(review, BOB, 'I think the goal is speed.');
    expect((await waitForEphemeral(h, BOB, /can answer this review/, seq)).text).toBe(`Only <@${ALICE}> can answer this review. Your message was not recorded.`);
    await answerCurrentQuestion(review, ALICE);
    await deleteConfirmed(review.reviewId, DAN);

    seq = h.slack.world.seq;
    await say(review, BOB, 'Still, the goal is speed.');
    await waitForEphemeral(h, BOB, /deleted/, seq);
    await retriedThreeTimes(review, BOB);
    const afterReply = notesInThread(review, BOB, seq).map((note) => note.text);
    expect(afterReply).toHaveLength(2);
    for (const text of afterReply) expect(text).toMatch(DELETED_MESSAGE);
    expect(afterReply[0]).toContain(`<@${DAN}>`);

    seq = h.slack.world.seq;
    await h.slack.editMessage({ userId: BOB, channelId: CHANNEL, ts: bobTs, text: 'I think the goal is fairness.' });
    await waitForEphemeral(h, BOB, /deleted/, seq);
    await retriedThreeTimes(review, BOB);
    const afterEdit = notesInThread(review, BOB, seq).map((note) => note.text);
    expect(afterEdit).toHaveLength(2);
    expect(afterEdit[0]).toMatch(DELETED_EDIT);
    expect(afterEdit[1]).toMatch(DELETED_MESSAGE);
    expect(notesInThread(review, BOB, 0).filter((note) => /can answer this review/.test(note.text))).toHaveLength(1);
  });
});

/** Counts the app's calls of one store method from now on. */
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

describe('a live review that named its respondents, in a thread the process has cached', () => {
  it('costs a respondent’s reply no look for a deletion; a refusal looks once, and takes no mark', async () => {
    const review = await startWithRespondents('Alice answers', [ALICE]);
    await answerCurrentQuestion(review, ALICE);
    await h.slack.settled();
    const looks = countCalls('findThreadDeletion');
    const marks = countCalls('markDeletedThreadNote');

    await answerCurrentQuestion(review, ALICE);
    await h.slack.settled();
    expect(looks.count).toBe(0);
    expect(marks.count).toBe(0);

    const seq = h.slack.world.seq;
    await say(review, BOB, 'I think the goal is speed.');
    expect((await waitForEphemeral(h, BOB, /can answer this review/, seq)).text).toBe(`Only <@${ALICE}> can answer this review. Your message was not recorded.`);
    expect(looks.count).toBe(1);
    expect(marks.count).toBe(0);
  });
});

describe('Slack’s retries of a reply in a deleted review’s thread', () => {
  it('are told nothing more, by a process that never served the thread; nor the same message under a new event id', async () => {
    const review = await startReview(h, '--flow quick-check Resume screener', ALICE);
    await deleteConfirmed(review.reviewId, ALICE);

    const seq = h.slack.world.seq;
    await say(review, BOB, 'The goal is to shortlist fairly.');
    await waitForEphemeral(h, BOB, /deleted/, seq);
    const original = h.slack.deliveries.filter((delivery) => delivery.kind === 'event' && delivery.body.includes('shortlist fairly')).at(0)!;
    const copy = JSON.parse(original.body) as { event_id: string };
    copy.event_id = 'Ev0DUPLICATE';
    expect((await h.slack.deliverRaw({ contentType: 'application/json', body: JSON.stringify(copy) })).status).toBe(200);
    await retriedThreeTimes(review, BOB);

    const notes = notesInThread(review, BOB, seq).map((note) => note.text);
    // The reply's note, and the fresh reply's: nothing for the retries or the copy.
    expect(notes).toHaveLength(2);
    for (const text of notes) expect(text).toMatch(DELETED_MESSAGE);
  });

  it('are told nothing more by the process that served the thread, for a reply, a word and an edit', async () => {
    const review = await startReview(h, '--flow quick-check Resume screener', ALICE);
    const answerTs = await answerCurrentQuestion(review, ALICE);
    await deleteConfirmed(review.reviewId, DAN);

    let seq = h.slack.world.seq;
    await say(review, ALICE, 'One more thing about the goal.');
    await waitForEphemeral(h, ALICE, /deleted/, seq);
    await retriedThreeTimes(review, ALICE);
    expect(notesInThread(review, ALICE, seq)).toHaveLength(2);

    seq = h.slack.world.seq;
    await say(review, ALICE, 'status');
    await waitForEphemeral(h, ALICE, /deleted/, seq);
    await retriedThreeTimes(review, ALICE);
    expect(notesInThread(review, ALICE, seq)).toHaveLength(2);

    seq = h.slack.world.seq;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: answerTs, text: 'Shortlist candidates fairly, on the job’s real needs.' });
    await waitForEphemeral(h, ALICE, DELETED_EDIT, seq);
    await retriedThreeTimes(review, ALICE);
    const notes = notesInThread(review, ALICE, seq).map((note) => note.text);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(DELETED_EDIT);
  });
});
