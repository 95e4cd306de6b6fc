/**
 * What a review needs after its store (or Slack) failed mid-step, so it goes
 * on by itself once the failure passes and nothing a person was told is
 * lost or applied behind their back:
 *
 * - Retracted inputs. When queueing an input fails, the person is told
 *   "I could not save that answer" and will send it again. But a command
 *   that timed out on the client may still run on the server: a paused or
 *   slow server runs it late, and a Cluster sends it again when its node
 *   connection closed (one server's or Sentinel's connection no longer
 *   sends it again: store/given-up-commands.ts). The
 *   input is then dropped from the inbox with its id remembered as seen, so
 *   the late enqueue is refused if it runs after the drop and removed if it
 *   ran before; a drainer that read it just before the drop has its commit
 *   refused. Nothing else of that review is done here until the drop went
 *   through.
 * - Orphaned locks. A drain whose unlock failed still holds the review's
 *   lease until it expires; it is released as soon as the store answers.
 * - Retried drains. A drain that failed part way leaves its input queued or
 *   its outbox unsent; it is run again with backoff (about a minute in all)
 *   instead of waiting for the next message of the review.
 *
 * State is per process: the in-memory list of retractions is lost with the
 * process, which only matters if the store and the app fail together.
 */
import { errorMessage, type Logger } from '../logger.js';
import type { ReviewStore } from '../store/types.js';
import type { WorkTracker } from './work-tracker.js';

export interface RecoveryDeps {
  store: ReviewStore;
  logger: Logger;
  work: WorkTracker;
}

/** Waits between attempts: quick at first (a blip), then up to half a minute (a restart). */
export const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15_000, 30_000] as const;

/** A retracted input stays refused this long: past any late run of its enqueue, and past Slack's retries. */
const RETRACT_SECONDS = 15 * 60;

/** Bounds what one process remembers while a store is down for long. */
const MAX_PENDING = 10_000;

interface Pending {
  teamId: string;
  reviewId: string;
  retracted: Set<string>;
  lockTokens: Set<string>;
  attempt: number;
  timer?: NodeJS.Timeout;
}

export class InboxRecovery {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly deps: RecoveryDeps,
    private readonly delaysMs: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  private entry(teamId: string, reviewId: string): Pending | undefined {
    const key = `${teamId}\u0000${reviewId}`;
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= MAX_PENDING) return undefined;
      entry = { teamId, reviewId, retracted: new Set(), lockTokens: new Set(), attempt: 0 };
      this.pending.set(key, entry);
    }
    return entry;
  }

  /** Whether the review has anything to settle or a retry under way: its drains then take no shortcuts. */
  hasPending(teamId: string, reviewId: string): boolean {
    return this.pending.has(`${teamId}\u0000${reviewId}`);
  }

  /** Reviews with something still to settle (for tests and logs). */
  get size(): number {
    return this.pending.size;
  }

  /** An input the person was told was not saved: it must never be applied. */
  retract(teamId: string, reviewId: string, inputId: string): void {
    this.entry(teamId, reviewId)?.retracted.add(inputId);
    // At once: a drop sent now runs right behind the late enqueue, before any drain sent later.
    this.settle(teamId, reviewId).catch(() => undefined);
  }

  /** A lock this process may still hold because releasing it failed. */
  orphanedLock(teamId: string, reviewId: string, token: string): void {
    this.entry(teamId, reviewId)?.lockTokens.add(token);
  }

  /**
   * Drops retracted inputs and releases orphaned locks of the review. Fast
   * when there is nothing to do; rejects while the store cannot be reached.
   */
  async settle(teamId: string, reviewId: string): Promise<void> {
    const entry = this.pending.get(`${teamId}\u0000${reviewId}`);
    if (!entry) return;
    for (const inputId of [...entry.retracted]) {
      await this.deps.store.dropInput(teamId, reviewId, inputId, RETRACT_SECONDS);
      entry.retracted.delete(inputId);
    }
    for (const token of [...entry.lockTokens]) {
      await this.deps.store.unlock(teamId, reviewId, token);
      entry.lockTokens.delete(token);
    }
    // Keep the entry while a retry cycle runs: it holds the backoff step.
    if (!entry.timer && entry.attempt === 0) this.pending.delete(`${teamId}\u0000${reviewId}`);
  }

  /**
   * Runs `attempt` (settle, then drain) later, with backoff, until it
   * succeeds or the delays run out. One schedule per review at a time.
   */
  retryLater(teamId: string, reviewId: string, attempt: () => Promise<void>): void {
    const entry = this.entry(teamId, reviewId);
    if (!entry || entry.timer || this.deps.work.isClosing) return;
    const delay = this.delaysMs[entry.attempt];
    if (delay === undefined) {
      this.deps.logger.warn({ reviewId, teamId }, 'Gave up retrying the review after a failure; its next input resumes it');
      entry.attempt = 0;
      return;
    }
    entry.attempt += 1;
    entry.timer = setTimeout(() => {
      void this.deps.work.run(async () => {
        entry.timer = undefined;
        try {
          await this.settle(teamId, reviewId);
          await attempt();
          entry.attempt = 0;
          if (entry.retracted.size === 0 && entry.lockTokens.size === 0 && !entry.timer) this.pending.delete(`${teamId}\u0000${reviewId}`);
          this.deps.logger.info({ reviewId, teamId }, 'Review resumed after a failure');
        } catch (error) {
          this.deps.logger.debug({ reviewId, teamId, err: errorMessage(error) }, 'Retry after a failure failed; trying again later');
          this.retryLater(teamId, reviewId, attempt);
        }
      });
    }, delay);
    entry.timer.unref();
  }

  /** Stops every scheduled retry (shutdown). */
  stop(): void {
    for (const entry of this.pending.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }
}
