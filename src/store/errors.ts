/** Thrown by `create` when a review with that id already exists. */
export class ReviewExistsError extends Error {
  constructor(teamId: string, reviewId: string) {
    super(`Review ${reviewId} already exists in team ${teamId}`);
    this.name = 'ReviewExistsError';
  }
}

/** Stored data that does not have the shape the store wrote (corruption or an incompatible version). */
export class StoreDataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreDataError';
  }
}

/**
 * A write the primary took but too few replicas confirmed in time (WAIT):
 * should the primary fail over now, the write is lost. Callers treat it as
 * a failed write (the person is told their answer was not saved; a drain
 * tries again).
 */
export class ReplicaWaitError extends Error {
  constructor(wanted: number, confirmed: number, timeoutMs: number) {
    super(`A write was confirmed by ${confirmed} of ${wanted} replicas within ${timeoutMs} ms`);
    this.name = 'ReplicaWaitError';
  }
}
