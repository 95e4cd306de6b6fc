/**
 * Many drains of one review at once in one process (a burst of replies, each
 * delivery draining): they share one drain instead of each polling the
 * review's lock, and every input is applied once, in order.
 */
import { describe, expect, it } from 'vitest';
import { startReview } from '../../src/engine/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { ReviewStore } from '../../src/store/types.js';
import { inProcessReviews } from '../support/fault-deps.js';
import { planReview, seededRandom } from '../support/review-plan.js';

const TEAM = 'T0001';

function countingLocks(store: ReviewStore): { store: ReviewStore; locks: () => number } {
  let locks = 0;
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (name === 'lock' && typeof value === 'function') {
        return (...args: unknown[]) => {
          locks++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, locks: () => locks };
}

describe('draining one review from many deliveries at once', () => {
  it('applies 20 queued replies once each, in order, taking the lock a few times instead of once per delivery', async () => {
    const { store, locks } = countingLocks(new MemoryStore({ retentionDays: 1 }));
    const { deps, inbox } = inProcessReviews(store);
    const flow = deps.flows.get('alignment-review')!;
    const plan = planReview(flow, 'burst', seededRandom(3)).slice(0, 20);
    const state = startReview(flow, { id: 'RBURST01', systemName: 'Burst', startedBy: 'U0ALICE', at: new Date().toISOString() }).state;
    await store.create({ placement: { teamId: TEAM, channelId: 'C0REVIEWS', threadTs: '1700000000.000100' }, state }, []);

    const sent = plan.map((reply, index) => ({ ...reply, ts: `1700000100.${String(index + 1).padStart(6, '0')}` }));
    // Every delivery queues its reply and drains, all at the same moment.
    await Promise.all(
      sent.map((reply) =>
        inbox.submit(TEAM, state.id, { id: `m:${reply.ts}`, seq: reply.ts, input: { type: 'reply', text: reply.text, messageTs: reply.ts, by: 'U0ALICE', at: new Date().toISOString() } }, [`m:C0REVIEWS:${reply.ts}`]),
      ),
    );

    const after = (await store.get(TEAM, state.id))!.state;
    expect(after.asked.slice(0, sent.length)).toEqual(sent.map((reply) => reply.questionId));
    for (const reply of sent) expect(after.answers[reply.questionId]).toMatchObject({ value: reply.value, messageTs: reply.ts });
    expect(after.history.filter((entry) => entry.action === 'answer')).toHaveLength(sent.length);
    expect(await store.peek(TEAM, state.id)).toBeNull();
    expect(locks()).toBeLessThanOrEqual(3);
  });
});
