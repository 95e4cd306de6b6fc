/**
 * Slack's Web API failing while a review runs: rate limits (429 with
 * Retry-After) wait and go through, server errors (5xx) are retried with
 * backoff, and permanent refusals are logged with the review id, explained
 * in the thread where that helps, and leave the review's state intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, BOT_USER, CHANNEL, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { logLinesWith } from '../support/fault-checks.js';
import { recordFigure } from '../support/fault-figures.js';
import { answerByTyping, currentQuestionOf, startReview, stateOf, typicalReply, waitForSummaryCard, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

/** Answers the current question by typing; resolves once the answer is stored. */
async function answerCurrent(review: StartedReview, text: string) {
  const question = (await currentQuestionOf(h, review))!;
  const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
  await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
  return question;
}

function questionPosted(review: StartedReview, number: number) {
  return h.slack.waitFor(
    (view) => view.world.messages.find((message) => message.threadTs === review.threadTs && message.user === BOT_USER && (message.text.startsWith(`Question ${number}:`) || message.text.startsWith(`*Question ${number} of`))),
    { description: `question ${number}`, timeoutMs: 10_000 },
  );
}

function failedCalls(method: string, since: number) {
  return h.slack.calls.slice(since).filter((call) => call.method === method && call.response.ok !== true);
}

