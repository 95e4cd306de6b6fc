/**
 * A TCP proxy in front of a Redis that can hold what clients send: while
 * held, their bytes wait in the proxy (Redis's answers still flow). A client
 * that dies meanwhile takes its held bytes with it, so its commands never
 * reach Redis: as if the process had died before sending them, which
 * CLIENT PAUSE cannot show (Redis runs a paused command even after its
 * client has gone).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  /** redis://127.0.0.1:<port> of the proxy. */
  readonly url: string;
  hold(): void;
  /** Sends on what was held, in order, and stops holding. */
  release(): void;
  /** Bytes held now, over every client. */
  heldBytes(): number;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  held: Buffer[];
}

export async function startHoldingProxy(target: { host: string; port: number }): Promise<HoldingProxy> {
  let holding = false;
  const pairs = new Set<Pair>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (holding) pair.held.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      pair.held = [];
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const pair of pairs) {
        for (const chunk of pair.held) pair.upstream.write(chunk);
        pair.held = [];
      }
    },
    heldBytes: () => [...pairs].reduce((sum, pair) => sum + pair.held.reduce((bytes, chunk) => bytes + chunk.length, 0), 0),
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
