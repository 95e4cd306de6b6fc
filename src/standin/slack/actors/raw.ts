/**
 * Requests the app must cope with that no well-behaved person causes:
 * arbitrary (forged, unsigned, stale, malformed) bodies, and Slack's retries
 * of an event it thinks went unanswered (same event_id, retry headers).
 */
import { observe, type ActResult, type ActorContext } from './context.js';

export interface DeliverRawInput {
  /** Sent as it is; objects are JSON-encoded. */
  body: string | Record<string, unknown>;
  contentType: string;
  headers?: Record<string, string>;
  /** Sign with the signing secret (default true). */
  sign?: boolean;
  /** Request timestamp in Unix seconds, e.g. ten minutes ago for a stale request. */
  timestamp?: number;
}

export async function deliverRaw(context: ActorContext, input: DeliverRawInput): Promise<ActResult> {
  const { runtime } = context;
  const finish = observe(runtime);
  const delivery = await runtime.deliverer.deliver({
    kind: 'raw',
    description: 'raw',
    body: typeof input.body === 'string' ? input.body : JSON.stringify(input.body),
    contentType: input.contentType,
    ...(input.sign !== undefined ? { sign: input.sign } : {}),
    ...(input.timestamp !== undefined ? { timestamp: input.timestamp } : {}),
    ...(input.headers ? { headers: input.headers } : {}),
  });
  return finish(delivery);
}

export interface RedeliverInput {
  /** X-Slack-Retry-Num: 1 to 3. */
  retryNum: 1 | 2 | 3;
  /** X-Slack-Retry-Reason (default http_timeout). */
  retryReason?: 'http_timeout' | 'http_error' | 'too_many_redirects' | 'unknown_error' | 'connection_failed';
}

/** Deliver the last person-caused event again, as Slack's retry: same body and event_id, freshly signed. */
export async function redeliverLastEvent(context: ActorContext, input: RedeliverInput): Promise<ActResult> {
  const { runtime, lastEvent } = context;
  if (!lastEvent) throw new Error('No event has been delivered yet, so there is nothing to redeliver');
  const finish = observe(runtime);
  const delivery = await runtime.deliverer.deliver({
    ...lastEvent,
    description: `${lastEvent.description} (retry ${input.retryNum})`,
    headers: {
      'X-Slack-Retry-Num': String(input.retryNum),
      'X-Slack-Retry-Reason': input.retryReason ?? 'http_timeout',
    },
  });
  return finish(delivery);
}
