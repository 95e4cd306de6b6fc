/**
 * A command the app has already given up on (its 1.5 s timeout rejected it,
 * and the person was told "I could not save that answer") must never run
 * once Redis is back. ioredis keeps such a command in its queues and sends
 * it on reconnecting; the connection built by createRedisConnection drops it.
 *
 * Each case uses its own redis-server (test/support/fault-redis.ts), and
 * reaches the moment it needs by watching the connection's own events, not
 * by sleeping a guessed time. The Cluster cases run a Cluster of their own
 * with one node behind a proxy that can hold commands and cut connections:
 * a Cluster sends again, by itself, what it had written on a connection
 * that closed.
 */
import { Redis, type Cluster } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { startPrivateRedis, type PrivateRedis } from '../support/fault-redis.js';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.js';
import { startPrivateCluster, type PrivateCluster } from '../support/private-cluster.js';
import { until } from '../support/redis-processes.js';

/** What the running case opened, for afterEach to close. */
let opened: { server: PrivateRedis; connection: Redis } | undefined;

afterEach(async () => {
  opened?.connection.disconnect();
  await opened?.server.close();
  opened = undefined;
});

/** A private server and the app's kind of connection to it, connected. */
async function connected(): Promise<{ server: PrivateRedis; connection: Redis }> {
  const server = await startPrivateRedis();
  opened = { server, connection: createRedisConnection({ url: server.url }, () => {}) as Redis };
  await opened.connection.ping();
  return opened;
}

/** Kills the server and resolves once the connection has failed to reconnect `attempts` times. */
async function killedFor(attempts: number): Promise<{ server: PrivateRedis; connection: Redis }> {
  const made = await connected();
  const seen = reconnectingEvents(made.connection, attempts);
  await made.server.kill();
  await seen;
  return made;
}

function reconnectingEvents(redis: Redis, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const listener = () => {
      seen += 1;
      if (seen < count) return;
      redis.off('reconnecting', listener);
      // ioredis empties its offline queue (maxRetriesPerRequest) right after this event, in the same turn.
      setImmediate(resolve);
    };
    redis.on('reconnecting', listener);
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the command was expected to fail');
}

async function readyAgain(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  // What the connection resends on reconnecting goes out in the 'ready' turn: let it be answered.
  await redis.ping();
}

describe('a command given up on while Redis was away', () => {
  it('is not sent when the connection comes back, if it was still waiting to be sent', async () => {
    // Six failed reconnections in: the queue was just emptied, and the next emptying is two
    // reconnections (1.2 s + 1.4 s) away, later than the command's timeout.
    const { server, connection } = await killedFor(6);
    const write = connection.set('given-up', 'yes');
    const error = await rejectionOf(write);
    expect(error.message).toBe('Command timed out');
    await server.restart();
    await readyAgain(connection);
    expect(await connection.get('given-up')).toBeNull();
    // The connection works as before: a new command runs.
    await connection.set('after', 'yes');
    expect(await connection.get('after')).toBe('yes');
  });

  it('is not sent again on a new connection, if it had been sent to a server that stopped answering', async () => {
    const { server, connection } = await connected();
    server.freeze();
    const error = await rejectionOf(connection.set('sent-but-unanswered', 'yes'));
    expect(error.message).toBe('Command timed out');
    // The stalled server dies without having read it; a new one starts on the same data.
    await server.kill();
    await server.restart();
    await readyAgain(connection);
    expect(await connection.get('sent-but-unanswered')).toBeNull();
  });

  it('still sends what was waiting and not given up on, once the connection is back', async () => {
    // Just after an emptying of the queue, with the next reconnection 0.4 s away.
    const { server, connection } = await killedFor(2);
    const write = connection.set('waited', 'yes');
    // Back before the command's timeout: it goes through.
    await server.restart();
    expect(await write).toBe('OK');
    expect(await connection.get('waited')).toBe('yes');
  });

  it('is still sent again on the new connection, if that came back within its timeout', async () => {
    const { server, connection } = await connected();
    server.freeze();
    const write = connection.set('resent', 'yes');
    await server.kill();
    await server.restart();
    expect(await write).toBe('OK');
    expect(await connection.get('resent')).toBe('yes');
  });
});

describe('a command given up on while a Cluster node was out of reach', () => {
  let cluster: PrivateCluster | undefined;
  let proxy: HoldingProxy | undefined;
  let clusterConnection: Cluster | undefined;

  afterEach(async () => {
    clusterConnection?.disconnect();
    await proxy?.close();
    await cluster?.stop();
    [clusterConnection, proxy, cluster] = [undefined, undefined, undefined];
  });

  /**
   * A Cluster whose node serving `key` every client reaches through a proxy (the node announces the
   * proxy's port), and the app's kind of connection to it, with `key` set to 'before'.
   */
  async function nodeBehindProxy(key: string): Promise<{ connection: Cluster; proxy: HoldingProxy }> {
    cluster = await startPrivateCluster();
    const seed = new Redis(cluster.nodes[0]!);
    try {
      const slot = Number(await seed.cluster('KEYSLOT', key));
      const slots = await seed.cluster('SLOTS');
      const port = slots.find(([first, last]) => slot >= first && slot <= last)![2]![1];
      proxy = await startHoldingProxy({ host: '127.0.0.1', port });
      const node = new Redis({ host: '127.0.0.1', port });
      await node.config('SET', 'cluster-announce-port', String(new URL(proxy.url).port));
      node.disconnect();
      // Every node must have heard, or a slot refresh could hand the client the node's own port again.
      const proxied = (slots: unknown) => JSON.stringify(slots).includes(`,${new URL(proxy!.url).port},`);
      for (const { port: each } of cluster.nodes) {
        const other = new Redis({ host: '127.0.0.1', port: each });
        await until(`node ${each} to announce the proxy`, async () => proxied(await other.cluster('SLOTS')));
        other.disconnect();
      }
    } finally {
      seed.disconnect();
    }
    clusterConnection = createRedisConnection({ clusterNodes: cluster.nodes }, () => {}) as Cluster;
    await clusterConnection.set(key, 'before');
    return { connection: clusterConnection, proxy: proxy! };
  }

  it('is not sent again once the node can be reached, though the Cluster retries a command whose node connection closed', async () => {
    const key = 'given-up-on-a-node';
    const { connection, proxy: between } = await nodeBehindProxy(key);
    between.hold('requests');
    const error = await rejectionOf(connection.set(key, 'given up'));
    expect(error.message).toBe('Command timed out');
    expect(between.heldBytes()).toBeGreaterThan(0);
    // The connection is cut with the command still in the proxy: the node never saw it.
    between.cutConnections();
    // The Cluster reconnects through the proxy (its own retry goes out 0.1 s after the cut), and a read after that sees what ran.
    await until('the node to answer through the proxy again', async () => (await connection.get(key)) !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await connection.get(key)).toBe('before');
  }, 60_000);

  it('is still sent again by the Cluster when its node connection closed within its timeout', async () => {
    const key = 'retried-in-time';
    const { connection, proxy: between } = await nodeBehindProxy(key);
    between.hold('requests');
    const write = connection.set(key, 'retried');
    await until('the command to reach the proxy', async () => between.heldBytes() > 0);
    between.cutConnections();
    expect(await write).toBe('OK');
    expect(await connection.get(key)).toBe('retried');
  }, 60_000);
});
