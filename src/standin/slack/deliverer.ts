/**
 * Sends Slack's requests to the app (events, slash commands, interactivity)
 * the way Slack does: POST to the app's URL, signed, with Slack's headers,
 * and records each delivery with what the app answered. Echoes of the app's
 * own actions go through a queue so they arrive in the order they happened
 * and never hold up the Web API answer that caused them. With retry waits
 * set, an event the app did not take is delivered again as Slack does: same
 * body and event_id, freshly signed, with X-Slack-Retry-Num and
 * X-Slack-Retry-Reason, unless the app answered X-Slack-No-Retry: 1.
 */
import { signedHeaders } from './signer.js';

export type DeliveryKind = 'event' | 'command' | 'interactive' | 'raw';

export interface Delivery {
  id: number;
  kind: DeliveryKind;
  /** e.g. "message", "message_changed", "block_actions", "/alignment-review". */
  description: string;
  eventId?: string;
  contentType: string;
  body: string;
  headers: Record<string, string>;
  /** pending while the app has not answered yet; failed when it could not be reached. */
  state: 'pending' | 'answered' | 'failed';
  /** HTTP status the app answered; 0 while pending or when it could not be reached. */
  status: number;
  responseBody: string;
  responseContentType?: string;
  /** The app answered X-Slack-No-Retry: 1 (Slack then does not retry an error answer). */
  noRetry?: boolean;
  error?: string;
  /** ISO time the request was sent. */
  at: string;
  durationMs: number;
}

export interface DeliverRequest {
  kind: DeliveryKind;
  description: string;
  body: string;
  contentType: string;
  eventId?: string;
  /** Sign the request (default true). */
  sign?: boolean;
  /** Request timestamp in Unix seconds (default now), e.g. an old one for a stale request. */
  timestamp?: number;
  /** Extra or overriding headers (retry headers, forged signatures). */
  headers?: Record<string, string>;
}

export interface Deliverer {
  deliver(request: DeliverRequest): Promise<Delivery>;
  /** Deliver later, in order after earlier queued deliveries; never throws. */
  enqueue(request: DeliverRequest): void;
  /** Resolves when every queued delivery has been answered. */
  settled(): Promise<void>;
  readonly deliveries: Delivery[];
}

export interface DelivererDeps {
  appUrl: () => string | undefined;
  signingSecret: string;
  timeoutMs: number;
  /** Waits before Slack's retries of a failed event delivery; none by default. */
  eventRetryDelaysMs?: readonly number[];
  onDelivery: (delivery: Delivery) => void;
}

/** Why Slack would deliver this again (its X-Slack-Retry-Reason), or undefined when the app took it. */
function retryReasonOf(delivery: Delivery): string | undefined {
  if (delivery.state === 'failed') return delivery.error && /timeout|aborted/i.test(delivery.error) ? 'http_timeout' : 'connection_failed';
  if (delivery.status >= 200 && delivery.status < 300) return undefined;
  return delivery.noRetry ? undefined : 'http_error';
}

export function createDeliverer(deps: DelivererDeps): Deliverer {
  const deliveries: Delivery[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  /** Delivers, and for an event the app did not take, delivers again after each retry wait; the last delivery is the answer. */
  async function deliver(request: DeliverRequest): Promise<Delivery> {
    let delivery = await attempt(request);
    if (request.kind !== 'event') return delivery;
    const waits = deps.eventRetryDelaysMs ?? [];
    for (let retry = 1; retry <= waits.length; retry += 1) {
      const reason = retryReasonOf(delivery);
      if (!reason) break;
      await new Promise((resolve) => setTimeout(resolve, waits[retry - 1]));
      delivery = await attempt({
        ...request,
        description: `${request.description} (retry ${retry})`,
        timestamp: undefined,
        headers: { ...request.headers, 'X-Slack-Retry-Num': String(retry), 'X-Slack-Retry-Reason': reason },
      });
    }
    return delivery;
  }

  async function attempt(request: DeliverRequest): Promise<Delivery> {
    const url = deps.appUrl();
    // Slack signs with the real current time whatever the stand-in's clock says,
    // because the app compares it with its own clock.
    const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': request.contentType,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...(request.sign === false ? {} : signedHeaders(deps.signingSecret, timestamp, request.body)),
      ...request.headers,
    };
    const delivery: Delivery = {
      id: deliveries.length + 1,
      kind: request.kind,
      description: request.description,
      ...(request.eventId ? { eventId: request.eventId } : {}),
      contentType: request.contentType,
      body: request.body,
      headers,
      state: 'pending',
      status: 0,
      responseBody: '',
      at: new Date().toISOString(),
      durationMs: 0,
    };
    deliveries.push(delivery);
    const started = performance.now();
    if (!url) {
      delivery.error = 'no app URL set (pass appUrl or call setAppUrl)';
      delivery.state = 'failed';
    } else {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: request.body,
          signal: AbortSignal.timeout(deps.timeoutMs),
        });
        delivery.status = response.status;
        delivery.responseBody = await response.text();
        delivery.state = 'answered';
        if (response.headers.get('x-slack-no-retry') === '1') delivery.noRetry = true;
        const contentType = response.headers.get('content-type');
        if (contentType) delivery.responseContentType = contentType;
      } catch (error) {
        delivery.error = error instanceof Error ? error.message : String(error);
        delivery.state = 'failed';
      }
    }
    delivery.durationMs = Math.round(performance.now() - started);
    deps.onDelivery(delivery);
    return delivery;
  }

  return {
    deliver,
    enqueue(request) {
      queue = queue.then(() => deliver(request)).catch(() => undefined);
    },
    settled: async () => {
      // Deliveries queued while waiting join the chain, so wait until it stops growing.
      let seen: Promise<unknown> | undefined;
      while (seen !== queue) {
        seen = queue;
        await seen;
      }
    },
    deliveries,
  };
}
