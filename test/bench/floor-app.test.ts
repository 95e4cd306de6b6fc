/**
 * The benchmark's floor app (bench/floor-app.ts) is a baseline only if it
 * does what it says: per reply, the next question as the app renders it,
 * the answered question updated with the answer, and the state in Redis.
 * A floor that skipped any of them would flatter itself in every run.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackStandin } from '../../src/standin/slack/index.js';
import { appEnv, startAppProcess } from '../support/app-process.js';
import { deleteKeys } from '../support/redis-memory.js';
import { waitUntil } from '../support/review-driver.js';

const SIGNING_SECRET = 'floor-signing-secret-0123456789';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** The floor app as its own process against a stand-in and Redis, with a review started in C0REVIEWS. */
async function startFloorReview(extra: Record<string, string>) {
  const redisUrl = process.env.TEST_REDIS_URL!;
  const redis = new Redis(redisUrl);
  const prefix = `floor${randomBytes(4).toString('hex')}`;
  cleanups.push(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });
  const slack = await startSlackStandin({ signingSecret: SIGNING_SECRET, echoBotEvents: false });
  cleanups.push(() => slack.close());
  const app = await startAppProcess({ env: appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, redisUrl, prefix, extra }), script: 'bench/floor-app.ts', keepLogs: false });
  cleanups.push(() => app.stop('SIGTERM'));
  slack.setAppUrl(app.eventsUrl);

  await slack.slashCommand({ userId: 'U0ALICE', channelId: 'C0REVIEWS', command: '/alignment-review', text: 'floor-tag' });
  const posts = () => slack.calls.filter((call) => call.method === 'chat.postMessage');
  await waitUntil(() => posts().some((call) => call.args.thread_ts !== undefined), 'the first question');
  return { slack, redis, prefix, posts, rootTs: String(posts()[0]!.response!.ts) };
}

describe('the benchmark floor app', () => {
  it('posts the next question, updates the answered one and keeps every answer in Redis, in order', async () => {
    const { slack, redis, prefix, posts, rootTs } = await startFloorReview({});
    const questionPosts = () => posts().filter((call) => call.args.thread_ts === rootTs);
    const updates = () => slack.calls.filter((call) => call.method === 'chat.update');

    const replies = ['Fewer missed diagnoses for patients', 'Accuracy on the cases of last year', 'Nobody checks the flagged scans'];
    for (const [index, text] of replies.entries()) {
      // Sent at once, as the benchmark's closed loop does: the next reply follows the question, not the update.
      await slack.sendMessage({ userId: 'U0ALICE', channelId: 'C0REVIEWS', threadTs: rootTs, text });
      await waitUntil(() => questionPosts().length === index + 2, `question ${index + 2}`);
    }
    await waitUntil(() => updates().length === replies.length, 'the updates');

    const asked = questionPosts().map((call) => String(call.args.text));
    expect(asked.map((text) => text.match(/^Question (\d+):/)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(questionPosts().every((call) => Array.isArray(call.args.blocks) && call.args.blocks.length > 0)).toBe(true);
    // Each update names the question it answered (the one posted before the reply) and shows the answer.
    expect(updates().map((call) => call.args.ts)).toEqual(questionPosts().slice(0, 3).map((call) => call.response!.ts));
    updates().forEach((call, index) => expect(JSON.stringify(call.args.blocks)).toContain(replies[index]));

    const key = (await redis.keys(`${prefix}:floor:*`))[0]!;
    expect(key).toBeDefined();
    await waitUntil(async () => (JSON.parse((await redis.get(key))!) as { answers: unknown[] }).answers.length === replies.length, 'the stored answers');
    const state = JSON.parse((await redis.get(key))!) as { asked: number; answers: { value: { text: string } }[] };
    expect(state.answers.map((answer) => answer.value.text)).toEqual(replies);
    expect(state.asked).toBe(3);
  });

  it('with FLOOR_UPDATES=off posts each next question and leaves the answered ones as they were', async () => {
    const { slack, redis, prefix, posts, rootTs } = await startFloorReview({ FLOOR_UPDATES: 'off' });
    for (const [index, text] of ['One answer', 'Another answer'].entries()) {
      await slack.sendMessage({ userId: 'U0ALICE', channelId: 'C0REVIEWS', threadTs: rootTs, text });
      await waitUntil(() => posts().filter((call) => call.args.thread_ts === rootTs).length === index + 2, `question ${index + 2}`);
    }
    const key = (await redis.keys(`${prefix}:floor:*`))[0]!;
    await waitUntil(async () => (JSON.parse((await redis.get(key))!) as { answers: unknown[] }).answers.length === 2, 'the stored answers');
    expect(slack.calls.filter((call) => call.method === 'chat.update')).toEqual([]);
  });
});
