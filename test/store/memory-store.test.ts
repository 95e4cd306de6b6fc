import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { runStoreContract } from './contract.js';
import { makePlacement, makeState, reply } from './fixtures.js';

function clockedStore(retentionDays?: number) {
  let time = Date.parse('2024-05-01T12:00:00.000Z');
  const store = new MemoryStore({ now: () => time, retentionDays });
  return {
    store,
    advance: async (ms: number) => {
      time += ms;
    },
  };
}

runStoreContract('MemoryStore', async () => ({ ...clockedStore(), cleanup: async () => {} }));

describe('MemoryStore', () => {
  it('refuses to run in production', () => {
    expect(() => new MemoryStore({ nodeEnv: 'production' })).toThrow(
      'The in-process store is for the local playground and tests; set REDIS_URL in production',
    );
    expect(() => new MemoryStore({ nodeEnv: 'development' })).not.toThrow();
  });

  it('reads NODE_ENV when not told', () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => new MemoryStore()).toThrow(/REDIS_URL/);
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('forgets a review, its thread and its list entry once retention has passed without a change', async () => {
    const { store, advance } = clockedStore(2);
    const state = makeState();
    const placement = makePlacement();
    await store.create({ placement, state }, []);

    await advance(1.5 * 86_400_000);
    expect(await store.commit('T111', state.id, 1, state, null, [])).toEqual({ next: null, held: true });
    await advance(1.5 * 86_400_000);
    expect(await store.get('T111', state.id)).not.toBeNull();

    await advance(0.6 * 86_400_000);
    expect(await store.get('T111', state.id)).toBeNull();
    expect(await store.enqueue('T111', state.id, reply('1700000001.000100'), [], 60)).toBe(false);
    expect(await store.listByTeam('T111', 10)).toEqual([]);

    await advance(1 * 86_400_000);
    expect(await store.findByThread('T111', placement.channelId, placement.threadTs)).toBeNull();
  });

  it('rejects ids that RedisStore could not key either', async () => {
    const { store } = clockedStore();
    await expect(store.get('T{1}', 'r1')).rejects.toThrow(/team id/);
    await expect(store.hit('has space', 10)).rejects.toThrow(/rate key/);
  });
});
