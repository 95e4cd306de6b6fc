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
import { answersPing as answersPingOn, freePort } from './global-setup.js';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** True while a server process is up. */
  readonly running: boolean;
  /** SIGKILL: no shutdown save, as a crash or an OOM kill would. */
  kill(): Promise<void>;
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
    // appendfsync everysec is Redis's default: a killed process loses nothing it
    // already acknowledged (the write reaches the kernel before the reply).
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', join(dir, 'redis.log')],
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
    restart: launch,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
