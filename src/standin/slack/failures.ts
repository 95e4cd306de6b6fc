/**
 * Injected Web API failures: `failNext('chat.postMessage', { error: 'ratelimited' })`
 * makes the next call(s) of that method fail the way Slack fails — an error
 * body, a 429 with Retry-After for rate limits, or a 5xx status. With
 * `performed`, Slack did the work first and only its answer failed: a 5xx
 * after the post, or (`lost`) no answer at all, the connection cut, as when
 * the network drops it on the way back.
 */
import type { Args, MethodAnswer } from './web-api/method.js';

export interface InjectedFailure {
  /** Slack error code; default "ratelimited" for 429, else "internal_error". */
  error?: string;
  /** HTTP status; default 429 for "ratelimited", else 200 (Slack's usual status for errors). */
  status?: number;
  /** Seconds for the Retry-After header; default 1 on a 429. */
  retryAfter?: number;
  /** How many consecutive calls fail; default 1. */
  times?: number;
  /** Only calls whose arguments this accepts fail (e.g. posts in a thread); others pass untouched. */
  onlyIf?: (args: Args) => boolean;
  /** The method runs (the message is posted) before the answer fails. */
  performed?: boolean;
  /** No answer: the connection is cut instead (status, error and Retry-After are then unused). */
  lost?: boolean;
}

export interface FailureQueue {
  add(method: string, failure: InjectedFailure): void;
  /** The failure for this call, when one is pending for the method and applies to these arguments. */
  take(method: string, args: Args): InjectedFailure | undefined;
  clear(): void;
}

export function failureAnswer(failure: InjectedFailure): MethodAnswer {
  const status = failure.status ?? (failure.error === 'ratelimited' ? 429 : 200);
  const error = failure.error ?? (status === 429 ? 'ratelimited' : 'internal_error');
  const retryAfter = failure.retryAfter ?? (status === 429 ? 1 : undefined);
  return {
    status,
    body: { ok: false, error },
    ...(retryAfter !== undefined ? { headers: { 'Retry-After': String(retryAfter) } } : {}),
    ...(failure.lost ? { cut: true as const } : {}),
    notes: [failure.performed ? 'injected failure, after performing the call' : 'injected failure'],
  };
}

export function createFailureQueue(): FailureQueue {
  const pending = new Map<string, Array<{ failure: InjectedFailure; remaining: number }>>();
  return {
    add(method, failure) {
      const list = pending.get(method) ?? [];
      list.push({ failure, remaining: Math.max(1, failure.times ?? 1) });
      pending.set(method, list);
    },
    take(method, args) {
      const list = pending.get(method);
      const first = list?.[0];
      if (!list || !first) return undefined;
      if (first.failure.onlyIf && !first.failure.onlyIf(args)) return undefined;
      first.remaining -= 1;
      if (first.remaining <= 0) list.shift();
      if (list.length === 0) pending.delete(method);
      return first.failure;
    },
    clear: () => pending.clear(),
  };
}
