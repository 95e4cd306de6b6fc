/**
 * The tombstone a deletion leaves in its review's thread: who deleted it and
 * when, found by the thread, for DELETED_THREAD_SECONDS; nothing of what the
 * review held. Both stores, and on Redis what it costs and how it survives a
 * deletion whose index removal failed.
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletedThreadKey } from '../../src/store/keys.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { DELETED_THREAD_SECONDS, DELETION_NOTE_SECONDS, type ReviewStore } from '../../src/store/types.js';
import { decided, deletionBy, makePlacement, makeState, reply, uniqueId } from './fixtures.js';
import { makeRedisTestStore, type RedisTestStore } from './redis-harness.js';

interface TombstoneHarness {
  store: ReviewStore;
  cleanup(): Promise<void>;
}

function runTombstoneContract(name: string, make: () => Promise<TombstoneHarness>): void {
  describe(`${name}: a deleted review's thread`, () => {
    let h: TombstoneHarness;
    let team: string;
    beforeEach(async () => {
      h = await make();
      team = uniqueId('T');
    });
    afterEach(async () => {
      await h.cleanup();
    });

    async function started(threadTs = '1700000000.000100') {
      const state = makeState();
      const placement = makePlacement({ teamId: team, channelId: 'C1', threadTs });
      await h.store.create({ placement, state }, []);
      return { state, placement };
    }

    it('tells who deleted its review and when, and nothing for a live review’s thread or one never used', async () => {
      const gone = await started('1700000000.000100');
      const kept = await started('1700000000.000200');
      await h.store.enqueue(team, gone.state.id, reply('1700000001.000100'), [], 60);
      expect(await h.store.findThreadDeletion(team, 'C1', gone.placement.threadTs)).toBeNull();

      const deletion = deletionBy('U999');
      expect((await h.store.delete(team, gone.state.id, deletion)).outcome).toBe('deleted');

      expect(await h.store.findThreadDeletion(team, 'C1', gone.placement.threadTs)).toEqual({ by: 'U999', at: deletion.at });
      expect(await h.store.findThreadDeletion(team, 'C1', kept.placement.threadTs)).toBeNull();
      expect(await h.store.findThreadDeletion(team, 'C1', '1700000000.000999')).toBeNull();
      expect(await h.store.findThreadDeletion(team, 'C2', gone.placement.threadTs)).toBeNull();
      expect(await h.store.findThreadDeletion(uniqueId('T'), 'C1', gone.placement.threadTs)).toBeNull();
      // The thread lookup itself is gone, as before: the tombstone is a key of its own.
      expect(await h.store.findByThread(team, 'C1', gone.placement.threadTs)).toBeNull();
      expect(await h.store.findByThread(team, 'C1', kept.placement.threadTs)).toBe(kept.state.id);
    });

    it('keeps the first deletion’s by and at when the deletion runs again or another one finds it gone', async () => {
      const gone = await started();
      const deletion = deletionBy('U999');
      await h.store.delete(team, gone.state.id, deletion);
      await h.store.delete(team, gone.state.id, { ...deletion, at: '2024-05-02T09:00:05.000Z' });
      expect(await h.store.delete(team, gone.state.id, deletionBy('U333', { at: '2024-05-03T09:00:00.000Z' }))).toEqual({ outcome: 'gone' });
      expect(await h.store.findThreadDeletion(team, 'C1', gone.placement.threadTs)).toEqual({ by: 'U999', at: deletion.at });
    });

    it('is not left by a deletion the store refused', async () => {
      const review = await started();
      const read = (await h.store.get(team, review.state.id))!;
      expect(await h.store.commit(team, review.state.id, read.version, decided(review.state), null, [])).toBeTruthy();
      const premise = { version: read.version, decision: null };
      expect(await h.store.delete(team, review.state.id, deletionBy(review.state.startedBy, { premise }))).toEqual({ outcome: 'changed' });
      expect(await h.store.findThreadDeletion(team, 'C1', review.placement.threadTs)).toBeNull();
    });
  });
}

runTombstoneContract('MemoryStore', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));
runTombstoneContract('RedisStore', () => makeRedisTestStore());

describe('MemoryStore: the tombstone’s lifetime', () => {
  it('lasts DELETED_THREAD_SECONDS after the deletion, and no longer', async () => {
    let time = Date.parse('2024-05-02T09:00:00.000Z');
    const store = new MemoryStore({ now: () => time });
    const state = makeState();
    const placement = makePlacement();
    await store.create({ placement, state }, []);
    await store.delete(placement.teamId, state.id, deletionBy('U999'));

    time += DELETED_THREAD_SECONDS * 1000 - 1;
    expect(await store.findThreadDeletion(placement.teamId, placement.channelId, placement.threadTs)).toEqual({ by: 'U999', at: '2024-05-02T09:00:00.000Z' });
    time += 1;
    expect(await store.findThreadDeletion(placement.teamId, placement.channelId, placement.threadTs)).toBeNull();
  });
});

describe('RedisStore: the tombstone in Redis', () => {
  let t: RedisTestStore;
  beforeEach(async () => {
    t = await makeRedisTestStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function deletedReview() {
    const team = uniqueId('T');
    const state = makeState();
    const placement = makePlacement({ teamId: team, channelId: 'C0REVIEW', threadTs: '1732700000.123456' });
    await t.store.create({ placement, state }, []);
    return { team, state, placement, key: deletedThreadKey(t.prefix, team, placement.channelId, placement.threadTs) };
  }

  it('holds only the deletion’s by and at, for far longer than the deletion’s note, in under 200 bytes', async () => {
    const review = await deletedReview();
    await t.store.delete(review.team, review.state.id, deletionBy('U0DAN12345', { at: '2024-11-27T09:41:07.512Z' }));

    expect(JSON.parse((await t.inspect.get(review.key))!)).toEqual({ by: 'U0DAN12345', at: '2024-11-27T09:41:07.512Z' });
    const ttl = await t.inspect.ttl(review.key);
    expect(ttl).toBeGreaterThan(DELETION_NOTE_SECONDS);
    expect(ttl).toBeLessThanOrEqual(DELETED_THREAD_SECONDS);
    const bytes = await (t.inspect as Redis).memory('USAGE', review.key);
    console.info(`deleted thread tombstone: MEMORY USAGE ${bytes} bytes (key ${review.key.length} chars)`);
    // 168 bytes on Redis 7.0 with this key and the app's own prefix (ar): a thread key is 120.
    expect(bytes).toBeLessThan(200);
  });

  it('is left even when the deletion’s index removal failed, and its retry keeps it', async () => {
    const review = await deletedReview();
    const host = t.redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const original = host.arStore_indexRemove!;
    host.arStore_indexRemove = () => {
      host.arStore_indexRemove = original;
      return Promise.reject(new Error('Connection is closed.'));
    };
    const deletion = deletionBy('U999');
    await expect(t.store.delete(review.team, review.state.id, deletion)).rejects.toThrow(/Connection is closed/);
    // The thread key is still there (the failed step), and a reply finds the review gone and its tombstone.
    expect(await t.store.findByThread(review.team, review.placement.channelId, review.placement.threadTs)).toBe(review.state.id);
    expect(await t.store.findThreadDeletion(review.team, review.placement.channelId, review.placement.threadTs)).toEqual({ by: 'U999', at: deletion.at });

    expect((await t.store.delete(review.team, review.state.id, deletion)).outcome).toBe('deleted');
    expect(await t.store.findByThread(review.team, review.placement.channelId, review.placement.threadTs)).toBeNull();
    expect(await t.store.findThreadDeletion(review.team, review.placement.channelId, review.placement.threadTs)).toEqual({ by: 'U999', at: deletion.at });
  });
});
