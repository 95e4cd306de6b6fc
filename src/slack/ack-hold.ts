/**
 * An acknowledgement held until the person's input is queued.
 *
 * Why: once Slack has its 200 it never sends the request again, so an app
 * that acknowledges first and dies (SIGKILL, out of memory) before the input
 * reaches Redis loses the answer without a word. Held until the input is
 * queued, the ack tells Slack the truth: a process that dies before it is
 * sent leaves the event unanswered, and Slack delivers it again (its retries
 * are deduplicated by the store); a click left unanswered shows the person a
 * warning in Slack instead of nothing.
 *
 * The ack waits only on that one enqueue. It goes out at once, whatever the
 * enqueue is doing, before the app calls Slack for anything (a note that the
 * answer was not saved, a private refusal, a status reply), when the request
 * is done, and at the latest after `maxWaitMs`, well inside Slack's 3 s.
 */
import { errorMessage, type Logger } from '../logger.js';

/** The longest an ack waits for the enqueue: Slack allows 3 s, and the network needs some of it. */
export const HELD_ACK_MAX_MS = 1_000;

export class AckHold {
  private asked = false;
  private released = false;
  private sent = false;
  private response: unknown;
  private readonly timer: NodeJS.Timeout;

  /** `send`: the receiver's ack, called once, when the ack has been asked for and the hold let go. */
  constructor(
    private readonly send: (response?: unknown) => Promise<void>,
    private readonly logger: Pick<Logger, 'warn'>,
    maxWaitMs = HELD_ACK_MAX_MS,
  ) {
    this.timer = setTimeout(() => this.release(), maxWaitMs);
    this.timer.unref();
  }

  /** What the listener (or Bolt, for events) calls as its ack: remembered until the hold lets go. */
  readonly ack = async (response?: unknown): Promise<void> => {
    this.asked = true;
    this.response = response;
    this.flush();
  };

  /** The input is queued (or could not be, or the app is about to say something in Slack): the ack may go. Idempotent. */
  readonly release = (): void => {
    this.released = true;
    clearTimeout(this.timer);
    this.flush();
  };

  private flush(): void {
    if (!this.asked || !this.released || this.sent) return;
    this.sent = true;
    // The receiver marks the request acknowledged synchronously, inside this call.
    this.send(this.response).catch((error: unknown) => this.logger.warn({ err: errorMessage(error) }, 'Could not acknowledge a request'));
  }
}
