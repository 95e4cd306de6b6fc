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
