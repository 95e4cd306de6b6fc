/**
 * At most one run of a task per key at a time in this process. A call that
 * arrives while the key's task runs starts no second one: it asks the
 * running one to go round once more and waits for it, so whatever the
 * caller did before calling (e.g. queue an input) is covered when it
 * resolves. Without it, every reply to a busy review started its own drain,
 * which polled the review's lock until the busy one let go.
 *
 * The task may say when it starts a look that covers everything done
 * before (`covered()`, e.g. right before its last read of the inbox): calls
 * that joined before that point then need no extra round.
 */
export class SingleFlight {
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();

  run(key: string, task: (covered: () => void) => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const flight = { again: false, done: Promise.resolve() };
    const covered = () => {
      flight.again = false;
    };
    flight.done = (async () => {
      try {
        do {
          flight.again = false;
          await task(covered);
        } while (flight.again);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, flight);
    return flight.done;
  }

  /**
   * Waits for the running task of this key without asking it to go round
   * again: for a caller that knows the task will see what it did anyway.
   * Undefined when none runs.
   */
  follow(key: string): Promise<void> | undefined {
    return this.running.get(key)?.done;
  }

  /** Whether a task of this key runs now (a call would join it). */
  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Keys with a task running now. */
  get size(): number {
    return this.running.size;
  }
}