describe('Web API failures', () => {
  it('a 429 with Retry-After: the next question waits and is posted', async () => {
    const review = await startReview(h, '--flow quick-check Rate limited', ALICE);
    const since = h.slack.calls.length;
    h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const sentAt = Date.now();
    await answerCurrent(review, 'People want honest answers quickly.');
    await questionPosted(review, 2);
    const waitedMs = Date.now() - sentAt;
    expect(failedCalls('chat.postMessage', since).map((call) => call.status)).toEqual([429]);
    expect(waitedMs).toBeGreaterThanOrEqual(900);
    recordFigure('web-api-429', { retryAfterS: 1, waitedMs, posted: 1 });
  });

  it('5xx answers: retried with backoff until the post goes through', async () => {
    const review = await startReview(h, '--flow quick-check Flaky Slack', ALICE);
    const since = h.slack.calls.length;
    h.slack.failNext('chat.postMessage', { status: 500, times: 1 });
    h.slack.failNext('chat.postMessage', { status: 503, times: 1 });
    await answerCurrent(review, 'People want honest answers quickly.');
    await questionPosted(review, 2);
    expect(failedCalls('chat.postMessage', since).map((call) => call.status)).toEqual([500, 503]);
    await answerCurrent(review, 'Tickets closed per hour.');
    await questionPosted(review, 3);
    recordFigure('web-api-5xx', { failures: 2, posted: 2 });
  });

  it('Slack failing for longer than the client retries: the review picks the post up again by itself', async () => {
    const review = await startReview(h, '--flow quick-check Long outage', ALICE);
    const since = h.slack.calls.length;
    // The first try and the client's four retries all fail (about 4.5 s of backoff), then Slack is back.
    h.slack.failNext('chat.postMessage', { status: 503, times: 5 });
    const sentAt = Date.now();
    const first = await answerCurrent(review, 'People want honest answers quickly.');
    const posted = await h.slack.waitFor(
      (view) => view.world.messages.find((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.startsWith('Question 2:')),
      { description: 'question 2, after the outage', timeoutMs: 15_000 },
    );
    const recoveredMs = Date.now() - sentAt;
    expect(failedCalls('chat.postMessage', since).map((call) => call.status)).toEqual([503, 503, 503, 503, 503]);
    expect(posted.text).toContain('Question 2:');
    expect((await stateOf(h, review.reviewId)).answers[first.id]).toBeDefined();
    await waitUntil(async () => (await h.store.outbox('T0001', review.reviewId)).length === 0, 'the outbox to empty');
    recordFigure('web-api-long-outage', { failedCalls: 5, recoveredMs, lost: 0 });
  });

  it('Slack made the next question but its answer was lost: the question is in the thread once, and answering it updates that message', async () => {
    // Started by Bob: Alice's five other starts in this file are her limit for a minute.
    const review = await startReview(h, '--flow quick-check Lost answers', BOB);
    const since = h.slack.calls.length;
    // A 5xx after the post, then the connection cut after the next one.
    h.slack.failNext('chat.postMessage', { performed: true, status: 500, onlyIf: (args) => args.thread_ts === review.threadTs });
    await answerCurrent(review, 'People want honest answers quickly.');
    const second = await questionPosted(review, 2);
    h.slack.failNext('chat.postMessage', { performed: true, lost: true, onlyIf: (args) => args.thread_ts === review.threadTs });
    await answerCurrent(review, 'Tickets closed per hour.');
    const third = await questionPosted(review, 3);
    await h.slack.settled();
    const bots = (number: number) => h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.startsWith(`Question ${number}:`));
    expect(bots(2)).toHaveLength(1);
    expect(bots(3)).toHaveLength(1);
    expect(h.slack.calls.slice(since).filter((call) => call.method === 'conversations.replies')).toHaveLength(2);
    // The refs point at the messages found: answering updates them in place.
    await waitUntil(() => h.slack.world.messages.find((message) => message.ts === second.ts)?.edited || undefined, 'question 2 marked answered');
    await answerCurrent(review, typicalReply((await currentQuestionOf(h, review))!, 3));
    await waitUntil(() => h.slack.world.messages.find((message) => message.ts === third.ts)?.edited || undefined, 'question 3 marked answered');
    recordFigure('web-api-lost-answer', { lostAnswers: 2, postedTwice: 0 });
  });

  it('Slack made a review’s root message but its answer was lost: one root message, and the review starts under it', async () => {
    const since = h.slack.world.seq;
    h.slack.failNext('chat.postMessage', { performed: true, lost: true, onlyIf: (args) => args.thread_ts === undefined });
    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check Lost root answer' });
    const root = await h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > since && message.user === BOT_USER && !message.threadTs), { description: 'the root message' });
    await h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && message.user === BOT_USER && message.text.startsWith('Question 1:')), { description: 'question 1' });
    await h.slack.settled();
    expect(h.slack.world.messages.filter((message) => message.seq > since && message.user === BOT_USER && !message.threadTs)).toEqual([root]);
    expect(await h.store.findByThread(TEAM, CHANNEL, root.ts)).toMatch(/^R/);
    expect(h.slack.world.ephemerals.filter((entry) => entry.seq > since && entry.userId === BOB)).toEqual([]);
  });

  it('a permanent refusal of the next question: logged with the review id, shown as text, and the review goes on', async () => {
    const review = await startReview(h, '--flow quick-check Refused blocks', ALICE);
    await answerCurrent(review, 'People want honest answers quickly.');
    await questionPosted(review, 2);
    const since = h.slack.calls.length;
    // The question's post, not the suggestions' card, which comes before it when it is ready at once.
    h.slack.failNext('chat.postMessage', { error: 'invalid_blocks', onlyIf: (args) => /^Question 3:/.test(String(args.text)) });
    const answered = await answerCurrent(review, 'Tickets closed per hour.');
    // The person still sees the question, as plain text with its options, and can answer it by typing.
    await questionPosted(review, 3);
    const textPost = h.slack.calls
      .slice(since)
      .find((call) => call.method === 'chat.postMessage' && call.response.ok === true && call.args.thread_ts === review.threadTs && /^\*?Question 3[: ]/.test(String(call.args.text)))!;
    const message = { text: String(textPost.args.text), blocks: textPost.args.blocks as unknown[] | undefined };
    expect(failedCalls('chat.postMessage', since).map((call) => call.response.error)).toEqual(['invalid_blocks']);
    const refusal = h.logs.find((line) => line.msg === 'Slack refused a message' && line.reviewId === review.reviewId);
    expect(refusal).toMatchObject({ level: 'error', reviewId: review.reviewId, slackError: 'invalid_blocks' });
    const state = await stateOf(h, review.reviewId);
    expect(state.answers[answered.id]).toBeDefined();
    const question = (await currentQuestionOf(h, review))!;
    expect(question.kind).toBe('choice');
    expect(message.blocks ?? []).toHaveLength(0);
    expect(message.text).toContain(question.prompt.slice(0, 40));
    for (const option of question.options) expect(message.text).toContain(option.label.slice(0, 30));
    const sent = await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    expect((await stateOf(h, review.reviewId)).status).toBe('completed');
    // The refusals were logged with the review id and without anyone's answers.
    expect(logLinesWith(h.logs, ['People want honest answers quickly.', 'Tickets closed per hour.', ...Object.values(sent)])).toEqual([]);
    recordFigure('web-api-permanent', { refusals: 1, shownAsText: 1, stateIntact: 1 });
  });

  it('Slack failing while a new review posts its first question: the start is not reported as failed, and the question comes once Slack is back', async () => {
    const since = h.slack.world.seq;
    const calls = h.slack.calls.length;
    // The root message goes through; the first question, the only post in a thread here, fails past the client's retries.
    h.slack.failNext('chat.postMessage', { status: 503, times: 5, onlyIf: (args) => typeof args.thread_ts === 'string' });
    const sentAt = Date.now();
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check First question outage' });
    const root = await h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > since && message.user === BOT_USER && !message.threadTs), { description: 'the root message' });
    const first = await h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && message.user === BOT_USER && message.text.startsWith('Question 1:')), {
      description: 'question 1, after the outage',
      timeoutMs: 15_000,
    });
    const postedMs = Date.now() - sentAt;
    expect(failedCalls('chat.postMessage', calls).map((call) => call.status)).toEqual([503, 503, 503, 503, 503]);
    // Stored before Slack failed, the review started: nobody is told otherwise.
    await h.slack.settled();
    expect(h.slack.world.ephemerals.filter((entry) => entry.seq > since && entry.userId === ALICE)).toEqual([]);
    expect(h.slack.world.messages.filter((message) => message.threadTs === root.ts && message.user === BOT_USER)).toEqual([first]);
    const reviewId = (await h.store.findByThread(TEAM, CHANNEL, root.ts))!;
    const review = { reviewId, threadTs: root.ts, channelId: CHANNEL };
    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    recordFigure('web-api-first-question', { failedCalls: 5, postedMs, toldFailed: 0 });
  });
});
