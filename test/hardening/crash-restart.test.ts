/**
 * The app is killed (SIGKILL) while it posts the next question, after it
 * applied an answer and before it stored it (the app posts a step's messages
 * first, then commits: src/reviews/inbox.ts, postingOrder): a proxy in front
 * of the Slack stand-in holds the chat.postMessage of that question while
 * the process dies. The answer is still queued in the review's inbox, so
 * after a restart the review applies it again and goes on: no answer is
 * lost, no question is skipped, and at most one is posted twice (when Slack
 * got the post but the app never heard).
 *
 * And it goes on by itself: the restarted app looks for reviews left with
 * work (src/reviews/resume-sweep.ts), so a question lost in the crash, or
 * the leads' card of a review finished just before it, goes out without
 * anyone writing in the thread again.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { findQuestion } from '../../src/engine/index.js';
import type { Flow, Question } from '../../src/engine/types.js';
import { createLogger } from '../../src/logger.js';
import { parseConfig } from '../../src/config.js';
import { loadAllFlows } from '../../src/server.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { reviewKeys } from '../../src/store/keys.js';
import { ALICE, BOT_USER, CHANNEL, LEADS, SIGNING_SECRET, TEAM, type Standin } from '../support/app-harness.js';
import { appEnv, startAppProcess, type AppProcess } from '../support/app-process.js';
import { startApiProxy, type ApiProxy } from '../support/fault-api-proxy.js';
import { recordFigure } from '../support/fault-figures.js';
import { removeKeys, startStandardStandin } from '../support/fault-harness.js';
import { typicalReply, waitUntil } from '../support/review-driver.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `crash${randomBytes(4).toString('hex')}`;
const flow: Flow = loadAllFlows(parseConfig({ NODE_ENV: 'test' }), createLogger('silent')).get('quick-check')!;

let slack: Standin;
let proxy: ApiProxy;
let redis: Redis;
let store: RedisStore;
let app: AppProcess | undefined;

async function startApp(): Promise<AppProcess> {
  // The default look interval (a minute): the predecessor took this interval's look when it started, and the restarted app must look all the same.
  const extra = { LEADS_CHANNEL: LEADS };
  const started = await startAppProcess({ env: appEnv({ apiUrl: proxy.apiUrl, signingSecret: SIGNING_SECRET, redisUrl, prefix, extra }) });
  slack.setAppUrl(started.eventsUrl);
  return started;
}

beforeAll(async () => {
  slack = await startStandardStandin();
  proxy = await startApiProxy(slack.url);
  redis = new Redis(redisUrl);
  store = new RedisStore({ redis, prefix, retentionDays: 1 });
  app = await startApp();
});

beforeEach(() => {
  // A failure explains itself with what the app process said.
  onTestFailed(() => {
    console.error([...(app?.output ?? []), ...(app?.logs ?? []).slice(-20).map((line) => JSON.stringify(line))].join('\n'));
  });
});

afterAll(async () => {
  await app?.stop();
  await proxy.close();
  await slack.close();
  redis.disconnect();
  await removeKeys(redisUrl, prefix);
});

interface Review {
  reviewId: string;
  threadTs: string;
}

function postedText(body: string): string {
  try {
    return String((JSON.parse(body) as { text?: unknown }).text ?? '');
  } catch {
    return new URLSearchParams(body).get('text') ?? '';
  }
}

function questionPosts(review: Review, number: number) {
  return slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.startsWith(`Question ${number}:`));
}

async function current(review: Review): Promise<Question | null> {
  const state = (await store.get(TEAM, review.reviewId))!.state;
  return state.currentQuestionId ? (findQuestion(flow, state, state.currentQuestionId) ?? null) : null;
}

async function startReview(name: string): Promise<Review> {
  const before = slack.world.seq;
  await slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` });
  // In the review channel and naming the system: an earlier review's card for the leads' channel may come meanwhile.
  const root = await slack.waitFor(
    (view) => view.world.messages.find((message) => message.seq > before && message.user === BOT_USER && message.channel === CHANNEL && !message.threadTs && message.text.includes(name)),
    { description: 'the root message' },
  );
  const reviewId = await waitUntil(() => store.findByThread(TEAM, CHANNEL, root.ts), 'the review stored');
  const review = { reviewId, threadTs: root.ts };
  await slack.waitFor(() => questionPosts(review, 1)[0], { description: 'question 1' });
  return review;
}

/** Answers the current question and waits until the answer is stored (and, unless told not to, the next question posted). */
async function answer(review: Review, index: number, timeoutMs = 10_000): Promise<void> {
  const question = (await current(review))!;
  const { ts } = await slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(question, index) });
  await waitUntil(async () => (await store.get(TEAM, review.reviewId))!.state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`, timeoutMs);
}

async function answerToTheEnd(review: Review, from: number): Promise<void> {
  for (let index = from; (await current(review)) !== null; index++) await answer(review, index);
  await slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === review.threadTs && /Alignment review summary/.test(message.text)), { description: 'the summary card' });
}

/** Kills the app while it waits for Slack to post question 2, before the answer to question 1 was stored. */
async function killWhilePostingQuestionTwo(review: Review, mode: 'forward' | 'drop'): Promise<void> {
  const holding = proxy.holdNext((method, body) => method === 'chat.postMessage' && postedText(body).startsWith('Question 2:'));
  const question = (await current(review))!;
  const { ts } = await slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(question, 1) });
  const held = await holding;
  // Not stored yet, and not lost: the answer waits in the inbox for the next drain.
  const record = (await store.get(TEAM, review.reviewId))!;
  expect(record.state.answers[question.id]).toBeUndefined();
  expect((await store.peek(TEAM, review.reviewId))?.id).toBe(`m:${ts}`);
  const exit = await app!.stop('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  app = undefined;
  await held.release(mode);
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
  const state = (await store.get(TEAM, review.reviewId))!.state;
  expect(state.status).toBe('completed');
  const answered = state.history.filter((entry) => entry.action === 'answer').map((entry) => entry.questionId);
  expect(new Set(answered).size).toBe(answered.length);
  expect(answered).toEqual(state.asked.filter((id) => state.answers[id]));
  return state.asked.length;
}

describe('the app killed while posting the next question, before the answer is stored', () => {
  it('Slack got the post, the app never heard: after a restart the reply to it goes on, the answer before it kept, one question posted twice', async () => {
    const review = await startReview('Crash bot');
    const [, second] = flow.questions;
    await killWhilePostingQuestionTwo(review, 'forward');
    expect(questionPosts(review, 2)).toHaveLength(1);
    app = await startApp();
    // The person answers question 2, which they see. The dead process's lease on the review
    // expires on its own (15 s); then the queued answer to question 1 is applied first.
    const restartedAt = Date.now();
    const { ts } = await slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(second!, 2) });
    await waitUntil(async () => (await store.get(TEAM, review.reviewId))!.state.answers[second!.id]?.messageTs === ts, 'the answer to question 2', 25_000);
    const resumeMs = Date.now() - restartedAt;
    expect(questionPosts(review, 2)).toHaveLength(2);
    await answerToTheEnd(review, 3);
    const asked = await expectEachAnswerOnce(review);
    const twice = expectEveryQuestionPosted(review, asked);
    expect(twice).toBe(1);
    recordFigure('crash-forward', { questions: asked, postedTwice: twice, skipped: 0, answersLost: 0, resumeMs });
  });

  it('Slack never got the post: after a restart, the next message applies the queued answer and shows the question first, and nothing is skipped', async () => {
    const review = await startReview('Crash bot two');
    await killWhilePostingQuestionTwo(review, 'drop');
    expect(questionPosts(review, 2)).toHaveLength(0);
    // Fast-forward the dead process's lease rather than wait out its 15 s.
    await redis.del(reviewKeys(prefix, TEAM, review.reviewId).lock);
    app = await startApp();
    const seq = slack.world.seq;
    await slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'status' });
    const status = await slack.waitFor((view) => view.world.messages.find((message) => message.seq > seq && message.user === BOT_USER && /Status of the review/.test(message.text + JSON.stringify(message.blocks))), {
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
    await redis.del(reviewKeys(prefix, TEAM, review.reviewId).lock);
    const restartedAt = Date.now();
    app = await startApp();
    await slack.waitFor(() => questionPosts(review, 2)[0], { description: 'question 2, posted by the restarted app on its own', timeoutMs: 15_000 });
    const resumeMs = Date.now() - restartedAt;
    // Posted before its commit, as every reply's question is: the queued answer is stored just after.
    await waitUntil(async () => (await store.get(TEAM, review.reviewId))!.state.answers[flow.questions[0]!.id], 'the queued answer to question 1 stored');
    expect(await store.peek(TEAM, review.reviewId)).toBeNull();
    await answerToTheEnd(review, 2);
    const asked = await expectEachAnswerOnce(review);
    expect(expectEveryQuestionPosted(review, asked)).toBe(0);
    recordFigure('crash-resumed', { questions: asked, postedTwice: 0, skipped: 0, answersLost: 0, resumeMs });
  });

  it('the last answer was stored and the leads\' card was on its way: after a restart the card goes out, though nobody writes in a finished review', async () => {
    const review = await startReview('Crash bot five');
    const leadsCards = () => slack.world.messages.filter((message) => message.channel === LEADS && message.user === BOT_USER && message.text.includes('Crash bot five'));
    const holding = proxy.holdNext((method, body) => method === 'chat.postMessage' && body.includes(`"channel":"${LEADS}"`));
    for (let index = 1; (await current(review)) !== null; index++) await answer(review, index);
    const held = await holding;
    // Stored as finished, with the card in the outbox: the commit came before the post.
    expect((await store.get(TEAM, review.reviewId))!.state.status).toBe('completed');
    expect((await store.outbox(TEAM, review.reviewId)).length).toBeGreaterThan(0);
    const exit = await app!.stop('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    app = undefined;
    await held.release('drop');
    expect(leadsCards()).toHaveLength(0);
    await redis.del(reviewKeys(prefix, TEAM, review.reviewId).lock);
    const restartedAt = Date.now();
    app = await startApp();
    await slack.waitFor(() => leadsCards()[0], { description: "the leads' card, posted by the restarted app on its own", timeoutMs: 15_000 });
    const resumeMs = Date.now() - restartedAt;
    await waitUntil(async () => (await store.outbox(TEAM, review.reviewId)).length === 0 || undefined, 'the outbox emptied');
    expect(leadsCards()).toHaveLength(1);
    recordFigure('crash-leads-card', { cardsPosted: 1, resumeMs });
  });
});
