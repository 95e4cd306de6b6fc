/**
 * Sends Slack's requests to the app (events, slash commands, interactivity)
 * the way Slack does: POST to the app's URL, signed, with Slack's headers,
 * and records each delivery with what the app answered. Echoes of the app's
 * own actions go through a queue so they arrive in the order they happened
 * and never hold up the Web API answer that caused them.
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
  onDelivery: (delivery: Delivery) => void;
}

export function createDeliverer(deps: DelivererDeps): Deliverer {
  const deliveries: Delivery[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  async function deliver(request: DeliverRequest): Promise<Delivery> {
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
