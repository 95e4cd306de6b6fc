import { describe, expect, it } from 'vitest';
import { createJobs, MAX_JOB_ATTEMPTS } from '../../src/reviews/jobs.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { RunningJob } from '../../src/store/types.js';
import { inProcessReviews } from '../support/fault-deps.js';
import { waitUntil } from '../support/review-driver.js';

const LEASE_MS = 60_000;
const JOB = { op: 'job', job: 'proxy-failures', afterQuestionId: 'metric' } as const;

/** A memory store that records every job noted as running. */
function recordingStore() {
  const store = new MemoryStore({ retentionDays: 1 });
  const started: RunningJob[] = [];
  const startJob = store.startJob.bind(store);
  store.startJob = (job, leaseUntilMs) => {
    started.push(job);
    return startJob(job, leaseUntilMs);
  };
  return { store, started };
}

function setup() {
  const { store, started } = recordingStore();
  const reviews = inProcessReviews(store);
  const jobs = createJobs(reviews.deps, () => reviews.inbox, LEASE_MS);
  const settled = () => waitUntil(() => reviews.deps.work.size === 0, 'background work done');
  return { store, started, jobs, settled };
}

describe('background jobs', () => {
  it('are noted as running before the outbox lets them go, and dropped once run', async () => {
    const { store, started, jobs, settled } = setup();
    await jobs.run(JOB, 'T1', 'R1', 'item-1');
    expect(started).toEqual([{ teamId: 'T1', reviewId: 'R1', itemId: 'item-1', attempt: 1, job: JOB }]);
    await settled();
    expect(await store.claimStalledJobs(Date.now() + 10 * LEASE_MS, 10, LEASE_MS)).toEqual([]);
  });

  it('run again when their process stopped, up to the last attempt, and are then given up', async () => {
    const { store, started, jobs, settled } = setup();
    const past = Date.now() - 1;
    await store.startJob({ teamId: 'T1', reviewId: 'R1', itemId: 'again', attempt: 1, job: JOB }, past);
    await store.startJob({ teamId: 'T1', reviewId: 'R2', itemId: 'last', attempt: MAX_JOB_ATTEMPTS, job: JOB }, past);
    await store.startJob({ teamId: 'T1', reviewId: 'R3', itemId: 'unknown', attempt: 1, job: { op: 'job', job: 'horoscope' } }, past);
    started.length = 0;

    expect(await jobs.resumeStalled()).toBe(3);
    // Only the job with attempts left runs again, as its next attempt.
    expect(started.map((job) => `${job.itemId}#${job.attempt}`)).toEqual(['again#2']);
    await settled();
    expect(await store.claimStalledJobs(Date.now() + 10 * LEASE_MS, 10, LEASE_MS)).toEqual([]);
    expect(await jobs.resumeStalled()).toBe(0);
  });

  it('leave a job whose runner is alive alone', async () => {
    const { store, started, jobs } = setup();
    await store.startJob({ teamId: 'T1', reviewId: 'R1', itemId: 'running', attempt: 1, job: JOB }, Date.now() + LEASE_MS);
    started.length = 0;
    expect(await jobs.resumeStalled()).toBe(0);
    expect(started).toEqual([]);
  });
});
