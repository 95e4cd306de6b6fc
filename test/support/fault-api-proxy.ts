/**
 * A small HTTP proxy between the app and the Slack stand-in's Web API that
 * can hold one call: the app waits for Slack's answer while the test does
 * something (kills the app), then the held call is forwarded (Slack did the
 * work but the app never heard back) or dropped (Slack never got it).
 * Point the app's SLACK_API_URL at `apiUrl`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldCall {
  method: string;
  body: string;
  /** 'forward': the stand-in performs it (its answer goes nowhere if the app is gone); 'drop': it never arrives. */
  release(mode: 'forward' | 'drop'): Promise<void>;
}

export interface ApiProxy {
  /** What the app takes as SLACK_API_URL. */
  apiUrl: string;
  /** Holds the next call for which `match` is true; resolves once it is held. */
  holdNext(match: (method: string, body: string) => boolean): Promise<HeldCall>;
  close(): Promise<void>;
}

interface Hold {
  match: (method: string, body: string) => boolean;
  held: (call: HeldCall) => void;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const FORWARDED_HEADERS = ['content-type', 'authorization'];

export async function startApiProxy(standinUrl: string): Promise<ApiProxy> {
  const holds: Hold[] = [];

  const forward = async (request: IncomingMessage, body: Buffer, response: ServerResponse | undefined) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${standinUrl}${request.url ?? '/'}`, { method: request.method, headers, body: request.method === 'GET' ? undefined : new Uint8Array(body) });
    const text = await answer.text();
    if (!response || response.destroyed) return;
    const out: Record<string, string> = {};
    for (const name of ['content-type', 'retry-after']) {
      const value = answer.headers.get(name);
      if (value) out[name] = value;
    }
    response.writeHead(answer.status, out);
    response.end(text);
  };

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const method = (request.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
      const text = body.toString('utf8');
      const index = holds.findIndex((hold) => hold.match(method, text));
      if (index >= 0) {
        const [hold] = holds.splice(index, 1);
        hold!.held({
          method,
          body: text,
          release: async (mode) => {
            if (mode === 'drop') {
              response.destroy();
              return;
            }
            await forward(request, body, response).catch(() => undefined);
          },
        });
        return;
      }
      await forward(request, body, response);
    })().catch(() => {
      if (!response.headersSent) {
        response.writeHead(502);
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    holdNext: (match) => new Promise<HeldCall>((held) => holds.push({ match, held })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
