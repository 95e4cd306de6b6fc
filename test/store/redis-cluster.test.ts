/**
 * The store on a real Redis Cluster (REDIS_CLUSTER_NODES): three primaries
 * of the test's own. Every atomic step is a Lua script over one review's
 * keys or one team's keys, each group under one hash tag, so a Cluster
 * runs them all; a script that reached across slots would fail here with
 * CROSSSLOT. The whole store contract runs against it, and the look for
 * reviews left with work scans every primary.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from 'ioredis';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { startPrivateCluster, type PrivateCluster } from '../support/private-cluster.js';
import { runStoreContract } from './contract.js';
import { makePlacement, makeState, post } from './fixtures.js';
import { freshPrefix } from './redis-harness.js';
import { runDeletionRetryCases } from './deletion-retry.js';

let cluster: PrivateCluster | undefined;

beforeAll(async () => {
  cluster = await startPrivateCluster();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

function clusterStore(): { store: RedisStore; redis: Cluster; prefix: string } {
  const redis = createRedisConnection({ clusterNodes: cluster!.nodes }) as Cluster;
  const prefix = freshPrefix();
  return { store: new RedisStore({ redis, prefix, retentionDays: 30 }), redis, prefix };
}

runStoreContract('RedisStore on a Redis Cluster of three primaries', async () => {
  const { store } = clusterStore();
  return { store, advance: (ms) => sleep(ms), cleanup: () => store.close() };
});

runDeletionRetryCases('RedisStore on a Redis Cluster of three primaries', async () => {
  const { store, redis, prefix } = clusterStore();
  return { store, redis, prefix, cleanup: () => store.close() };
});

describe('reviews with work on a Redis Cluster', () => {
  it('finds them on every primary', async () => {
    const { store, redis, prefix } = clusterStore();
    try {
      const ids: string[] = [];
      // Twelve teams: their reviews' hash tags fall in slots of all three primaries.
      for (let i = 0; i < 12; i++) {
        const state = makeState({ id: `RCLUS${String(i).padStart(3, '0')}` });
        await store.create({ placement: makePlacement({ teamId: `T0CLUSTER${i}` }), state }, [post('o:start')]);
        ids.push(state.id);
      }
      const holding = await Promise.all(redis.nodes('master').map((node) => node.dbsize()));
      expect(holding.filter((keys) => keys > 0).length).toBe(3);
      const found = await store.reviewsWithWork(100);
      expect(found.map((review) => review.reviewId).sort()).toEqual(ids);
      // A replica's first look comes right after it starts, before its connection has asked for the slots.
      const fresh = new RedisStore({ redis: createRedisConnection({ clusterNodes: cluster!.nodes }), prefix, retentionDays: 30 });
      try {
        expect((await fresh.reviewsWithWork(100)).map((review) => review.reviewId).sort()).toEqual(ids);
      } finally {
        await fresh.close();
      }
    } finally {
      await store.close();
    }
  });
});
