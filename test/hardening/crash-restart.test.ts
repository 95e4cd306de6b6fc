/**
 * The app is killed (SIGKILL) while it posts the next question, after it
 * applied an answer and before it stored it (the app posts a step's messages
 * first, then commits: src/reviews/inbox.ts, postingOrder): a proxy in front
 * of the Slack stand-in holds the chat.postMessage of that question while
 * the process dies. The answer is still queued in the review's inbox, so
 * after a restart the review applies it again and goes on: no answer is
 * lost, no question is skipped, and none is posted twice: when Slack got the
 * post but the app never heard, the drain that takes the review over finds
 * the post by its mark (src/reviews/posted-look.ts) and does not send it again.
 *
 * And it goes on by itself: the restarted app looks for reviews left with
 * work (src/reviews/resume-sweep.ts), so a question lost in the crash, or
 * the leads' card of a review finished just before it, goes out without
 * anyone writing in the thread again.
 */
import { describe, expect, it } from 'vitest';
import { findQuestion } from '../../src/engine/index.js';
import type { Flow, Question } from '../../src/engine/types.js';
import { createLogger } from '../../src/logger.js';
import { parseConfig } from '../../src/config.js';
import { loadAllFlows } from '../../src/server.js';
import { reviewKeys } from '../../src/store/keys.js';
import { ALICE, BOT_USER, CHANNEL, LEADS, TEAM } from '../support/app-harness.js';
import { postedText, useCrashHarness } from '../support/crash-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { typicalReply, waitUntil } from '../support/review-driver.js';

const flow: Flow = loadAllFlows(parseConfig({ NODE_ENV: 'test' }), createLogger('silent')).get('quick-check')!;

// The default look interval (a minute): the predecessor took this interval's look when it started, and the restarted app must look all the same.
const h = useCrashHarness('crash', { LEADS_CHANNEL: LEADS });

interface Review {
  reviewId: string;
  threadTs: string;
}

function questionPosts(review: Review, number: number) {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.startsWith(`Question ${number}:`));
}

async function current(review: Review): Promise<Question | null> {
  const state = (await h.store.get(TEAM, review.reviewId))!.state;
  return state.currentQuestionId ? (findQuestion(flow, state, state.currentQuestionId) ?? null) : null;
}

async function startReview(name: string): Promise<Review> {
  const before = h.slack.world.seq;
  await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` });
  // In the review channel and naming the system: an earlier review's card for the leads' channel may come meanwhile.
  const root = await h.slack.waitFor(
    (view) => view.world.messages.find((message) => message.seq > before && message.user === BOT_USER && message.channel === CHANNEL && !message.threadTs && message.text.includes(name)),
    { description: 'the root message' },
  );
  const reviewId = await waitUntil(() => h.store.findByThread(TEAM, CHANNEL, root.ts), 'the review stored');
  const review = { reviewId, threadTs: root.ts };
  await h.slack.waitFor(() => questionPosts(review, 1)[0], { description: 'question 1' });
  // Question 1 is in Slack a moment before the start's drain has cleared it from the outbox and let the lock go. A reply
  // that came meanwhile would be applied by that drain with a message still unconfirmed, which commits before it posts:
  // not the crash point these tests are about.
  const keys = reviewKeys(h.prefix, TEAM, reviewId);
  await waitUntil(async () => (await h.redis.exists(keys.lock, keys.outbox)) === 0, 'the start’s drain to finish');
  return review;
}

/** Answers the current question and waits until the answer is stored (and, unless told not to, the next question posted). */
async function answer(review: Review, index: number, timeoutMs = 10_000): Promise<void> {
  const question = (await current(review))!;
  const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(question, index) });
  await waitUntil(async () => (await h.store.get(TEAM, review.reviewId))!.state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`, timeoutMs);
}

async function answerToTheEnd(review: Review, from: number): Promise<void> {
  for (let index = from; (await current(review)) !== null; index++) await answer(review, index);
  await h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === review.threadTs && /Alignment review summary/.test(message.text)), { description: 'the summary card' });
}

