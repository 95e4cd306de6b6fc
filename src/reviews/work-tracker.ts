/**
 * Keeps the promises of work done after Slack was acknowledged, so a graceful
 * shutdown can wait for replies in flight instead of dropping them.
 */
export class WorkTracker {
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Runs `task` in the background; its failure goes to onError, never unhandled. */
  run(task: () => Promise<unknown>): Promise<void> {
    const promise = Promise.resolve()
      .then(task)
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      );
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
    return promise;
  }

  /** Tracks work the caller awaits itself (a listener's own body). */
  track<T>(promise: Promise<T>): Promise<T> {
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
    return promise;
  }

  get size(): number {
    return this.pending.size;
  }

  get isClosing(): boolean {
    return this.closed;
  }

  /** Waits for everything in flight (and anything it starts), up to `timeoutMs`. Returns true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => setTimeout(resolve, left))]);
    }
    return true;
  }
}
