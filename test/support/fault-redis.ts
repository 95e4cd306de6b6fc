/**
 * A private redis-server for fault tests: its own free port and its own
 * data folder with the append-only file on, so it can be killed (SIGKILL,
 * as a crash) and started again on the same port with its data intact.
 * Nothing else in the suite talks to it, so killing it disturbs no one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { answersPing as answersPingOn, freePort } from './global-setup.js';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** True while a server process is up. */
  readonly running: boolean;
  /** SIGKILL: no shutdown save, as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** SIGSTOP: the server keeps its connections open but answers nothing, as a stalled host would. */
  freeze(): void;
  /** Starts it again on the same port and folder; resolves once it answers PING. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

const answersPing = (port: number): Promise<boolean> => answersPingOn('127.0.0.1', port, 300);

async function waitForPing(port: number, up: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await answersPing(port)) !== up) {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not ${up ? 'start' : 'stop'} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fault-redis-'));
  let child: ChildProcess | undefined;

  const launch = async () => {
    // appendfsync no: Redis writes the append-only file in every turn of its
    // event loop, before that turn's replies go out, and leaves flushing it to
    // the kernel. A killed process (not a lost machine) so loses nothing it
    // acknowledged, and no fsync ever stalls it. Redis's default, everysec,
    // holds writes back for up to 2 s while an earlier fsync is still running
    // on a busy disk, still replying to them, and a kill then loses them: the
    // likely cause of a CI failure in which a review started just before the
    // kill was gone after the restart. (always would fsync before each reply,
    // and a slow disk would then stall commands past the app's 1.5 s timeout.)
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'no', '--save', '', '--logfile', join(dir, 'redis.log')],
      { stdio: 'ignore' },
    );
    const spawned = child;
    spawned.once('exit', () => {
      if (child === spawned) child = undefined;
    });
    await waitForPing(port, true, 5000);
  };

  const kill = async () => {
    const running = child;
    if (!running) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
    await waitForPing(port, false, 2000);
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get running() {
      return child !== undefined;
    },
    kill,
    freeze() {
      child?.kill('SIGSTOP');
    },
    restart: launch,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A private Redis for each test that asks for one, and the connections the
 * test opens to it, all closed after the test.
 */
export function privateRedisPerTest() {
  let server: PrivateRedis | undefined;
  const connections: { disconnect(): void }[] = [];
  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.disconnect();
    await server?.close();
    server = undefined;
  });
  return {
    async start(): Promise<PrivateRedis> {
      server = await startPrivateRedis();
      return server;
    },
    /** The test's server: start() first. */
    get server(): PrivateRedis {
      if (!server) throw new Error('start() the private Redis first');
      return server;
    },
    /** Closes `connection` after the test. */
    keep<T extends { disconnect(): void }>(connection: T): T {
      connections.push(connection);
      return connection;
    },
  };
}
