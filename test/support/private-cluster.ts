/**
 * A Redis Cluster of the test's own: three primaries (redis-server with
 * cluster mode on, each on a free port whose cluster bus port, the port +
 * 10000, is free too), joined with `redis-cli --cluster create`, in a
 * temporary folder that goes with them. For checking that the store's
 * atomic steps each stay in one slot, as a Cluster requires.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { freePort } from './global-setup.js';
import { RedisProcesses, until } from './redis-processes.js';

export interface PrivateCluster {
  nodes: Array<{ host: string; port: number }>;
  stop(): Promise<void>;
}

/** Whether nothing listens on a port (the cluster bus needs port + 10000). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function clusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && !taken.has(port) && !taken.has(port + 10_000) && (await portFree(port + 10_000))) return port;
  }
  throw new Error('No free port pair for a cluster node');
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${String(code)}: ${output}`))));
  });
}

export async function startPrivateCluster(primaries = 3): Promise<PrivateCluster> {
  const servers = new RedisProcesses('redis-cluster');
  const stop = () => servers.stop();
  try {
    const taken = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < primaries; i++) {
      const port = await clusterPort(taken);
      taken.add(port).add(port + 10_000);
      ports.push(port);
      await servers.start(port, ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--dir', servers.dir, '--save', '', '--appendonly', 'no']);
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      const node = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
      try {
        await node.connect();
        await until(`node ${port} reports cluster_state:ok`, async () => (await node.cluster('INFO')).includes('cluster_state:ok'));
      } finally {
        node.disconnect();
      }
    }
    return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
