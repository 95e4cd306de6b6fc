/**
 * A Web API proxy in front of the Slack stand-in that can hold one call of
 * a method for a while before passing it on, so a test can act (send
 * SIGTERM, kill the process) while the app waits on Slack. Point the app's
 * SLACK_API_URL at `apiUrl`; everything else passes through untouched.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldCall {
  method: string;
  /** When the held call arrived at the proxy (ms since the epoch). */
  arrivedAt: number;
}

export interface SlowApiProxy {
  /** `${url}/api/`: give it to the app as SLACK_API_URL. */
  apiUrl: string;
  /**
   * Holds the next call of `method` (whose raw body `matching` accepts, when
   * given) for `ms` before passing it on. Resolves when that call arrives.
   */
  holdNext(method: string, ms: number, matching?: (body: string) => boolean): Promise<HeldCall>;
  close(): Promise<void>;
}

export async function startSlowApiProxy(target: string): Promise<SlowApiProxy> {
  const targetUrl = new URL(target);
  const holds: { method: string; ms: number; matching?: (body: string) => boolean; arrived: (call: HeldCall) => void }[] = [];

  const forward = (incoming: IncomingMessage, body: Buffer, response: ServerResponse) => {
    const outgoing = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: targetUrl.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.once('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    outgoing.end(body);
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = (incoming.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const index = holds.findIndex((hold) => hold.method === method && (!hold.matching || hold.matching(body.toString('utf8'))));
      if (index < 0) return forward(incoming, body, response);
      const [hold] = holds.splice(index, 1);
      hold!.arrived({ method, arrivedAt: Date.now() });
      setTimeout(() => forward(incoming, body, response), hold!.ms);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    holdNext: (method, ms, matching) => new Promise((arrived) => holds.push({ method, ms, matching, arrived })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
