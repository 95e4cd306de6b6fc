/**
 * Watches the bot's chat.postMessage calls as the Slack stand-in receives
 * them, so the load driver knows when a turn ended: the root message of a
 * new review (found by a tag in its text), and the next question (or the
 * summary) posted in a review's thread.
 */
import { performance } from 'node:perf_hooks';
import type { RecordedCall, SlackStandin } from '../src/standin/slack/index.js';

/** What ends a turn: the next question, or the summary after the last one (the real app's and the bare app's posts alike). */
const TURN_END = /^(Question\b|Alignment review (summary|finished))/;

export class PostTracker {
  private readonly roots = new Map<string, (threadTs: string) => void>();
  private readonly waiters = new Map<string, (at: number) => void>();
  /** Turn ends that came before anyone waited for them (a fast app), by thread. */
  private readonly early = new Map<string, number>();
  /** The number of the last question posted in each thread: the app posts the waiting question again below the suggestions, which ends no turn. */
  private readonly lastQuestion = new Map<string, string>();
  private readonly listener = (call: RecordedCall) => this.onCall(call);

  /** `onRoot` hears every root message as it is posted (before anyone awaits it), e.g. to keep it in the world. */
  constructor(
    private readonly slack: SlackStandin,
    private readonly onRoot: (threadTs: string) => void = () => undefined,
  ) {
    slack.events.on('call', this.listener);
  }

  close(): void {
    this.slack.events.off('call', this.listener);
  }

  /** Resolves with the ts of the root message whose text holds `tag` (e.g. "bench12x": unique, never a prefix of another). */
  root(tag: string, timeoutMs: number): Promise<string> {
    return withTimeout(new Promise<string>((resolve) => this.roots.set(tag, resolve)), timeoutMs, () => this.roots.delete(tag), `the root message of ${tag}`);
  }

  /** Forgets an earlier turn end in this thread, before a new turn starts. */
  reset(threadTs: string): void {
    this.early.delete(threadTs);
  }

  /** Resolves with the time (performance.now()) the next turn end was posted in the thread. */
  next(threadTs: string, timeoutMs: number): Promise<number> {
    const early = this.early.get(threadTs);
    if (early !== undefined) {
      this.early.delete(threadTs);
      return Promise.resolve(early);
    }
    return withTimeout(new Promise<number>((resolve) => this.waiters.set(threadTs, resolve)), timeoutMs, () => this.waiters.delete(threadTs), `a post in ${threadTs}`);
  }

  private onCall(call: RecordedCall): void {
    if (call.method !== 'chat.postMessage') return;
    const at = performance.now();
    const args = call.args as { thread_ts?: unknown; text?: unknown };
    const text = typeof args.text === 'string' ? args.text : '';
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (!threadTs) {
      const ts = (call.response as { ts?: unknown } | undefined)?.ts;
      if (typeof ts !== 'string') return;
      for (const [tag, resolve] of this.roots) {
        if (!text.includes(tag)) continue;
        this.roots.delete(tag);
        this.onRoot(ts);
        resolve(ts);
        return;
      }
      return;
    }
    if (!TURN_END.test(text)) return;
    const number = /^Question (\d+)/.exec(text)?.[1];
    if (number !== undefined) {
      if (this.lastQuestion.get(threadTs) === number) return;
      this.lastQuestion.set(threadTs, number);
    }
    const waiter = this.waiters.get(threadTs);
    if (waiter) {
      this.waiters.delete(threadTs);
      waiter(at);
    } else {
      this.early.set(threadTs, at);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
