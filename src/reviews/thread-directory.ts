/**
 * Which review a thread belongs to, and where that review lives. Both are
 * fixed when the review starts, so each process keeps the ones it has seen
 * (a bounded map, oldest out first) and a reply costs no store read before
 * it is queued. A review deleted meanwhile is harmless: the store refuses to
 * queue inputs for a review it no longer has, and the person is then told of
 * the deletion from the thread's tombstone (thread-input.ts).
 */
import type { ReviewPlacement, ReviewStore } from '../store/types.js';

export interface ThreadEntry {
  reviewId: string;
  placement: ReviewPlacement;
}

/** The thread's review read from the store, as the directory keeps it. */
export async function readThreadEntry(store: ReviewStore, teamId: string, channelId: string, threadTs: string): Promise<ThreadEntry | null> {
  const reviewId = await store.findByThread(teamId, channelId, threadTs);
  if (!reviewId) return null;
  const record = await store.get(teamId, reviewId);
  return record ? { reviewId, placement: record.placement } : null;
}

export class ThreadDirectory {
  private readonly entries = new Map<string, ThreadEntry>();

  constructor(
    private readonly store: ReviewStore,
    private readonly max = 5_000,
  ) {}

  /** The review started in this thread, or null when the app did not start one there. */
  async find(teamId: string, channelId: string, threadTs: string): Promise<ThreadEntry | null> {
    const key = `${teamId}\u0000${channelId}\u0000${threadTs}`;
    const known = this.entries.get(key);
    if (known) {
      // Refresh its place so the busiest threads stay.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const entry = await readThreadEntry(this.store, teamId, channelId, threadTs);
    if (!entry) return null;
    this.entries.set(key, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
