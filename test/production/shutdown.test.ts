import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../src/standin/slack/index.js';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { appEnv, startAppProcess } from '../support/app-process.js';
import { startSlowApiProxy } from '../support/slow-api-proxy.js';
import { waitUntil } from '../support/review-driver.js';

const SIGNING_SECRET = 'shutdown-signing-secret-0123456789';
const TEAM = 'T0001';
const CHANNEL = 'C0REVIEWS';
const ALICE = 'U0ALICE';
const HOLD_MS = 2500;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function threadQuestions(slack: SlackStandin, threadTs: string) {
  return slack.world.messages.filter((message) => message.threadTs === threadTs && message.botId && /^Question \d+:/.test(message.text));
}

describe('graceful shutdown', () => {
  it('SIGTERM while a reply is being answered: no new requests, the answer stored and the next question posted, exit 0 within 10 s', async () => {
    const prefix = `shut${randomBytes(4).toString('hex')}`;
    const store = new RedisStore({ redis: createRedisConnection({ url: process.env.TEST_REDIS_URL! }), prefix, retentionDays: 1 });
    cleanups.push(async () => {
      const redis = createRedisConnection({ url: process.env.TEST_REDIS_URL! });
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await store.close();
    });
    const slack = await startSlackStandin({ signingSecret: SIGNING_SECRET });
    cleanups.push(() => slack.close());
    const proxy = await startSlowApiProxy(slack.apiUrl);
    cleanups.push(() => proxy.close());
    const app = await startAppProcess({ env: appEnv({ apiUrl: proxy.apiUrl, signingSecret: SIGNING_SECRET, redisUrl: process.env.TEST_REDIS_URL, prefix }) });
    cleanups.push(() => app.stop('SIGKILL'));
    slack.setAppUrl(app.eventsUrl);

    await slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check Shutdown bot' });
    const root = await slack.waitFor(({ world }) => world.messages.find((message) => message.botId && !message.threadTs && message.text.includes('Shutdown bot')), {
      description: 'the root message',
    });
    await slack.waitFor(() => threadQuestions(slack, root.ts)[0], { description: 'question 1' });
    const reviewId = (await store.findByThread(TEAM, CHANNEL, root.ts))!;
    const first = (await store.get(TEAM, reviewId))!.state.currentQuestionId!;

    // The post of question 2 waits at the proxy; SIGTERM arrives while it is in flight.
    const held = proxy.holdNext('chat.postMessage', HOLD_MS);
    const reply = await slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: root.ts, text: 'Help recruiters find qualified people faster and more fairly.' });
    const call = await held;
    const exiting = app.stop('SIGTERM');

    // It stops taking requests at once, while the post is still held.
    await waitUntil(
      () =>
        fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(500) }).then(
          () => null,
          () => true,
        ),
      'the listener to close',
      HOLD_MS - 500,
    );
    expect(Date.now() - call.arrivedAt).toBeLessThan(HOLD_MS);

    const exit = await exiting;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(10_000);
    // It waited for the held post rather than dropping it.
    expect(Date.now() - call.arrivedAt).toBeGreaterThanOrEqual(HOLD_MS);

    const record = (await store.get(TEAM, reviewId))!;
    expect(record.state.answers[first]).toMatchObject({ by: ALICE, messageTs: reply.ts });
    expect(await store.outbox(TEAM, reviewId)).toEqual([]);
    const questions = threadQuestions(slack, root.ts);
    expect(questions.map((message) => message.text.match(/^Question (\d+):/)![1])).toEqual(['1', '2']);
    expect(record.state.currentQuestionId).not.toBe(first);

    expect(app.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['Stopping: no new requests; finishing the replies in flight', 'Stopped']));
  });
});
