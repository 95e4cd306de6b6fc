/**
 * The mark that a deleted thread's note went out for one input (a message's
 * m:<ts>, an edit's edit:<ts>:<edited ts>): the first taker gets it, anyone
 * after that (Slack's retry of the event) does not, until it lapses after
 * DELETED_THREAD_NOTE_MARK_SECONDS. Both stores; on Redis, its key and expiry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletedThreadNoteKey } from '../../src/store/keys.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { DELETED_THREAD_NOTE_MARK_SECONDS, type ReviewStore } from '../../src/store/types.js';
import { uniqueId } from './fixtures.js';
import { makeRedisTestStore, type RedisTestStore } from './redis-harness.js';

function runMarkContract(name: string, make: () => Promise<{ store: ReviewStore; cleanup(): Promise<void> }>): void {
  describe(`${name}: the deleted thread's note mark`, () => {
    let h: { store: ReviewStore; cleanup(): Promise<void> };
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('is taken once per team, channel and input', async () => {
      const team = uniqueId('T');
      expect(await h.store.markDeletedThreadNote(team, 'C1', 'm:1700000001.000100')).toBe(true);
      expect(await h.store.markDeletedThreadNote(team, 'C1', 'm:1700000001.000100')).toBe(false);
      expect(await h.store.markDeletedThreadNote(team, 'C1', 'm:1700000001.000100')).toBe(false);
      expect(await h.store.markDeletedThreadNote(team, 'C1', 'm:1700000001.000200')).toBe(true);
      expect(await h.store.markDeletedThreadNote(team, 'C1', 'edit:1700000001.000100:1700000002.000100')).toBe(true);
      expect(await h.store.markDeletedThreadNote(team, 'C1', 'edit:1700000001.000100:1700000002.000100')).toBe(false);
      expect(await h.store.markDeletedThreadNote(team, 'C2', 'm:1700000001.000100')).toBe(true);
      expect(await h.store.markDeletedThreadNote(uniqueId('T'), 'C1', 'm:1700000001.000100')).toBe(true);
    });
  });
}

runMarkContract('MemoryStore', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));
runMarkContract('RedisStore', () => makeRedisTestStore());

describe('MemoryStore: the mark’s lifetime', () => {
  it('lasts DELETED_THREAD_NOTE_MARK_SECONDS, and no longer', async () => {
    let time = Date.parse('2024-05-02T09:00:00.000Z');
    const store = new MemoryStore({ now: () => time });
    expect(await store.markDeletedThreadNote('T1', 'C1', 'm:1700000001.000100')).toBe(true);
    time += DELETED_THREAD_NOTE_MARK_SECONDS * 1000 - 1;
    expect(await store.markDeletedThreadNote('T1', 'C1', 'm:1700000001.000100')).toBe(false);
    time += 1;
    expect(await store.markDeletedThreadNote('T1', 'C1', 'm:1700000001.000100')).toBe(true);
  });
});

describe('RedisStore: the mark in Redis', () => {
  let t: RedisTestStore;
  beforeEach(async () => {
    t = await makeRedisTestStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('is a key in the team’s slot that lapses after DELETED_THREAD_NOTE_MARK_SECONDS', async () => {
    const team = uniqueId('T');
    await t.store.markDeletedThreadNote(team, 'C0REVIEW', 'm:1732700000.123456');
    const key = deletedThreadNoteKey(t.prefix, team, 'C0REVIEW', 'm:1732700000.123456');
    expect(key).toBe(`${t.prefix}:{${team}}:told:C0REVIEW:m:1732700000.123456`);
    const ttl = await t.inspect.ttl(key);
    expect(ttl).toBeGreaterThan(DELETED_THREAD_NOTE_MARK_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(DELETED_THREAD_NOTE_MARK_SECONDS);
  });
});