/** Kills the app while it waits for Slack to post question 2, before the answer to question 1 was stored. */
async function killWhilePostingQuestionTwo(review: Review, mode: 'forward' | 'drop'): Promise<void> {
  const holding = h.proxy.holdNext((method, body) => method === 'chat.postMessage' && postedText(body).startsWith('Question 2:'));
  const question = (await current(review))!;
  const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(question, 1) });
  const held = await holding;
  // Not stored yet, and not lost: the answer waits in the inbox for the next drain.
  const record = (await h.store.get(TEAM, review.reviewId))!;
  expect(record.state.answers[question.id]).toBeUndefined();
  expect((await h.store.peek(TEAM, review.reviewId))?.id).toBe(`m:${ts}`);
  await h.kill();
  await held.release(mode);
}

/**
 * Answers a review to its end and kills the app while it posts the leads' card, which the commit put in the
 * outbox first; then lets the card through to Slack or drops it, and lapses the dead process's lease.
 */
async function killWhilePostingLeadsCard(name: string, mode: 'forward' | 'drop') {
  const review = await startReview(name);
  const leadsCards = () => h.slack.world.messages.filter((message) => message.channel === LEADS && message.user === BOT_USER && message.text.includes(name));
  const holding = h.proxy.holdNext((method, body) => method === 'chat.postMessage' && body.includes(`"channel":"${LEADS}"`));
  for (let index = 1; (await current(review)) !== null; index++) await answer(review, index);
  const held = await holding;
  // Stored as finished, with the card in the outbox: the commit came before the post.
  expect((await h.store.get(TEAM, review.reviewId))!.state.status).toBe('completed');
  expect((await h.store.outbox(TEAM, review.reviewId)).length).toBeGreaterThan(0);
  await h.kill();
  await held.release(mode);
  // Still in the outbox either way: the dead process never removed it.
  expect((await h.store.outbox(TEAM, review.reviewId)).length).toBeGreaterThan(0);
  await h.redis.del(reviewKeys(h.prefix, TEAM, review.reviewId).lock);
  return { review, leadsCards };
}

function expectEveryQuestionPosted(review: Review, count: number): number {
  let twice = 0;
  for (let number = 1; number <= count; number++) {
    const posts = questionPosts(review, number).length;
    expect(posts, `question ${number}`).toBeGreaterThanOrEqual(1);
    expect(posts, `question ${number}`).toBeLessThanOrEqual(2);
    if (posts === 2) twice += 1;
  }
  expect(twice).toBeLessThanOrEqual(1);
  return twice;
}

async function expectEachAnswerOnce(review: Review): Promise<number> {
  const state = (await h.store.get(TEAM, review.reviewId))!.state;
  expect(state.status).toBe('completed');
  const answered = state.history.filter((entry) => entry.action === 'answer').map((entry) => entry.questionId);
  expect(new Set(answered).size).toBe(answered.length);
  expect(answered).toEqual(state.asked.filter((id) => state.answers[id]));
  return state.asked.length;
}

