/**
 * The store-level guarantees the Redis outage tests rely on, made
 * deterministic: an input retracted (dropped) after a drainer picked it up
 * is refused at commit, a lock can be taken with a token chosen beforehand
 * (so a lock call that failed on the client but ran in Redis can still be
 * released), and a late-queued input that was retracted is never applied.
 * Both stores, same rules.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReview } from '../../src/reviews/start-review.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { ReviewStore } from '../../src/store/types.js';
import { takeLock } from '../store/fixtures.js';
import { waitUntil } from '../support/review-driver.js';
import { inProcessReviews } from '../support/fault-deps.js';

const TEAM = 'T0RETRACT';
const CHANNEL = 'C0RETRACT';
let redis: Redis;
const prefix = `retract${randomBytes(4).toString('hex')}`;

beforeAll(() => {
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const stores: [string, () => ReviewStore][] = [
  ['memory', () => new MemoryStore({ retentionDays: 1 })],
  ['redis', () => new RedisStore({ redis, prefix, retentionDays: 1 })],
];

async function startedReview(store: ReviewStore) {
  const reviews = inProcessReviews(store);
  const result = await startReview(reviews.deps, reviews.inbox, reviews.client, {
    teamId: TEAM,
    channelId: CHANNEL,
    userId: 'U0ALICE',
    systemName: `Retraction ${randomBytes(3).toString('hex')}`,
    flowId: 'quick-check',
  });
  if (!result.ok) throw new Error(result.message);
  return { ...reviews, reviewId: result.reviewId, threadTs: result.threadTs };
}

function reply(text: string, ts: string) {
  return { id: `m:${ts}`, seq: ts, input: { type: 'reply' as const, text, messageTs: ts, by: 'U0ALICE', at: new Date().toISOString() } };
}

describe.each(stores)('%s store', (_name, makeStore) => {
  it('refuses a commit whose input was dropped after the drainer read it', async () => {
    const store = makeStore();
    const { reviewId } = await startedReview(store);
    const record = (await store.get(TEAM, reviewId))!;
    await store.enqueue(TEAM, reviewId, { id: 'm:1.1', seq: '1.1', payload: { input: {} } }, [], 60);
    const item = (await store.peek(TEAM, reviewId))!;
    await store.dropInput(TEAM, reviewId, item.id);
    const moved = { ...record.state, systemName: 'changed' };
    expect(await store.commit(TEAM, reviewId, record.version, moved, item.id, [])).toBe(false);
    expect((await store.get(TEAM, reviewId))!.version).toBe(record.version);
    expect((await store.get(TEAM, reviewId))!.state.systemName).toBe(record.state.systemName);
    // Without a consumed input the same commit goes through.
    expect(await store.commit(TEAM, reviewId, record.version, moved, null, [])).toBeTruthy();
  });

  it('takes a lock with a token chosen beforehand and releases it with that token', async () => {
    const store = makeStore();
    const { reviewId } = await startedReview(store);
    expect(await takeLock(store, TEAM, reviewId, 10_000, 'chosen-token')).toBe('chosen-token');
    expect(await takeLock(store, TEAM, reviewId, 10_000, 'other-token')).toBeNull();
    await store.unlock(TEAM, reviewId, 'other-token');
    expect(await takeLock(store, TEAM, reviewId, 10_000)).toBeNull();
    await store.unlock(TEAM, reviewId, 'chosen-token');
    const next = await takeLock(store, TEAM, reviewId, 10_000);
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe('chosen-token');
  });

  it('never applies an input retracted between a drainer’s read and its commit', async () => {
    const base = makeStore();
    const { reviewId } = await startedReview(base);
    const before = (await base.get(TEAM, reviewId))!;
    // The retraction lands right after the drainer read the input.
    const racing: ReviewStore = Object.create(base) as ReviewStore;
    racing.lockAndLoad = async (teamId, id, ttlMs, token) => {
      const loaded = await base.lockAndLoad(teamId, id, ttlMs, token);
      if (loaded?.first) await base.dropInput(teamId, id, loaded.first.id);
      return loaded;
    };
    const reviews = inProcessReviews(racing);
    expect(await reviews.inbox.submit(TEAM, reviewId, reply('Shoppers want honest pages.', '1800000000.000100'), [])).toBe(true);
    const after = (await base.get(TEAM, reviewId))!;
    expect(after.version).toBe(before.version);
    expect(after.state.answers).toEqual({});
    expect(await base.peek(TEAM, reviewId)).toBeNull();
  });

  it('drops an input queued late after it was retracted, and applies what comes next', async () => {
    const store = makeStore();
    const { reviewId, inbox, deps } = await startedReview(store);
    const first = deps.flows.get('quick-check')!.questions[0]!;
    const late = reply('The late one, which the person was told was not saved.', '1800000000.000200');
    inbox.retract(TEAM, reviewId, late.id);
    // The store runs the failed enqueue late, as a paused Redis would.
    await store.enqueue(TEAM, reviewId, { id: late.id, seq: late.seq, payload: { input: late.input } }, [], 60);
    await inbox.submit(TEAM, reviewId, reply('Shoppers want the right product quickly.', '1800000000.000300'), []);
    const state = (await store.get(TEAM, reviewId))!.state;
    expect(state.answers[first.id]?.value).toEqual({ kind: 'text', text: 'Shoppers want the right product quickly.' });
    expect(state.history.filter((entry) => entry.action === 'answer')).toHaveLength(1);
    await waitUntil(async () => (await store.peek(TEAM, reviewId)) === null, 'an empty inbox');
  });
});
