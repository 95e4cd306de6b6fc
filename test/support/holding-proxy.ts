/**
 * A TCP proxy in front of a Redis that can hold the traffic one way:
 *
 * - 'requests': what clients send waits in the proxy (Redis's answers still
 *   flow). A client that dies meanwhile takes its held bytes with it, so its
 *   commands never reach Redis: as if the process died before sending them.
 * - 'replies': commands reach Redis and run; their answers wait. A client
 *   that dies meanwhile never learns that they ran.
 *
 * Each is certain where CLIENT PAUSE is not: whether Redis runs a paused
 * command whose client has gone depends on which it notices first.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type HeldWay = 'requests' | 'replies';

export interface HoldingProxy {
  /** redis://127.0.0.1:<port> of the proxy. */
  readonly url: string;
  hold(way?: HeldWay): void;
  /** Sends on what was held, in order, and stops holding. */
  release(): void;
  /** Bytes held now, over every client. */
  heldBytes(): number;
  /** Closes every connection through it, dropping what it held, and stops holding: as a network that cut them. */
  cutConnections(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes held on their way to Redis, and on their way back. */
  held: Buffer[];
  heldReplies: Buffer[];
}

export async function startHoldingProxy(target: { host: string; port: number }): Promise<HoldingProxy> {
  let holding: HeldWay | undefined;
  const pairs = new Set<Pair>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair: Pair = { client, upstream, held: [], heldReplies: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (holding === 'requests') pair.held.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holding === 'replies') pair.heldReplies.push(chunk);
      else client.write(chunk);
    });
    const end = () => {
      pairs.delete(pair);
      pair.held = [];
      pair.heldReplies = [];
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
    hold: (way = 'requests') => {
      holding = way;
    },
    release: () => {
      holding = undefined;
      for (const pair of pairs) {
        for (const chunk of pair.held) pair.upstream.write(chunk);
        for (const chunk of pair.heldReplies) pair.client.write(chunk);
        pair.held = [];
        pair.heldReplies = [];
      }
    },
    cutConnections: () => {
      holding = undefined;
      for (const pair of [...pairs]) {
        pair.held = [];
        pair.heldReplies = [];
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    heldBytes: () => [...pairs].reduce((sum, pair) => sum + [...pair.held, ...pair.heldReplies].reduce((bytes, chunk) => bytes + chunk.length, 0), 0),
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
