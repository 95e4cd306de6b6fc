/**
 * The app is killed (SIGKILL) while a background job waits on the model: the
 * proxy-failure suggestions for the team's metric. The job was noted in the
 * store as running before its outbox item was let go (src/reviews/jobs.ts),
 * so once its lease runs out the restarted app's look for work left behind
 * runs it again, and the suggestions reach the thread once. Before, the job
 * died with its process and the review went on without them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findQuestion } from '../../src/engine/index.js';
import type { Flow, Question } from '../../src/engine/types.js';
import { createLogger } from '../../src/logger.js';
import { parseConfig } from '../../src/config.js';
import { loadAllFlows } from '../../src/server.js';
import { requestKind } from '../../src/standin/openai/answers.js';
import { good } from '../../src/standin/openai/behaviours.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';
import { reviewKeys } from '../../src/store/keys.js';
import { ALICE, BOT_USER, CHANNEL, TEAM } from '../support/app-harness.js';
import { useCrashHarness } from '../support/crash-harness.js';
import { typicalReply, waitUntil } from '../support/review-driver.js';
import { isSuggestionsMessage, modelEnv } from '../support/suggestion-helpers.js';

const flow: Flow = loadAllFlows(parseConfig({ NODE_ENV: 'test' }), createLogger('silent')).get('quick-check')!;

let model: OpenAIStandin | undefined;
/** Lets the held first request go (to a process that is gone by then). */
let releaseFirst: (() => void) | undefined;

beforeAll(async () => {
  model = await startOpenAIStandin();
  let held = false;
  model.respondWith((request) => {
    if (requestKind(request.body) !== 'proxy_failures' || held) return good(request);
    held = true;
    return new Promise((resolve) => {
      releaseFirst = () => resolve(good(request) as never);
    });
  });
});

// Registered after the model's beforeAll, so the app starts pointed at it. A short lease and look, so the test need not wait minutes.
const h = useCrashHarness('jobcrash', () => modelEnv(model!.baseUrl, { JOB_LEASE_SECONDS: '2', RESUME_SWEEP_SECONDS: '1' }));

afterAll(async () => {
  releaseFirst?.();
  await model?.close();
});

async function current(reviewId: string): Promise<Question | null> {
  const state = (await h.store.get(TEAM, reviewId))!.state;
  return state.currentQuestionId ? (findQuestion(flow, state, state.currentQuestionId) ?? null) : null;
}

describe('the app killed while a suggestion job waits on the model', () => {
  it('runs the job again after a restart, and the suggestions reach the thread once', async () => {
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check Job crash bot' });
    const root = await h.slack.waitFor((view) => view.world.messages.find((message) => message.user === BOT_USER && message.channel === CHANNEL && !message.threadTs), { description: 'the root message' });
    const reviewId = await waitUntil(() => h.store.findByThread(TEAM, CHANNEL, root.ts), 'the review stored');
    const metricQuestion = flow.questions.find((question) => question.suggest === 'proxy-failures')!;

    // Answer up to and including the metric: its answer starts the job, whose model call is held.
    for (let index = 1; index < 20; index++) {
      const question = (await current(reviewId))!;
      const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: root.ts, text: typicalReply(question, index) });
      await waitUntil(async () => (await h.store.get(TEAM, reviewId))!.state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
      if (question.id === metricQuestion.id) break;
    }
    await waitUntil(() => model!.received.some((request) => requestKind(request.body) === 'proxy_failures'), 'the model asked for proxy failures');
    // The job is noted as running, and its outbox item is gone: only the note keeps it.
    expect(await h.redis.zcard(`${h.prefix}:jobs`)).toBe(1);
    await waitUntil(async () => (await h.redis.exists(reviewKeys(h.prefix, TEAM, reviewId).outbox)) === 0, 'the outbox emptied');

    await h.kill();
    expect(h.slack.world.messages.filter(isSuggestionsMessage)).toHaveLength(0);
    const restartedAt = Date.now();
    await h.start();

    const card = await h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && isSuggestionsMessage(message)), {
      description: 'the suggestions in the thread after the restart',
      timeoutMs: 20_000,
    });
    expect(card).toBeDefined();
    // Once, from the second run: the first request's process is gone.
    const proxyRequests = model!.received.filter((request) => requestKind(request.body) === 'proxy_failures');
    expect(proxyRequests).toHaveLength(2);
    expect(proxyRequests[1]!.receivedAt).toBeGreaterThanOrEqual(restartedAt);
    await waitUntil(async () => (await h.redis.zcard(`${h.prefix}:jobs`)) === 0, 'the job dropped once run');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(h.slack.world.messages.filter((message) => message.threadTs === root.ts && isSuggestionsMessage(message))).toHaveLength(1);
    expect((await h.store.get(TEAM, reviewId))!.state.suggestions.length).toBeGreaterThan(0);
  });
});
