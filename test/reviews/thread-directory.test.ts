import { describe, expect, it } from 'vitest';
import { ThreadDirectory } from '../../src/reviews/thread-directory.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { ReviewState } from '../../src/engine/types.js';

function state(id: string): ReviewState {
  return {
    schema: 1, id, flowId: 'quick-check', flowVersion: 1, systemName: 'S', startedBy: 'U1', startedAt: '2026-01-01T00:00:00.000Z',
    status: 'active', currentQuestionId: null, asked: [], answers: {}, extraQuestions: [], suggestions: [], redTeam: [], history: [],
  };
}

class CountingStore extends MemoryStore {
  reads = 0;
  override async findByThread(teamId: string, channelId: string, threadTs: string) {
    this.reads++;
    return super.findByThread(teamId, channelId, threadTs);
  }
}

describe('ThreadDirectory', () => {
  it('reads the store once per thread, and not at all for a thread it knows', async () => {
    const store = new CountingStore({ retentionDays: 1 });
    await store.create({ placement: { teamId: 'T1', channelId: 'C1', threadTs: '1.000100' }, state: state('RAAAA1') }, []);
    const directory = new ThreadDirectory(store);
    expect(await directory.find('T1', 'C1', '1.000100')).toMatchObject({ reviewId: 'RAAAA1', placement: { channelId: 'C1' } });
    expect(await directory.find('T1', 'C1', '1.000100')).toMatchObject({ reviewId: 'RAAAA1' });
    expect(store.reads).toBe(1);
    // A thread that is not a review is asked about each time (nothing to keep).
    expect(await directory.find('T1', 'C1', '9.000100')).toBeNull();
    expect(await directory.find('T1', 'C1', '9.000100')).toBeNull();
    expect(store.reads).toBe(3);
  });

  it('keeps at most its bound, dropping the least recently used', async () => {
    const store = new CountingStore({ retentionDays: 1 });
    for (const n of [1, 2, 3]) await store.create({ placement: { teamId: 'T1', channelId: 'C1', threadTs: `${n}.000100` }, state: state(`RAAAA${n}`) }, []);
    const directory = new ThreadDirectory(store, 2);
    await directory.find('T1', 'C1', '1.000100');
    await directory.find('T1', 'C1', '2.000100');
    await directory.find('T1', 'C1', '1.000100');
    await directory.find('T1', 'C1', '3.000100');
    expect(directory.size).toBe(2);
    const before = store.reads;
    await directory.find('T1', 'C1', '1.000100');
    expect(store.reads).toBe(before);
    await directory.find('T1', 'C1', '2.000100');
    expect(store.reads).toBe(before + 1);
  });
});
