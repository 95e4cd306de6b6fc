/**
 * Redis with Sentinel, of the test's own: a primary, one replica and one
 * sentinel watching them (quorum 1), each a redis-server on a free port,
 * with the sentinel's config file in a temporary folder that goes with
 * them. `failover()` asks the sentinel to promote the replica, as a managed
 * Redis does during maintenance, and waits until it has.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './global-setup.js';
import { RedisProcesses, until } from './redis-processes.js';

export const SENTINEL_NAME = 'reviews';

export interface PrivateSentinel {
  sentinels: Array<{ host: string; port: number }>;
  /** The port of the current primary, as the sentinel names it. */
  primaryPort(): Promise<number>;
  /** Promotes the replica and waits until the sentinel names it and it acts as the primary. */
  failover(): Promise<void>;
  /**
   * Waits until the sentinel has turned the old primary into a replica of
   * the new one and it has synced (about 10 s after a failover). Until then
   * the old primary still takes writes from clients that stayed on it,
   * writes the sync then throws away.
   */
  demoted(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateSentinel(): Promise<PrivateSentinel> {
  const servers = new RedisProcesses('redis-sentinel');
  const { dir } = servers;
  const clients: Redis[] = [];
  const stop = async () => {
    for (const client of clients) client.disconnect();
    await servers.stop();
  };
  const server = (port: number, args: string[]) => servers.start(port, args);
  try {
    const [primary, replica, sentinelPort] = [await freePort(), await freePort(), await freePort()];
    const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    await server(primary, ['--port', String(primary), ...common]);
    await server(replica, ['--port', String(replica), ...common, '--replicaof', '127.0.0.1', String(primary)]);
    const config = join(dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary} 1`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        '',
      ].join('\n'),
    );
    await server(sentinelPort, [config, '--sentinel']);
    const sentinel = new Redis({ host: '127.0.0.1', port: sentinelPort });
    clients.push(sentinel);
    const primaryPort = async () => Number(((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME)) as string[])[1]);
    let oldPrimary: number | undefined;
    // A failover needs a replica the sentinel has seen in sync.
    await until('the sentinel sees the replica in sync', async () => {
      const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', SENTINEL_NAME)) as string[][];
      return replicas.some((fields) => fields.join(' ').includes('master-link-status ok'));
    });
    return {
      sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
      primaryPort,
      async failover() {
        const before = await primaryPort();
        oldPrimary = before;
        await sentinel.call('SENTINEL', 'FAILOVER', SENTINEL_NAME);
        await until('the replica promoted', async () => {
          const now = await primaryPort();
          if (now === before) return false;
          const promoted = new Redis({ host: '127.0.0.1', port: now, lazyConnect: true });
          try {
            await promoted.connect();
            return (await promoted.role())[0] === 'master';
          } finally {
            promoted.disconnect();
          }
        });
      },
      async demoted() {
        if (oldPrimary === undefined) return;
        const old = new Redis({ host: '127.0.0.1', port: oldPrimary, lazyConnect: true });
        clients.push(old);
        await old.connect();
        await until(
          'the old primary a replica in sync',
          async () => {
            const info = await old.info('replication');
            return info.includes('role:slave') && info.includes('master_link_status:up');
          },
          30_000,
        );
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