describe('the app killed while posting the next question, before the answer is stored', () => {
  it('Slack got the post, the app never heard: after a restart the reply to it goes on, the answer before it kept, and no question is posted twice', async () => {
    const review = await startReview('Crash bot');
    const [, second] = flow.questions;
    await killWhilePostingQuestionTwo(review, 'forward');
    expect(questionPosts(review, 2)).toHaveLength(1);
    await h.start();
    // The person answers question 2, which they see. The dead process's lease on the review
    // expires on its own (15 s); then the queued answer to question 1 is applied first.
    const restartedAt = Date.now();
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(second!, 2) });
    await waitUntil(async () => (await h.store.get(TEAM, review.reviewId))!.state.answers[second!.id]?.messageTs === ts, 'the answer to question 2', 25_000);
    const resumeMs = Date.now() - restartedAt;
    // The restarted app applied the answer to question 1 again, found question 2 in the thread and took it as posted.
    expect(questionPosts(review, 2)).toHaveLength(1);
    await answerToTheEnd(review, 3);
    const asked = await expectEachAnswerOnce(review);
    const twice = expectEveryQuestionPosted(review, asked);
    expect(twice).toBe(0);
    recordFigure('crash-forward', { questions: asked, postedTwice: twice, skipped: 0, answersLost: 0, resumeMs });
  });

  it('Slack never got the post: after a restart, the next message applies the queued answer and shows the question first, and nothing is skipped', async () => {
    const review = await startReview('Crash bot two');
    await killWhilePostingQuestionTwo(review, 'drop');
    expect(questionPosts(review, 2)).toHaveLength(0);
    // Fast-forward the dead process's lease rather than wait out its 15 s.
    await h.redis.del(reviewKeys(h.prefix, TEAM, review.reviewId).lock);
    await h.start();
    const seq = h.slack.world.seq;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'status' });
    const status = await h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > seq && message.user === BOT_USER && /Status of the review/.test(message.text + JSON.stringify(message.blocks))), {
      description: 'the status reply',
    });
    const question = questionPosts(review, 2)[0];
    expect(question, 'question 2 posted before the status reply').toBeDefined();
    expect(question!.seq).toBeLessThan(status.seq);
    await answerToTheEnd(review, 2);
    const asked = await expectEachAnswerOnce(review);
    const twice = expectEveryQuestionPosted(review, asked);
    expect(twice).toBe(0);
    recordFigure('crash-drop', { questions: asked, postedTwice: twice, skipped: 0, answersLost: 0 });
  });
  it('Slack never got the post and nobody writes: after a restart the question goes out by itself', async () => {
    const review = await startReview('Crash bot four');
    await killWhilePostingQuestionTwo(review, 'drop');
    expect(questionPosts(review, 2)).toHaveLength(0);
    await h.redis.del(reviewKeys(h.prefix, TEAM, review.reviewId).lock);
    const restartedAt = Date.now();
    await h.start();
    await h.slack.waitFor(() => questionPosts(review, 2)[0], { description: 'question 2, posted by the restarted app on its own', timeoutMs: 15_000 });
    const resumeMs = Date.now() - restartedAt;
    // Posted before its commit, as every reply's question is: the queued answer is stored just after.
    await waitUntil(async () => (await h.store.get(TEAM, review.reviewId))!.state.answers[flow.questions[0]!.id], 'the queued answer to question 1 stored');
    expect(await h.store.peek(TEAM, review.reviewId)).toBeNull();
    await answerToTheEnd(review, 2);
    const asked = await expectEachAnswerOnce(review);
    expect(expectEveryQuestionPosted(review, asked)).toBe(0);
    recordFigure('crash-resumed', { questions: asked, postedTwice: 0, skipped: 0, answersLost: 0, resumeMs });
  });

  it('the last answer was stored and the leads\' card was on its way: after a restart the card goes out, though nobody writes in a finished review', async () => {
    const { review, leadsCards } = await killWhilePostingLeadsCard('Crash bot five', 'drop');
    expect(leadsCards()).toHaveLength(0);
    const restartedAt = Date.now();
    await h.start();
    await h.slack.waitFor(() => leadsCards()[0], { description: "the leads' card, posted by the restarted app on its own", timeoutMs: 15_000 });
    const resumeMs = Date.now() - restartedAt;
    await waitUntil(async () => (await h.store.outbox(TEAM, review.reviewId)).length === 0 || undefined, 'the outbox emptied');
    expect(leadsCards()).toHaveLength(1);
    recordFigure('crash-leads-card', { cardsPosted: 1, resumeMs });
  });

  it('the leads\' card reached Slack but the app died before it heard: after a restart the card is found, not posted again', async () => {
    const { review, leadsCards } = await killWhilePostingLeadsCard('Crash bot six', 'forward');
    expect(leadsCards()).toHaveLength(1);
    await h.start();
    await waitUntil(async () => (await h.store.outbox(TEAM, review.reviewId)).length === 0 || undefined, 'the outbox emptied by the restarted app', 15_000);
    expect(leadsCards()).toHaveLength(1);
    // The summary card in the thread, posted before the commit, was not posted again either.
    const summaries = h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && /Alignment review summary/.test(message.text));
    expect(summaries).toHaveLength(1);
    recordFigure('crash-leads-card-forward', { cardsPosted: 1 });
  });
});
