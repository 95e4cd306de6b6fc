/**
 * The look for reviews a dead process left with work (src/reviews/resume-sweep.ts),
 * over both stores: a review stored with its first question unsent, and one
 * with a reply queued but not applied, go on by themselves; a review with
 * nothing to do is left alone; one replica looks per interval, but each
 * looks when it starts; and a review
 * whose state is gone from under its queued input is cleared, not looped on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReview } from '../../src/engine/index.js';
import type { Flow } from '../../src/engine/types.js';
import { toOutboxItems } from '../../src/reviews/inbox.js';
import { renderStep } from '../../src/reviews/render-step.js';
import { startResumeSweep, type ResumeSweep } from '../../src/reviews/resume-sweep.js';
import { WorkTracker } from '../../src/reviews/work-tracker.js';
import { reviewKeys } from '../../src/store/keys.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { ReviewPlacement, ReviewStore } from '../../src/store/types.js';
import { makeRedisTestStore } from '../store/redis-harness.js';
import { inProcessReviews, type InProcessReviews } from '../support/fault-deps.js';
import { waitUntil } from '../support/review-driver.js';

const TEAM = 'T0001';
const CHANNEL = 'C0REVIEWS';
const OPTIONS = { intervalMs: 60_000, batch: 100, concurrency: 2 };

const sweeps: ResumeSweep[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const sweep of sweeps.splice(0)) sweep.stop();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A review stored as the slash command stores it: its first question in the outbox, not yet posted. */
async function storedWithFirstQuestion(store: ReviewStore, flow: Flow, id: string, threadTs: string): Promise<ReviewPlacement> {
  const step = startReview(flow, { id, systemName: id, startedBy: 'U0ALICE', at: new Date().toISOString() });
  const placement: ReviewPlacement = { teamId: TEAM, channelId: CHANNEL, threadTs };
  await store.create({ placement, state: step.state }, toOutboxItems(renderStep({ flow, placement, before: step.state, step, modelConfigured: false })));
  return placement;
}

function postsIn(reviews: InProcessReviews, threadTs: string) {
  return reviews.calls.filter((call) => call.method === 'chat.postMessage' && call.args.thread_ts === threadTs);
}

function queueReply(reviews: InProcessReviews, reviewId: string, ts: string, text: string) {
  return reviews.inbox.enqueue(TEAM, reviewId, { id: `m:${ts}`, seq: ts, input: { type: 'reply', text, messageTs: ts, by: 'U0ALICE', at: new Date().toISOString() } }, []);
}

const stores: Array<[string, () => Promise<ReviewStore>]> = [
  ['MemoryStore', async () => new MemoryStore({ retentionDays: 1 })],
  [
    'RedisStore',
    async () => {
      const made = await makeRedisTestStore();
      cleanups.push(made.cleanup);
      return made.store;
    },
  ],
];

describe.each(stores)('resuming reviews left with work (%s)', (_name, makeStore) => {
  it('posts an unsent question and applies a queued reply by itself, leaves an idle review alone, and looks once per interval across replicas', async () => {
    const store = await makeStore();
    const reviews = inProcessReviews(store);
    const flow = reviews.deps.flows.get('quick-check')!;

    // Unsent: the process died between storing the review and posting its first question.
    await storedWithFirstQuestion(store, flow, 'RUNSENT2', '1700000000.000100');
    // Queued: its first question went out, then a reply was queued by a process that died before applying it.
    await storedWithFirstQuestion(store, flow, 'RQUEUED2', '1700000000.000200');
    await reviews.inbox.drain(TEAM, 'RQUEUED2');
    const firstQuestion = (await store.get(TEAM, 'RQUEUED2'))!.state.currentQuestionId!;
    expect(await queueReply(reviews, 'RQUEUED2', '1700000001.000100', 'A support bot that drafts replies to customers')).toBe(true);
    // Idle: everything applied and sent.
    await storedWithFirstQuestion(store, flow, 'RIDLE234', '1700000000.000300');
    await reviews.inbox.drain(TEAM, 'RIDLE234');
    const idleVersion = (await store.get(TEAM, 'RIDLE234'))!.version;
    const postsBefore = { queued: postsIn(reviews, '1700000000.000200').length, idle: postsIn(reviews, '1700000000.000300').length };
    expect(postsIn(reviews, '1700000000.000100')).toHaveLength(0);

    const sweep = startResumeSweep({ store, logger: reviews.deps.logger, work: reviews.deps.work }, reviews.inbox, OPTIONS);
    sweeps.push(sweep);
    // The look at start-up does it: nobody writes in either thread.
    await waitUntil(async () => (await store.reviewsWithWork(10)).length === 0 || undefined, 'both reviews resumed');

    expect(postsIn(reviews, '1700000000.000100')).toHaveLength(1);
    const queued = (await store.get(TEAM, 'RQUEUED2'))!.state;
    expect(queued.answers[firstQuestion]?.messageTs).toBe('1700000001.000100');
    expect(postsIn(reviews, '1700000000.000200')).toHaveLength(postsBefore.queued + 1);
    expect(postsIn(reviews, '1700000000.000300')).toHaveLength(postsBefore.idle);
    expect((await store.get(TEAM, 'RIDLE234'))!.version).toBe(idleVersion);

    // This interval's look is taken: this replica does not look again.
    expect(await sweep.sweep()).toBeNull();

    // A replica that starts now looks all the same: the replica it replaces may have died
    // with a reply queued, after taking this interval's look.
    expect(await queueReply(reviews, 'RIDLE234', '1700000003.000100', 'A reply queued by a replica that then died')).toBe(true);
    const otherWork = new WorkTracker(() => undefined);
    const other = startResumeSweep({ store, logger: reviews.deps.logger, work: otherWork }, reviews.inbox, OPTIONS);
    sweeps.push(other);
    await waitUntil(async () => (otherWork.size === 0 && (await store.reviewsWithWork(10)).length === 0) || undefined, 'the started replica resumed the review');
    expect((await store.get(TEAM, 'RIDLE234'))!.version).toBe(idleVersion + 1);
    // Its later looks in this interval are left to the one that took it, as any replica's.
    expect(await other.sweep()).toBeNull();
  });
});

describe('a review gone from under its queued input (RedisStore)', () => {
  it('drops the input and the lock instead of taking the lock again for ever', async () => {
    const made = await makeRedisTestStore();
    cleanups.push(made.cleanup);
    const reviews = inProcessReviews(made.store);
    const flow = reviews.deps.flows.get('quick-check')!;
    await storedWithFirstQuestion(made.store, flow, 'RGONE234', '1700000000.000400');
    await reviews.inbox.drain(TEAM, 'RGONE234');
    expect(await queueReply(reviews, 'RGONE234', '1700000002.000100', 'An answer for a review that is about to vanish')).toBe(true);
    const keys = reviewKeys(made.prefix, TEAM, 'RGONE234');
    // Its state expired (or was removed by hand) while the input waited.
    await made.inspect.del(keys.state);

    const sweep = startResumeSweep({ store: made.store, logger: reviews.deps.logger, work: reviews.deps.work }, reviews.inbox, OPTIONS);
    sweeps.push(sweep);
    await waitUntil(async () => (await made.store.reviewsWithWork(10)).length === 0 || undefined, 'the orphaned input dropped', 5_000);
    expect(await made.store.peek(TEAM, 'RGONE234')).toBeNull();
    expect(await made.inspect.exists(keys.lock)).toBe(0);
  });
});
