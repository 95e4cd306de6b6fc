/** Redis stores for tests: each under its own random prefix, removed again afterwards. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { RedisStore } from '../../src/store/redis-store.js';

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set; run the tests through vitest (test/support/global-setup.ts)');
  return url;
}

export function freshPrefix(): string {
  return `t:${randomBytes(6).toString('hex')}`;
}

/** Every key under a prefix, by SCAN. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

export interface RedisTestStore {
  store: RedisStore;
  /** The store's own connection (its scripts are defined on it). */
  redis: Redis;
  /** A second connection for looking at keys directly. */
  inspect: Redis;
  prefix: string;
  cleanup(): Promise<void>;
}

export async function makeRedisTestStore(options: { now?: () => number; retentionDays?: number } = {}): Promise<RedisTestStore> {
  const prefix = freshPrefix();
  const redis = createRedisConnection({ url: testRedisUrl() }) as Redis;
  const store = new RedisStore({
    redis,
    prefix,
    retentionDays: options.retentionDays ?? 30,
    now: options.now,
  });
  const inspect = new Redis(testRedisUrl());
  return {
    store,
    redis,
    inspect,
    prefix,
    cleanup: async () => {
      const keys = await keysUnder(inspect, prefix);
      if (keys.length > 0) await inspect.del(...keys);
      await store.close();
      await inspect.quit();
    },
  };
}
