/**
 * Redis memory of finished reviews: MEMORY USAGE (exact, SAMPLES 0) of each
 * finished review's own keys plus its thread → review key, and what the
 * team's shared indexes (lists by channel and team, settings) cost per
 * review. Reads keys by SCAN under the run's prefix; changes nothing.
 */
import type { Redis } from 'ioredis';
import { threadKey } from '../../src/store/keys.js';
import type { ReviewStore } from '../../src/store/types.js';

export interface ReviewMemory {
  finished: number;
  /** Bytes per finished review: its own keys and its thread key. */
  perReview: number[];
  /** Of which the dedupe marks (the `seen` hash, gone 15 minutes after the last reply). */
  seenPerReview: number[];
  /** The team's index keys, divided by every review they list. */
  sharedPerReview: number;
  /** Mean bytes per finished review by key (state, refs, seen, thread…). */
  byKey: Record<string, number>;
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function usage(redis: Redis, key: string): Promise<number> {
  return Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
}

export async function measureReviewMemory(redis: Redis, store: ReviewStore, prefix: string, teamId: string): Promise<ReviewMemory> {
  const keys = await scanKeys(redis, `${prefix}:*`);
  const reviewTag = new RegExp(`^${prefix}:\\{${teamId}:([^}]+)\\}:(\\w+)$`);
  const byReview = new Map<string, string[]>();
  const teamLevel: string[] = [];
  for (const key of keys) {
    const match = reviewTag.exec(key);
    if (match) byReview.set(match[1]!, [...(byReview.get(match[1]!) ?? []), key]);
    else if (key.startsWith(`${prefix}:{${teamId}}:`) && !key.includes(':thread:')) teamLevel.push(key);
  }
  const perReview: number[] = [];
  const seenPerReview: number[] = [];
  const byKey: Record<string, number> = {};
  for (const [reviewId, reviewKeys] of byReview) {
    const record = await store.get(teamId, reviewId);
    if (record?.state.status !== 'completed') continue;
    const own = [...reviewKeys, threadKey(prefix, teamId, record.placement.channelId, record.placement.threadTs)];
    let total = 0;
    let seen = 0;
    for (const key of own) {
      const bytes = await usage(redis, key);
      total += bytes;
      const kind = key.includes(':thread:') ? 'thread' : key.slice(key.lastIndexOf(':') + 1);
      byKey[kind] = (byKey[kind] ?? 0) + bytes;
      if (kind === 'seen') seen += bytes;
    }
    perReview.push(total);
    seenPerReview.push(seen);
  }
  let shared = 0;
  for (const key of teamLevel) shared += await usage(redis, key);
  for (const kind of Object.keys(byKey)) byKey[kind] = byKey[kind]! / Math.max(1, perReview.length);
  return { finished: perReview.length, perReview, seenPerReview, sharedPerReview: byReview.size > 0 ? shared / byReview.size : 0, byKey };
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  const keys = await scanKeys(redis, `${prefix}:*`);
  for (let index = 0; index < keys.length; index += 500) await redis.del(...keys.slice(index, index + 500));
  return keys.length;
}
