/**
 * The question after the metric waits for the proxy-failure suggestions,
 * through the real inbox and outbox over an in-memory store: suggestions
 * handed in within the wait are posted first and the question once, below
 * them; a job that hands in nothing still lets the question out.
 */
import { describe, expect, it } from 'vitest';
import { startReview } from '../../src/engine/index.js';
import { ReviewInbox } from '../../src/reviews/inbox.js';
import { createJobs } from '../../src/reviews/jobs.js';
import type { JobRunner } from '../../src/reviews/outbox.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { inProcessReviews, type RecordedPost } from '../support/fault-deps.js';

const TEAM = 'T0001';
const PLACEMENT = { teamId: TEAM, channelId: 'C0REVIEWS', threadTs: '1700000000.000100' };
const CARD_TEXT = 'Ways this metric could be gamed';

/** A quick-check review answered through its metric, with `jobRunner` running its background jobs; what it posted, in order. */
async function throughMetric(id: string, jobRunner: (reviews: ReturnType<typeof inProcessReviews>, inbox: () => ReviewInbox) => JobRunner): Promise<RecordedPost[]> {
  const store = new MemoryStore({ retentionDays: 1 });
  const reviews = inProcessReviews(store);
  const inboxRef: { current?: ReviewInbox } = {};
  const inbox = new ReviewInbox(reviews.deps, jobRunner(reviews, () => inboxRef.current!));
  inboxRef.current = inbox;
  const flow = reviews.deps.flows.get('quick-check')!;
  const state = startReview(flow, { id, systemName: 'Support bot', startedBy: 'U0ALICE', at: new Date().toISOString() }).state;
  await store.create({ placement: PLACEMENT, state }, []);
  const replies = ['Customers want their problem solved quickly and correctly.', 'Ticket volume reduction: fewer tickets reaching human agents.'];
  for (const [index, text] of replies.entries()) {
    const ts = `1700000100.00000${index + 1}`;
    await inbox.submit(TEAM, id, { id: `m:${ts}`, seq: ts, input: { type: 'reply', text, messageTs: ts, by: 'U0ALICE', at: new Date().toISOString() } }, []);
  }
  await reviews.deps.work.drain(10_000);
  return reviews.calls;
}

function postsOf(calls: RecordedPost[], pattern: RegExp): number[] {
  return calls.flatMap((call, index) => (call.method === 'chat.postMessage' && pattern.test(String(call.args.text)) ? [index] : []));
}

describe('the question after the metric', () => {
  it('comes once, below suggestions handed in within the wait', async () => {
    const calls = await throughMetric('RWAIT001', (reviews, inbox) => createJobs(reviews.deps, inbox, 60_000).run);
    const [card] = postsOf(calls, new RegExp(`^${CARD_TEXT}$`));
    const asked = postsOf(calls, /^Question 3:/);
    expect(card).toBeDefined();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThan(card!);
    expect(calls.filter((call) => call.method === 'chat.update' && call.args.text === 'Asked again below')).toEqual([]);
  });

  it('waits for the job, and goes out without its result when the job hands in none', async () => {
    const calls = await throughMetric('RWAIT002', (reviews) => async (job) => {
      reviews.calls.push({ method: 'job started', args: { job: job.job } });
      // A job still thinking when the wait is over: it never hands in here.
      return { handedIn: new Promise<boolean>(() => undefined) };
    });
    const started = calls.findIndex((call) => call.method === 'job started');
    const asked = postsOf(calls, /^Question 3:/);
    expect(started).toBeGreaterThanOrEqual(0);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThan(started);
    expect(postsOf(calls, new RegExp(`^${CARD_TEXT}$`))).toEqual([]);
  });
});
