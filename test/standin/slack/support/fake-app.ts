/**
 * A tiny stand-in for the app's /slack/events endpoint: checks each request's
 * signature with Bolt's own verifier, records what arrived (headers, raw
 * body, parsed body) and answers with whatever the test says.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';

export interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
  contentType: string;
  /** JSON body, form fields, or the JSON inside an interactivity `payload` field. */
  body: Record<string, unknown>;
  verified: boolean;
  verifyError?: string;
}

export interface Reply {
  status?: number;
  body?: string | Record<string, unknown>;
  delayMs?: number;
  headers?: Record<string, string>;
}

export type Responder = (received: Received) => Reply | Promise<Reply>;

export interface FakeApp {
  url: string;
  received: Received[];
  respond(responder: Responder): void;
  /** Received requests whose body (parsed) matches. */
  find(predicate: (body: Record<string, unknown>) => boolean): Received[];
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const fields = Object.fromEntries(new URLSearchParams(raw).entries());
  if (typeof fields.payload === 'string') {
    try {
      return JSON.parse(fields.payload) as Record<string, unknown>;
    } catch {
      return fields;
    }
  }
  return fields;
}

export async function startFakeApp(signingSecret: string): Promise<FakeApp> {
  const received: Received[] = [];
  let responder: Responder = () => ({ status: 200 });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const contentType = String(request.headers['content-type'] ?? '');
      let verified = true;
      let verifyError: string | undefined;
      try {
        verifySlackRequest({
          signingSecret,
          body: rawBody,
          headers: {
            'x-slack-signature': String(request.headers['x-slack-signature'] ?? ''),
            'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
          },
        });
      } catch (error) {
        verified = false;
        verifyError = error instanceof Error ? error.message : String(error);
      }
      const entry: Received = {
        headers: request.headers,
        rawBody,
        contentType,
        body: parseBody(rawBody, contentType),
        verified,
        ...(verifyError ? { verifyError } : {}),
      };
      received.push(entry);
      void Promise.resolve(verified ? responder(entry) : { status: 401, body: 'invalid signature' }).then(async (reply) => {
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        const isJson = typeof reply.body === 'object';
        const text = reply.body === undefined ? '' : isJson ? JSON.stringify(reply.body) : String(reply.body);
        response.writeHead(reply.status ?? 200, { 'Content-Type': isJson ? 'application/json' : 'text/plain', ...reply.headers });
        response.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    received,
    respond: (next) => {
      responder = next;
    },
    find: (predicate) => received.filter((entry) => predicate(entry.body)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Event bodies (event_callback) whose event matches. */
export function eventsOf(app: FakeApp, predicate: (event: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  return app.received
    .map((entry) => entry.body)
    .filter((body) => body.type === 'event_callback')
    .filter((body) => predicate(body.event as Record<string, unknown>));
}
