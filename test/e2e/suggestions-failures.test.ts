/**
 * The model is never in the way of a review: when it is slow, rate limited,
 * down, talks nonsense or the review has used its calls, the review goes on
 * and the offline library steps in with a one-line note. And with the model
 * switched off, nothing is sent to it at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestKind } from '../../src/standin/openai/answers.js';
import { good, malformed, rateLimited, schemaInvalid, slow, type StandinReply } from '../../src/standin/openai/behaviours.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';
import { SOURCE_NOTES } from '../../src/slack/blocks/suggestions.js';
import { createJobs } from '../../src/reviews/jobs.js';
import { SUGGESTIONS_WAIT_MS } from '../../src/reviews/outbox.js';
import { ALICE, BOT_USER, CHANNEL, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { startReview, stateOf, waitForSummaryCard, waitUntil, type StartedReview } from '../support/review-driver.js';
import {
  answerCurrent,
  answerThrough,
  answerUntil,
  modelEnv,
  questionMessage,
  readableText,
  repliesFrom,
  waitForState,
  waitForSuggestionsMessage,
} from '../support/suggestion-helpers.js';
import { questionPosts } from '../support/suggestion-thread.js';

let model: OpenAIStandin | undefined;
let h: Harness | undefined;

async function setup(env: Record<string, string>): Promise<{ model: OpenAIStandin; h: Harness }> {
  model = await startOpenAIStandin();
  h = await startHarness({ env: { ...modelEnv(model.baseUrl), ...env } });
  return { model, h };
}

afterEach(async () => {
  await h?.close();
  await model?.close();
  h = undefined;
  model = undefined;
});

const SUPPORT_BOT = repliesFrom({
  system_description: 'A chat assistant on our help site that answers customer questions from the help articles.',
  human_goal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
  objective: 'Answer each question from the help articles and close the conversation without an agent.',
  metric: 'Ticket volume reduction: fewer tickets reaching human agents each week.',
});

/** An error the SDK retries at once (Retry-After in milliseconds), so tests stay fast. */
function quickError(status: number): StandinReply {
  return { type: 'error', status, message: 'The server had an error while processing your request.', headers: { 'retry-after-ms': '10' } };
}

function proxyRequests(standin: OpenAIStandin): number {
  return standin.requests.filter((body) => requestKind(body) === 'proxy_failures').length;
}

function warnings(harness: Harness): Record<string, unknown>[] {
  return harness.logs.filter((line) => line.level === 'warn');
}

async function quickCheckThroughMetric(harness: Harness, name: string): Promise<StartedReview> {
  const review = await startReview(harness, `--flow quick-check ${name}`, ALICE);
  await answerThrough(harness, review, ALICE, SUPPORT_BOT, 'metric');
  return review;
}

async function expectOfflineWithNote(harness: Harness, review: StartedReview): Promise<void> {
  const message = await waitForSuggestionsMessage(harness, review);
  const text = readableText(message);
  expect(text).toContain(SOURCE_NOTES.offlineFallback);
  expect(text).toContain('Ticket volume drops because customers give up');
  const state = await stateOf(harness, review.reviewId);
  expect(state.suggestions.length).toBeGreaterThan(0);
  expect(state.suggestions.every((item) => item.source === 'offline')).toBe(true);
}

