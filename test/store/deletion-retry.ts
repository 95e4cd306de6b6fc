/**
 * A deletion whose index removal failed, run again: the review's own keys
 * went with delete.lua, its index entries (the team's slot) and its
 * reminder (a slot of their own) are separate steps, which on a Redis
 * Cluster no script can join. The retry must finish them. The failure is
 * made in the client, the way a connection lost at that moment fails the
 * call: the second script is refused once.
 */
import type { Cluster, Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelListKey, remindersKey, teamKeys, threadKey } from '../../src/store/keys.js';
import type { RedisStore } from '../../src/store/redis-store.js';
import { deletionBy, makePlacement, makeState, uniqueId } from './fixtures.js';

export interface DeletionRetryHarness {
  store: RedisStore;
  /** The store's own connection, whose index-remove script is made to fail once. */
  redis: Redis | Cluster;
  prefix: string;
  cleanup(): Promise<void>;
}

type CommandHost = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** The next run of index-remove.lua on this connection fails, as if the connection dropped, before reaching Redis. */
function failIndexRemovalOnce(redis: Redis | Cluster): void {
  const host = redis as unknown as CommandHost;
  const command = 'arStore_indexRemove';
  const original = host[command]!;
  host[command] = () => {
    host[command] = original;
    return Promise.reject(new Error('Connection is closed.'));
  };
}

export function runDeletionRetryCases(name: string, make: () => Promise<DeletionRetryHarness>): void {
  describe(`${name}: a deletion whose index removal failed`, () => {
    let h: DeletionRetryHarness;
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    /** A review with every index entry a review has: thread, channel and team lists, a reminder. */
    async function indexedReview() {
      const team = uniqueId('T');
      const state = makeState();
      const placement = makePlacement({ teamId: team, channelId: 'C1' });
      await h.store.create({ placement, state }, []);
      await h.store.scheduleReminder(team, state.id, Date.now() + 3_600_000);
      return { team, id: state.id, placement };
    }

    async function indexTraces(review: Awaited<ReturnType<typeof indexedReview>>): Promise<string[]> {
      const traces: string[] = [];
      if ((await h.redis.get(threadKey(h.prefix, review.team, 'C1', review.placement.threadTs))) === review.id) traces.push('thread');
      if ((await h.redis.zscore(channelListKey(h.prefix, review.team, 'C1'), review.id)) !== null) traces.push('channel');
      if ((await h.redis.zscore(teamKeys(h.prefix, review.team).all, review.id)) !== null) traces.push('team');
      if ((await h.redis.zscore(remindersKey(h.prefix), `${review.team} ${review.id}`)) !== null) traces.push('reminder');
      return traces;
    }

    it('is finished by its retry: the same deletion removes the index entries and the reminder, and answers as the first run would have', async () => {
      const review = await indexedReview();
      const deletion = deletionBy('U999');
      failIndexRemovalOnce(h.redis);
      await expect(h.store.delete(review.team, review.id, deletion)).rejects.toThrow(/Connection is closed/);
      // The review's own keys are gone; its index entries are what the failed step left.
      expect(await h.store.get(review.team, review.id)).toBeNull();
      expect(await indexTraces(review)).toEqual(['thread', 'channel', 'team', 'reminder']);

      expect(await h.store.delete(review.team, review.id, deletion)).toEqual({ outcome: 'deleted', placement: review.placement, refs: {}, by: 'U999', at: deletion.at });
      expect(await indexTraces(review)).toEqual([]);
    });

    it('is finished by another deletion of it too, which finds the review gone', async () => {
      const review = await indexedReview();
      failIndexRemovalOnce(h.redis);
      await expect(h.store.delete(review.team, review.id, deletionBy('U999'))).rejects.toThrow(/Connection is closed/);
      expect(await h.store.delete(review.team, review.id, deletionBy('U333'))).toEqual({ outcome: 'gone' });
      expect(await indexTraces(review)).toEqual([]);
    });
  });
}
