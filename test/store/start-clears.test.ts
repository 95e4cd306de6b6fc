/**
 * A start's note whose clear failed because Redis was away: the person was
 * told about their start already, so the look for lost starts must not tell
 * them again once Redis is back. The store remembers the clear and makes it
 * moments after Redis answers again (before another replica's look comes
 * round), and its own claims drop the note meanwhile. Real Redis servers of
 * their own, killed and restarted; the app's kind of connection.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { PendingStart } from '../../src/store/types.js';
import { privateRedisPerTest } from '../support/fault-redis.js';
import { until } from '../support/redis-processes.js';

const TEAM = 'T0CLEARS';
const PREFIX = 'clears';

const redisServer = privateRedisPerTest();

function replica(url: string): RedisStore {
  const redis = redisServer.keep(createRedisConnection({ url }, () => {}) as Redis);
  return new RedisStore({ redis, prefix: PREFIX, retentionDays: 1 });
}

/** Noted ten minutes ago: any look would take it as lost. */
function oldStart(): PendingStart {
  return { channelId: 'C0REVIEW', userId: 'U0ALICE', systemName: 'Resume screener', notedAt: Date.now() - 10 * 60_000 };
}

/** Notes a start, kills Redis, and fails to clear the note, as a start that failed in an outage does. */
async function clearFailedInAnOutage(store: RedisStore, startId: string): Promise<void> {
  expect(await store.noteStart(TEAM, startId, oldStart(), 'new')).toBe(true);
  await redisServer.server.kill();
  await expect(store.clearStart(TEAM, startId)).rejects.toThrow();
  await redisServer.server.restart();
}

describe('clearing a start note while Redis is away', () => {
  it('this store’s look never returns the note, even before the clear is made again', async () => {
    const server = await redisServer.start();
    const store = replica(server.url);
    await clearFailedInAnOutage(store, 'trigger-1');
    // Straight after the restart, before the store's retry: the claim itself leaves the note out.
    expect(await store.claimLostStarts(Date.now(), 10)).toEqual([]);
    const direct = redisServer.keep(new Redis(server.url));
    expect(await direct.keys(`${PREFIX}:*`)).toEqual([]);
  });

  it('the note is gone moments after Redis is back, so another replica’s look finds nothing', async () => {
    const server = await redisServer.start();
    const failed = replica(server.url);
    const other = replica(server.url);
    await clearFailedInAnOutage(failed, 'trigger-2');
    const direct = redisServer.keep(new Redis(server.url));
    // The store tries every 2 s: well before a look (every minute) comes round.
    await until('the remembered clear', async () => (await direct.keys(`${PREFIX}:*`)).length === 0, 10_000);
    expect(await other.claimLostStarts(Date.now(), 10)).toEqual([]);
  });

  it('a start noted and not cleared is still claimed, once, by one replica', async () => {
    const server = await redisServer.start();
    const [a, b] = [replica(server.url), replica(server.url)];
    await a.noteStart(TEAM, 'trigger-3', oldStart(), 'new');
    const claims = await Promise.all([a.claimLostStarts(Date.now(), 10), b.claimLostStarts(Date.now(), 10)]);
    expect(claims.flat().map((claimed) => claimed.startId)).toEqual(['trigger-3']);
  });
});
