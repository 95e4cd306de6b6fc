/**
 * A tiny HTTP load balancer for tests and the benchmark: each request goes,
 * unchanged (headers, signature, body), to one backend picked at random, as
 * a cloud load balancer without sticky sessions would. The stand-in
 * delivers to `eventsUrl`; the replicas share nothing but Redis.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  url: string;
  /** `${url}/slack/events` */
  eventsUrl: string;
  /** Requests forwarded to each backend, by its base URL. */
  counts: Map<string, number>;
  /** Every request forwarded, in order: which backend got it and its body (for tests that ask who got what). */
  routes: { backend: string; body: string }[];
  close(): Promise<void>;
}

export async function startLoadBalancer(backends: string[], random: () => number = Math.random): Promise<LoadBalancer> {
  if (backends.length === 0) throw new Error('a load balancer needs a backend');
  const counts = new Map(backends.map((backend) => [backend, 0]));
  const routes: LoadBalancer['routes'] = [];
  const server = createServer((incoming, response) => {
    const backend = backends[Math.floor(random() * backends.length)]!;
    counts.set(backend, (counts.get(backend) ?? 0) + 1);
    const route = { backend, body: '' };
    routes.push(route);
    const target = new URL(incoming.url ?? '/', backend);
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: incoming.method, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.once('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    incoming.on('data', (chunk: Buffer) => {
      route.body += chunk.toString();
      outgoing.write(chunk);
    });
    incoming.on('end', () => outgoing.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    eventsUrl: `${url}/slack/events`,
    counts,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
