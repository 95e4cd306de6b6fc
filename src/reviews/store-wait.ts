/**
 * A store write a person asked for and is waiting to hear about (a review's
 * start, a deletion, the leads' channel), tried again while the store does
 * not answer. Two
 * reasons. A store away for a moment should delay what they asked for, not
 * fail it. And a write whose answer never came may still have run (a slow
 * server runs it late), so telling them it failed at its first timeout
 * could be untrue. Only for writes that are safe to run twice: each try
 * after the first finds what an earlier one did, or does it.
 */
import type { ReviewDeps } from './deps.js';
import { RETRY_DELAYS_MS } from './recovery.js';
import { errorMessage } from '../logger.js';

/**
 * The waits between tries: about 8 s, or about 17 s in all with each try's
 * 1.5 s timeout. Short enough for a person waiting on a private note, and
 * well inside LOST_START_SECONDS, so the look for lost starts never takes a
 * start that is still trying for a dead one.
 */
export const STORE_WAIT_DELAYS_MS = RETRY_DELAYS_MS.slice(0, 5);

export interface StoreWait {
  /** Logged with each failed try. */
  what: string;
  context: Record<string, unknown>;
  /** An answer no later try could change (e.g. a refusal): rejects at once. */
  isFinal?: (error: unknown) => boolean;
  /**
   * Takes the write back once it is given up on (not after a final answer).
   * Sent at once and not waited for, on the connection that carried the
   * tries, so a store that had stalled runs it after any try it runs late:
   * what the person is told then stays true.
   */
  undo?: () => Promise<unknown>;
}

export async function writeWaitingForStore<T>(deps: Pick<ReviewDeps, 'logger' | 'work'>, write: () => Promise<T>, wait: StoreWait): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (wait.isFinal?.(error)) throw error;
      const delay = STORE_WAIT_DELAYS_MS[attempt];
      if (delay === undefined || deps.work.isClosing) throw givenUp(deps, wait, error);
      deps.logger.warn({ ...wait.context, err: errorMessage(error) }, `Could not ${wait.what} yet; trying again`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      // Shutting down meanwhile: no new try to hold the process's last seconds up.
      if (deps.work.isClosing) throw givenUp(deps, wait, error);
    }
  }
}

/** Sends the write's undo, if it has one, and returns the error to throw. */
function givenUp(deps: Pick<ReviewDeps, 'logger'>, wait: StoreWait, error: unknown): unknown {
  // A store still away drops the undo as it dropped the tries (given-up-commands.ts): nothing to take back then.
  wait.undo?.().catch((undoError: unknown) => deps.logger.debug({ ...wait.context, err: errorMessage(undoError) }, `Could not take back the try to ${wait.what}`));
  return error;
}
