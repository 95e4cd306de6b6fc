/**
 * Resumes reviews whose work a process left behind: an input queued but not
 * applied, or messages committed to the outbox but not sent; and, in the
 * same look, tells the people whose review a process never finished
 * starting (lost-starts.ts) and runs again the background jobs a process
 * left half done (jobs.ts). That happens
 * when a process dies mid-step (SIGKILL, out of memory, a lost machine), or
 * when the store was down for longer than a drain's own retries.
 *
 * Without this, such a review waits for the next message in its thread, and
 * one may never come: a review whose last answer was stored just before the
 * crash has its summary card for the leads' channel in the outbox, and
 * nobody writes in a finished review's thread. So the replicas look, at
 * start-up and then every RESUME_SWEEP_SECONDS, for reviews with work left
 * and drain each through the inbox, which takes the review's lock: a dead
 * holder's lease runs out within 15 s and the drain waits for it, and a
 * review another replica is serving is applied exactly once as always (the
 * look finds nothing to do once the holder lets go).
 *
 * A look scans the keyspace (SCAN), so one replica looks per interval, not
 * each of them: the first to count the interval's look in the store does it.
 * The look at start-up is the exception: a replica that starts always looks,
 * since a start is when work is most likely left (the replica it replaces
 * may have died mid-step, and may itself have taken this interval's look
 * just before), and replicas start seldom.
 */
import { errorMessage, type Logger } from '../logger.js';
import type { ReviewRef, ReviewStore } from '../store/types.js';
import type { ReviewInbox } from './inbox.js';
import type { WorkTracker } from './work-tracker.js';

export interface ResumeSweepOptions {
  /** How often a look is due (one replica takes each: SWEEP_COUNTER); each replica also looks at start-up, whoever looked last. */
  intervalMs: number;
  /** Reviews taken per look; more wait for the next one. */
  batch: number;
  /** Reviews drained at once: a drain may wait up to 20 s for a lock. */
  concurrency: number;
}

export const DEFAULT_RESUME_SWEEP: ResumeSweepOptions = { intervalMs: 60_000, batch: 500, concurrency: 4 };

/** The store's counter that lets one replica look per interval. */
export const SWEEP_COUNTER = 'resume-sweep';

export interface ResumeSweepDeps {
  store: Pick<ReviewStore, 'reviewsWithWork' | 'hit'>;
  logger: Logger;
  work: WorkTracker;
  /** Starts a dead process left unfinished, told to their people (lost-starts.ts): looked for in the same look. */
  lostStarts?: () => Promise<number>;
  /** Background jobs whose process died mid-run (jobs.ts): run again in the same look. */
  stalledJobs?: () => Promise<number>;
}

export interface ResumeSweep {
  /**
   * One look now (or the one already running), unless another replica
   * looked in this interval: resolves to the number of reviews it drained
   * (or tried to), or null when it left the look to another replica.
   */
  sweep(): Promise<number | null>;
  stop(): void;
}

type Drainer = Pick<ReviewInbox, 'drain' | 'isDraining'>;

async function sweepOnce(deps: ResumeSweepDeps, inbox: Drainer, options: ResumeSweepOptions, atStartUp: boolean): Promise<number | null> {
  // Counted at start-up too, so the other replicas leave this interval's look to this one.
  const looks = await deps.store.hit(SWEEP_COUNTER, Math.max(1, Math.floor(options.intervalMs / 1000)));
  if (looks > 1 && !atStartUp) return null;
  await deps.lostStarts?.().catch((error: unknown) => deps.logger.warn({ err: { message: errorMessage(error) } }, 'Could not look for starts left unfinished'));
  await deps.stalledJobs?.().catch((error: unknown) => deps.logger.warn({ err: { message: errorMessage(error) } }, 'Could not look for background jobs left unfinished'));
  const found = await deps.store.reviewsWithWork(options.batch);
  // A drain running here already applies what is queued.
  const waiting: ReviewRef[] = found.filter((review) => !inbox.isDraining(review.teamId, review.reviewId));
  if (waiting.length === 0) return 0;
  deps.logger.debug({ reviews: waiting.length }, 'Resuming reviews with queued inputs or unsent messages');
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < waiting.length && !deps.work.isClosing) {
      const { teamId, reviewId } = waiting[next++]!;
      // A failed drain retries itself in the background (InboxRecovery); here it is only counted.
      await inbox.drain(teamId, reviewId).catch((error: unknown) => {
        failed += 1;
        deps.logger.warn({ reviewId, teamId, err: { message: errorMessage(error) } }, 'Could not resume a review with work left');
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, waiting.length) }, worker));
  if (failed > 0) deps.logger.warn({ reviews: waiting.length, failed }, 'Some reviews with work left could not be resumed yet');
  return waiting.length;
}

/** Starts the sweep: a look now, then one every `intervalMs`, each tracked as background work. */
export function startResumeSweep(deps: ResumeSweepDeps, inbox: Drainer, options: ResumeSweepOptions = DEFAULT_RESUME_SWEEP): ResumeSweep {
  let running: Promise<number | null> | undefined;
  const sweepNow = (atStartUp: boolean) => {
    // One look at a time per replica; a slow one is not stacked on.
    running ??= sweepOnce(deps, inbox, options, atStartUp).finally(() => {
      running = undefined;
    });
    return running;
  };
  const sweep = () => sweepNow(false);
  const look = () => {
    if (deps.work.isClosing) return;
    void deps.work.run(sweep);
  };
  void deps.work.run(() => sweepNow(true));
  const timer = setInterval(look, options.intervalMs);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