describe('when the model misbehaves', () => {
  it('times out: the review waits for it no longer than the suggestions wait, goes on, then the offline library arrives with a note', async () => {
    // One attempt alone outlasts the wait, so the model's deadline (three attempts' worth) is well past it:
    // ample time to answer one question first.
    const { model, h } = await setup({ LLM_TIMEOUT_MS: String(SUGGESTIONS_WAIT_MS) });
    model.respondWith((request) => (requestKind(request.body) === 'proxy_failures' ? slow(10_000) : good(request)));
    const review = await quickCheckThroughMetric(h, 'Slow model bot');

    // The next question comes once the wait is over, and can be answered while the model is still thinking.
    const next = await h.slack.waitFor(() => questionMessage(h, review, 'gaming'), { description: 'the next question' });
    await answerCurrent(h, review, ALICE, SUPPORT_BOT);
    expect((await stateOf(h, review.reviewId)).suggestions).toHaveLength(0);

    await expectOfflineWithNote(h, review);
    const message = await waitForSuggestionsMessage(h, review);
    expect(next.seq).toBeLessThan(message.seq);
    const state = await stateOf(h, review.reviewId);
    const order = state.history.map((entry) => entry.action === 'answer' ? `answer:${entry.questionId}` : entry.action);
    expect(order.indexOf('answer:gaming')).toBeLessThan(order.indexOf('suggestions'));
    expect(warnings(h).some((line) => line.reason === 'timeout' && line.kind === 'proxy_failures')).toBe(true);

    // As ever for a late card: the question the review waits on is asked again below it, its copy above struck through.
    const waiting = state.currentQuestionId!;
    const posts = await h.slack.waitFor(() => (questionPosts(h, review, waiting).length === 2 ? questionPosts(h, review, waiting) : undefined), {
      description: 'the waiting question posted again below the card',
    });
    expect(posts[0]!.seq).toBeLessThan(message.seq);
    expect(posts[1]!.seq).toBeGreaterThan(message.seq);
    expect(readableText(posts[0]!)).toContain('asked again below');
  });

  it('429 then success: the SDK waits as told, retries once, and the model’s suggestions are shown', async () => {
    const { model, h } = await setup({});
    const limited = rateLimited(1);
    // Retry-After in milliseconds too (the SDK prefers it), so the test waits 20 ms, not a second.
    model.script([limited.type === 'error' ? { ...limited, headers: { ...limited.headers, 'retry-after-ms': '20' } } : limited]);
    const review = await quickCheckThroughMetric(h, 'Rate limited bot');
    const message = await waitForSuggestionsMessage(h, review);
    expect(readableText(message)).toContain(SOURCE_NOTES.model);
    expect((await stateOf(h, review.reviewId)).suggestions.every((item) => item.source === 'model')).toBe(true);
    expect(proxyRequests(model)).toBe(2);
    expect(model.received[1]!.receivedAt - model.received[0]!.receivedAt).toBeGreaterThanOrEqual(15);
  });

  it('500 twice: after one retry the offline library is used', async () => {
    const { model, h } = await setup({});
    model.script([quickError(500), quickError(500)]);
    const review = await quickCheckThroughMetric(h, 'Broken model bot');
    await expectOfflineWithNote(h, review);
    expect(proxyRequests(model)).toBe(2);
    expect(warnings(h).some((line) => line.reason === 'unavailable' && line.status === 500)).toBe(true);
  });

  it('malformed output: the offline library is used', async () => {
    const { model, h } = await setup({});
    model.script([malformed]);
    const review = await quickCheckThroughMetric(h, 'Garbled model bot');
    await expectOfflineWithNote(h, review);
    expect(proxyRequests(model)).toBe(1);
    expect(warnings(h).some((line) => line.msg === 'Model reply was not JSON of the expected shape')).toBe(true);
  });

  it('output partly off the schema: only the valid items are shown, at most six', async () => {
    const { model, h } = await setup({});
    model.script([schemaInvalid]);
    const review = await quickCheckThroughMetric(h, 'Sloppy model bot');
    const message = await waitForSuggestionsMessage(h, review);
    const state = await stateOf(h, review.reviewId);
    expect(state.suggestions.map((item) => item.title)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Valid failure ${n}`));
    expect(readableText(message)).not.toMatch(/Missing its why|Over-long title|Valid failure 7/);
    expect(state.suggestions.every((item) => item.source === 'model')).toBe(true);
  });
});

describe('suggestions that arrive after the review ended', () => {
  it('are dropped quietly: no "this review is finished" note from the bot to itself, nothing left in the outbox', async () => {
    // Slower than the suggestions wait, so the review is finished before they come.
    const { model, h } = await setup({ LLM_TIMEOUT_MS: String(SUGGESTIONS_WAIT_MS) });
    model.respondWith((request) => (requestKind(request.body) === 'proxy_failures' ? slow(10_000) : good(request)));
    const review = await quickCheckThroughMetric(h, 'Finished early bot');
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'finish' });
    await waitForSummaryCard(h, review);
    const seq = h.slack.world.seq;
    // The model gives up; the offline suggestions then reach a finished review.
    await waitUntil(() => h.logs.some((line) => line.reason === 'timeout'), 'the model call to time out');
    await waitUntil(() => h.server.deps.work.size === 0, 'background work done');
    await h.slack.settled();
    const later = h.slack.world.messages.filter((message) => message.seq > seq && message.threadTs === review.threadTs);
    expect(later.map((message) => message.text)).not.toContain('This review is finished: the summary is above. You can still edit an answer you gave.');
    expect(later.filter((message) => message.user === BOT_USER && !/summary/i.test(message.text))).toEqual([]);
    expect(h.slack.world.ephemerals.filter((item) => item.userId === 'bot')).toEqual([]);
    expect(await h.store.outbox(TEAM, review.reviewId)).toEqual([]);
    const state = await stateOf(h, review.reviewId);
    expect(state.status).toBe('completed');
    expect(state.suggestions).toHaveLength(0);
  });

  it('a job for a review that already ended makes no model call', async () => {
    const { model, h } = await setup({});
    const review = await startReview(h, '--flow quick-check Cancelled bot', ALICE);
    // The first `cancel` asks to be confirmed; the second cancels.
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'cancel' });
    await waitForState(h, review, (state) => state.cancelRequest?.by === ALICE, 'the cancel waiting to be confirmed');
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'cancel' });
    await waitForState(h, review, (state) => state.status === 'cancelled', 'the cancel');
    // As a retried outbox would: the jobs start after the review was cancelled.
    const jobs = createJobs(h.server.deps, () => {
      throw new Error('nothing should be submitted');
    }, 60_000);
    await jobs.run({ op: 'job', job: 'proxy-failures', afterQuestionId: 'metric' }, TEAM, review.reviewId, 'item-1');
    await jobs.run({ op: 'job', job: 'clarify', afterQuestionId: 'human_goal' }, TEAM, review.reviewId, 'item-2');
    await waitUntil(() => h.server.deps.work.size === 0, 'background work done');
    expect(model.received).toHaveLength(0);
    expect(h.logs.filter((line) => line.msg === 'Background work failed')).toEqual([]);
  });
});

describe('the per-review call budget', () => {
  it('holds: once a review has used its calls, the rest come from the offline library and no more requests are sent; another review has its own', async () => {
    const { model, h } = await setup({ LLM_MAX_CALLS_PER_REVIEW: '1' });
    const review = await startReview(h, 'Budget bot', ALICE);
    await answerThrough(h, review, ALICE, SUPPORT_BOT, 'objective');
    // The one call goes on the clarifying follow-ups.
    await waitForState(h, review, (state) => state.extraQuestions.length > 0, 'the follow-ups');
    await answerThrough(h, review, ALICE, SUPPORT_BOT, 'metric');
    await expectOfflineWithNote(h, review);
    await answerUntil(h, review, ALICE, SUPPORT_BOT);
    await waitForSummaryCard(h, review);
    await waitUntil(() => h.server.deps.work.size === 0, 'background work done');
    expect(model.requests.map(requestKind)).toEqual(['clarifying_questions']);
    expect((await stateOf(h, review.reviewId)).redTeam).toHaveLength(0);
    expect(h.logs.some((line) => line.msg === 'Model call budget for this review is used up' && line.reviewId === review.reviewId)).toBe(true);

    const other = await quickCheckThroughMetric(h, 'Second budget bot');
    const message = await waitForSuggestionsMessage(h, other);
    expect(readableText(message)).toContain(SOURCE_NOTES.model);
    expect(model.requests.map(requestKind)).toEqual(['clarifying_questions', 'proxy_failures']);
  });
});

describe('with the model switched off', () => {
  it('LLM_ENABLED=false with a key and a base URL: no request reaches the model during a whole review', async () => {
    const { model, h } = await setup({ LLM_ENABLED: 'false' });
    expect(h.server.deps.suggester.modelConfigured).toBe(false);
    const review = await startReview(h, 'Offline only bot', ALICE);
    await answerThrough(h, review, ALICE, SUPPORT_BOT, 'metric');
    const message = await waitForSuggestionsMessage(h, review);
    expect(readableText(message)).toContain(SOURCE_NOTES.offlineNoModel);
    await answerUntil(h, review, ALICE, SUPPORT_BOT);
    await waitForSummaryCard(h, review);
    await waitUntil(() => h.server.deps.work.size === 0, 'background work done');
    const state = await stateOf(h, review.reviewId);
    expect(state.extraQuestions).toHaveLength(0);
    expect(state.redTeam).toHaveLength(0);
    expect(model.received).toHaveLength(0);
  });
});
