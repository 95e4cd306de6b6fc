/**
 * A store write a person asked for and is waiting to hear about (a review's
 * start, a deletion, the leads' channel), tried again while the store does
 * not answer: a store away for a moment should delay what they asked for,
 * not fail it. Only for writes that are safe to run twice: each try after
 * the first finds what an earlier one did (its answer lost), or does it.
 * A try that a stalled store runs after the app gave up on it changes
 * nothing (the store's deadline, refuse-if-late.lua), so when the tries run
 * out, "it did not happen" stays true.
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
}

export async function writeWaitingForStore<T>(deps: Pick<ReviewDeps, 'logger' | 'work'>, write: () => Promise<T>, wait: StoreWait): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const delay = STORE_WAIT_DELAYS_MS[attempt];
      if (delay === undefined || deps.work.isClosing || wait.isFinal?.(error)) throw error;
      deps.logger.warn({ ...wait.context, err: errorMessage(error) }, `Could not ${wait.what} yet; trying again`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      // Shutting down meanwhile: no new try to hold the process's last seconds up.
      if (deps.work.isClosing) throw error;
    }
  }
}
