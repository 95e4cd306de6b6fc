/**
 * listByTeamPerKind, in both stores: the team's reviews newest first with a
 * quota per kind (a group of statuses), so many reviews of one kind do not
 * crowd out another, and a bound on the index entries read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewStatus } from '../../src/engine/types.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { ReviewStore, StatusKind } from '../../src/store/types.js';
import { makePlacement, makeState, uniqueId } from './fixtures.js';
import { makeRedisTestStore, type RedisTestStore } from './redis-harness.js';

const OPEN: StatusKind = ['active', 'paused'];
const KINDS: readonly StatusKind[] = [OPEN, ['completed'], ['cancelled']];

const stores: [string, () => Promise<{ store: ReviewStore; cleanup(): Promise<void> }>][] = [
  ['MemoryStore', async () => ({ store: new MemoryStore(), cleanup: async () => undefined })],
  [
    'RedisStore',
    async () => {
      const made: RedisTestStore = await makeRedisTestStore();
      return { store: made.store, cleanup: made.cleanup };
    },
  ],
];

describe.each(stores)('%s listByTeamPerKind', (_name, make) => {
  let store: ReviewStore;
  let cleanup: () => Promise<void>;
  let team: string;
  let minute = 0;

  beforeEach(async () => {
    ({ store, cleanup } = await make());
    team = uniqueId('T');
    minute = 0;
  });

  afterEach(async () => {
    await cleanup();
  });

  /** Reviews of one status, each started a minute after the last: the later, the newer. */
  async function add(status: ReviewStatus, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      minute += 1;
      const state = makeState({ status, startedAt: new Date(Date.UTC(2024, 4, 1, 0, minute)).toISOString() });
      await store.create({ placement: makePlacement({ teamId: team, threadTs: `1700000000.${String(minute).padStart(6, '0')}` }), state }, []);
      ids.push(state.id);
    }
    return ids.reverse();
  }

  it('keeps up to the limit of each kind, newest first, whatever the newer reviews of another kind', async () => {
    const open = await add('active', 2);
    const paused = await add('paused', 1);
    const finished = await add('completed', 3);
    const cancelled = await add('cancelled', 25);
    // listByTeam with the same limit sees only cancelled ones.
    expect((await store.listByTeam(team, 3)).every((entry) => entry.status === 'cancelled')).toBe(true);

    const listed = await store.listByTeamPerKind(team, KINDS, 3, 100);
    expect(listed.map((entry) => entry.reviewId)).toEqual([...cancelled.slice(0, 3), ...finished, ...paused, ...open]);
    expect(listed[0]).toMatchObject({ teamId: team, channelId: 'C111', status: 'cancelled' });
  });

  it('skips the statuses of no kind asked for', async () => {
    const open = await add('active', 2);
    await add('cancelled', 5);
    expect((await store.listByTeamPerKind(team, [OPEN], 10, 100)).map((entry) => entry.reviewId)).toEqual(open);
  });

  it('reads no more than maxRead entries of the index, so a rarer kind further down is not found', async () => {
    const open = await add('active', 1);
    const cancelled = await add('cancelled', 30);
    expect((await store.listByTeamPerKind(team, KINDS, 5, 30)).map((entry) => entry.reviewId)).toEqual(cancelled.slice(0, 5));
    expect((await store.listByTeamPerKind(team, KINDS, 5, 31)).map((entry) => entry.reviewId)).toEqual([...cancelled.slice(0, 5), ...open]);
  });

  it('lists only the team asked for', async () => {
    await add('active', 2);
    expect(await store.listByTeamPerKind(uniqueId('T'), KINDS, 10, 100)).toEqual([]);
  });
});
