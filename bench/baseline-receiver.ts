/**
 * The Bolt app both baselines (bench/bare-app.ts, bench/floor-app.ts) run:
 * HTTP with the real app's receiver settings (ack before processing, the
 * same unhandled-request timeout), a /healthz for the benchmark to wait on,
 * and Web API calls to the stand-in with the app's retries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { webClientOptions } from '../src/slack/app.js';

export function baselineApp(options: { token: string; signingSecret: string; apiUrl?: string }): App {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    unhandledRequestTimeoutMillis: 2_900,
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req: IncomingMessage, res: ServerResponse) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        },
      },
    ],
  });
  return new App({ token: options.token, receiver, logLevel: LogLevel.ERROR, clientOptions: webClientOptions(options.apiUrl) });
}
