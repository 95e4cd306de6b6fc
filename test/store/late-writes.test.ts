/**
 * A new review, a deletion or a setting the store gave up on (its command
 * timed out while Redis held it: stalled, not gone) must not happen when Redis runs it
 * later, or the person told it failed was told something untrue. The
 * scripts refuse to run past a deadline in Redis's own clock
 * (refuse-if-late.lua). A Redis server of their own, made to hold every
 * write with CLIENT PAUSE WRITE; the app's kind of connection.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { privateRedisPerTest } from '../support/fault-redis.js';
import type { DeleteResult } from '../../src/store/types.js';
import { deletionBy, makePlacement, makeState } from './fixtures.js';

const TEAM = 'T0LATE';

const redisServer = privateRedisPerTest();

function connect(url: string, kind: 'app' | 'plain'): Redis {
  return redisServer.keep(kind === 'app' ? (createRedisConnection({ url }, () => {}) as Redis) : new Redis(url));
}

/** A store with a review and a setting, whose clock reading (taken in the background when it is made) is done. */
async function storeWithAReview(redis: Redis) {
  const store = new RedisStore({ redis, prefix: 'late', retentionDays: 1 });
  const state = makeState();
  await store.create({ placement: makePlacement({ teamId: TEAM }), state }, []);
  await store.setSetting(TEAM, 'leads_channel', 'C0BEFORE');
  return { store, reviewId: state.id };
}

/** Holds every write for `ms`, runs `during`, and lets Redis go on; resolves once Redis has run what it held. */
async function whileWritesAreHeld(admin: Redis, ms: number, during: () => Promise<void>): Promise<void> {
  await admin.call('CLIENT', 'PAUSE', String(ms), 'WRITE');
  try {
    await during();
  } finally {
    await admin.call('CLIENT', 'UNPAUSE');
  }
  // Anything written after UNPAUSE on a connection runs after what that connection sent before it.
  await admin.ping();
}

describe('a write the store gave up on while Redis held it', () => {
  it('changes nothing when Redis runs it late: neither a new review, a deletion nor a setting', async () => {
    const server = await redisServer.start();
    const admin = connect(server.url, 'plain');
    const redis = connect(server.url, 'app');
    const { store, reviewId } = await storeWithAReview(redis);
    const another = { placement: makePlacement({ teamId: TEAM, threadTs: '1700000000.000200' }), state: makeState() };

    await whileWritesAreHeld(admin, 10_000, async () => {
      await expect(store.create(another, [])).rejects.toThrow(/timed out/);
      await expect(store.delete(TEAM, reviewId, deletionBy())).rejects.toThrow(/timed out/);
      await expect(store.setSetting(TEAM, 'leads_channel', 'C0AFTER')).rejects.toThrow(/timed out/);
    });
    // The held scripts have run by now, on the store's connection, each past its deadline.
    await store.ping();

    expect(await store.get(TEAM, another.state.id)).toBeNull();
    expect(await store.get(TEAM, reviewId)).not.toBeNull();
    expect((await store.getSettings(TEAM)).leads_channel).toBe('C0BEFORE');
    // Done again once Redis answers, they happen.
    await store.create(another, []);
    expect((await store.delete(TEAM, reviewId, deletionBy())).outcome).toBe('deleted');
    await store.setSetting(TEAM, 'leads_channel', 'C0AFTER');
    expect(await store.get(TEAM, another.state.id)).not.toBeNull();
    expect(await store.get(TEAM, reviewId)).toBeNull();
    expect((await store.getSettings(TEAM)).leads_channel).toBe('C0AFTER');
  });

  it('still happens when Redis runs it while the store waits for it', async () => {
    const server = await redisServer.start();
    const admin = connect(server.url, 'plain');
    const redis = connect(server.url, 'app');
    const { store, reviewId } = await storeWithAReview(redis);

    // Held for less than the deadline leaves: the deletion runs in time, and the store hears of it.
    let deleted: Promise<DeleteResult> | undefined;
    await whileWritesAreHeld(admin, 400, async () => {
      deleted = store.delete(TEAM, reviewId, deletionBy());
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect((await deleted)?.outcome).toBe('deleted');
    expect(await store.get(TEAM, reviewId)).toBeNull();
  });

  it('is run whenever Redis gets to it on a connection that never gives up (no command timeout: no deadline)', async () => {
    const server = await redisServer.start();
    const admin = connect(server.url, 'plain');
    const { store, reviewId } = await storeWithAReview(connect(server.url, 'plain'));

    let deleted: Promise<DeleteResult> | undefined;
    await whileWritesAreHeld(admin, 3000, async () => {
      deleted = store.delete(TEAM, reviewId, deletionBy());
      await new Promise((resolve) => setTimeout(resolve, 2500));
    });
    expect((await deleted)?.outcome).toBe('deleted');
  });
});
