import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { testRedisUrl } from './redis-harness.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Gives three commands in one turn and says what had reached the socket by the end of that turn's synchronous part. */
function threeInOneTurn(redis: Redis, key: string) {
  const replies = Promise.all([redis.set(key, 'a'), redis.append(key, 'b'), redis.get(key)]);
  return { held: redis.stream.writableLength, corked: redis.stream.writableCorked, replies };
}

async function ready(redis: Redis): Promise<void> {
  await redis.ping();
  await nextTurn();
}

describe('the Redis connection sends the commands of one turn in one write', () => {
  let redis: Redis;
  const key = `test:coalesce:${process.pid}`;

  beforeAll(async () => {
    redis = createRedisConnection({ url: testRedisUrl() }) as Redis;
    await ready(redis);
  });

  afterAll(async () => {
    await redis.del(key);
    await redis.quit();
  });

  it('holds the turn’s commands in the socket until the turn ends, then sends them in order', async () => {
    const turn = threeInOneTurn(redis, key);
    // Written one by one, each would have gone to the kernel at once and nothing would be held.
    expect(turn.corked).toBe(1);
    expect(turn.held).toBeGreaterThan(30);
    await nextTurn();
    expect(redis.stream.writableLength).toBe(0);
    expect(redis.stream.writableCorked).toBe(0);
    expect(await turn.replies).toEqual(['OK', 2, 'ab']);
  });

  it('starts afresh in the next turn', async () => {
    await redis.set(key, 'x');
    const second = threeInOneTurn(redis, key);
    expect(second.corked).toBe(1);
    expect(await second.replies).toEqual(['OK', 2, 'ab']);
  });

  it('answers many commands given at once, across turns, each with its own reply', async () => {
    const keys = Array.from({ length: 200 }, (_, index) => `${key}:${index}`);
    const writes = keys.map((each, index) => (index % 2 === 0 ? redis.set(each, String(index)) : nextTurn().then(() => redis.set(each, String(index)))));
    await Promise.all(writes);
    expect(await redis.mget(...keys)).toEqual(keys.map((_, index) => String(index)));
    await redis.del(...keys);
  });
});

describe('after Redis comes back', () => {
  let server: PrivateRedis;

  beforeAll(async () => {
    server = await startPrivateRedis();
  });

  afterAll(async () => {
    await server.kill();
  });

  it('coalesces on the new connection too', async () => {
    const redis = createRedisConnection({ url: server.url }) as Redis;
    try {
      await ready(redis);
      const before = redis.stream;
      await server.kill();
      await server.restart();
      await expect.poll(async () => redis.ping().catch(() => 'down'), { timeout: 10_000, interval: 100 }).toBe('PONG');
      await nextTurn();
      expect(redis.stream).not.toBe(before);
      const turn = threeInOneTurn(redis, 'k');
      expect(turn.corked).toBe(1);
      expect(await turn.replies).toEqual(['OK', 2, 'ab']);
    } finally {
      redis.disconnect();
    }
  });
});
