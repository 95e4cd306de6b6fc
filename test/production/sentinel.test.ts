/**
 * The app on Redis with Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME) and
 * REDIS_WAIT_REPLICAS=1 (its one replica), and a failover in the middle of
 * a review: the sentinel promotes the replica, as a managed Redis does
 * during maintenance, while replies are on their way. The app follows the
 * sentinel to the new primary by itself, and the review goes on to its
 * summary with every answer stored once and in order on the new primary,
 * checked once the old primary has been turned into a replica (which
 * throws away whatever was written to it after the switch). A reply caught
 * in the switch is either applied or its sender told it was not saved (and
 * they send it again): nothing is lost silently.
 *
 * Without REDIS_WAIT_REPLICAS this test fails: replies the app wrote to
 * the old primary in the moment before it heard of the switch were taken
 * as stored, and were gone once that primary became a replica.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { findQuestion } from '../../src/engine/index.js';
import type { Flow, Question } from '../../src/engine/types.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { COULD_NOT_SAVE } from '../../src/reviews/thread-input.js';
import { loadAllFlows } from '../../src/server.js';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { ALICE, BOT_USER, CHANNEL, SIGNING_SECRET, TEAM, type Standin } from '../support/app-harness.js';
import { appEnv, startAppProcess, type AppProcess } from '../support/app-process.js';
import { startStandardStandin } from '../support/fault-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { SENTINEL_NAME, startPrivateSentinel, type PrivateSentinel } from '../support/private-sentinel.js';
import { typicalReply, waitUntil } from '../support/review-driver.js';

const flow: Flow = loadAllFlows(parseConfig({ NODE_ENV: 'test' }), createLogger('silent')).get('quick-check')!;
const prefix = `sent${randomBytes(4).toString('hex')}`;

let redis: PrivateSentinel;
let slack: Standin;
let app: AppProcess;
let store: RedisStore;

beforeAll(async () => {
  redis = await startPrivateSentinel();
  slack = await startStandardStandin();
  const extra = { REDIS_SENTINELS: redis.sentinels.map((node) => `${node.host}:${node.port}`).join(','), REDIS_SENTINEL_NAME: SENTINEL_NAME, REDIS_WAIT_REPLICAS: '1' };
  app = await startAppProcess({ env: appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, prefix, extra }) });
  slack.setAppUrl(app.eventsUrl);
  store = new RedisStore({ redis: createRedisConnection({ sentinels: redis.sentinels, sentinelName: SENTINEL_NAME }), prefix, retentionDays: 1 });
}, 60_000);

beforeEach(() => {
  // A failure explains itself with what the app process said.
  onTestFailed(() => {
    console.error([...(app?.output ?? []), ...(app?.logs ?? []).slice(-30).map((line) => JSON.stringify(line))].join('\n'));
  });
});

afterAll(async () => {
  await app?.stop();
  await store?.close();
  await slack?.close();
  await redis?.stop();
});

function questionPosts(threadTs: string, number: number) {
  return slack.world.messages.filter((message) => message.threadTs === threadTs && message.user === BOT_USER && message.text.startsWith(`Question ${number}:`));
}

async function current(reviewId: string): Promise<Question | null> {
  const state = (await store.get(TEAM, reviewId))!.state;
  return state.currentQuestionId ? (findQuestion(flow, state, state.currentQuestionId) ?? null) : null;
}

describe('Redis with Sentinel', () => {
  // About 20 s of it is the sentinel's own timing (the promotion, then the old primary's demotion 10 s later).
  it('a failover mid-review: the app follows the sentinel to the new primary, and the review completes with every answer once, in order', { timeout: 90_000 }, async () => {
    const before = await redis.primaryPort();
    await slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check Sentinel bot' });
    const root = await slack.waitFor((view) => view.world.messages.find((message) => message.user === BOT_USER && !message.threadTs && message.text.includes('Sentinel bot')), { description: 'the root message' });
    const reviewId = await waitUntil(() => store.findByThread(TEAM, CHANNEL, root.ts), 'the review stored');
    await slack.waitFor(() => questionPosts(root.ts, 1)[0], { description: 'question 1' });

    let notSaved = 0;
    let failover: Promise<void> | undefined;
    let failoverMs = 0;
    for (let index = 1; ; index++) {
      const question = await current(reviewId);
      if (!question) break;
      for (;;) {
        const seq = slack.world.seq;
        if (index === 3 && !failover) {
          // The switch starts as this reply is sent; this reply and the next go while it runs.
          const startedAt = Date.now();
          failover = redis.failover().then(() => {
            failoverMs = Date.now() - startedAt;
          });
        }
        // The rest go to the new primary.
        if (index === 5) await failover;
        const { ts } = await slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: root.ts, text: typicalReply(question, index) });
        const outcome = await waitUntil(
          async () => {
            if ((await store.get(TEAM, reviewId).catch(() => null))?.state.answers[question.id]?.messageTs === ts) return 'stored';
            return slack.world.messages.some((message) => message.seq > seq && message.user === BOT_USER && message.text.includes(COULD_NOT_SAVE)) ? 'not saved' : undefined;
          },
          `the answer to ${question.id}, or a note that it was not saved`,
          20_000,
        );
        if (outcome === 'stored') break;
        // As a person told so would: send it again.
        notSaved += 1;
        await failover;
      }
    }
    await failover;
    expect(await redis.primaryPort()).not.toBe(before);

    await slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && /Alignment review summary/.test(message.text)), { description: 'the summary card' });
    // What counts is what the new primary holds once the old one is a replica again: writes that went to the
    // old primary after the switch are gone then. A fresh connection, so nothing is read from the old one.
    await redis.demoted();
    const fresh = new RedisStore({ redis: createRedisConnection({ sentinels: redis.sentinels, sentinelName: SENTINEL_NAME }), prefix, retentionDays: 1 });
    const state = await fresh.get(TEAM, reviewId).finally(() => fresh.close());
    expect(state, 'the review on the new primary').not.toBeNull();
    const stored = state!.state;
    expect(stored.status).toBe('completed');
    expect(stored.asked.length).toBeGreaterThan(5);
    const answered = stored.history.filter((entry) => entry.action === 'answer').map((entry) => entry.questionId);
    expect(new Set(answered).size).toBe(answered.length);
    expect(answered).toEqual(stored.asked.filter((id) => stored.answers[id]));
    let postedTwice = 0;
    for (let number = 1; number <= stored.asked.length; number++) {
      const posts = questionPosts(root.ts, number).length;
      expect(posts, `question ${number}`).toBeGreaterThanOrEqual(1);
      expect(posts, `question ${number}`).toBeLessThanOrEqual(2);
      if (posts === 2) postedTwice += 1;
    }
    expect(postedTwice).toBeLessThanOrEqual(1);
    // The app reports ready on the new primary.
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    recordFigure('sentinel-failover', { questions: stored.asked.length, notSaved, postedTwice, failoverMs, answersLost: 0 });
  });
});
