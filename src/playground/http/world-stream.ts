/**
 * GET /api/events: the world as server-sent events. Each client gets the
 * world at once, then again after every change; bursts of changes (a
 * question posted, its echo, the thread parent updated) are coalesced into
 * one send so the page redraws once.
 */
import type { ServerResponse } from 'node:http';
import type { SlackStandin } from '../../standin/slack/index.js';

export interface WorldStream {
  attach(res: ServerResponse): void;
  /** Ends every open stream (at shutdown). */
  close(): void;
  readonly clients: number;
}

export interface WorldStreamOptions {
  /** How long to gather changes before sending (ms). */
  coalesceMs?: number;
  /** A comment line keeps proxies and idle timeouts from closing the stream (ms). */
  heartbeatMs?: number;
  /** What to send: the world plus anything else the page needs. */
  payload: () => unknown;
}

export function createWorldStream(slack: SlackStandin, options: WorldStreamOptions): WorldStream {
  const clients = new Set<ServerResponse>();
  const coalesceMs = options.coalesceMs ?? 25;
  let pending: NodeJS.Timeout | undefined;

  const frame = () => `event: world\ndata: ${JSON.stringify(options.payload())}\n\n`;
  const broadcast = () => {
    pending = undefined;
    if (clients.size === 0) return;
    const text = frame();
    for (const res of clients) res.write(text);
  };
  const onChange = () => {
    pending ??= setTimeout(broadcast, coalesceMs);
  };
  slack.events.on('change', onChange);
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': still here\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  return {
    get clients() {
      return clients.size;
    },
    attach(res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // The browser reconnects on its own after a drop; tell it how soon.
      res.write('retry: 1000\n\n');
      res.write(frame());
      clients.add(res);
      res.on('close', () => clients.delete(res));
    },
    close() {
      slack.events.off('change', onChange);
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
