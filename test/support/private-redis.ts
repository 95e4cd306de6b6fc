/**
 * A redis-server of the test's own, on a free port, that the test may kill
 * and start again on the same port (nothing is kept on disk). For faults the
 * shared test Redis must not suffer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { answersPing as answersPingOn, freePort } from './global-setup.js';

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server (SIGKILL: as abrupt as a crash) and waits for it to go. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
}

const answersPing = (port: number): Promise<boolean> => answersPingOn('127.0.0.1', port, 300);

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  let failed: Error | undefined;
  child.once('error', (error) => {
    failed = error;
  });
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (failed) throw new Error(`redis-server could not start: ${failed.message}`);
    if (await answersPing(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}`);
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const current = child;
      child = undefined;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const gone = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGKILL');
      await gone;
    },
    async restart() {
      if (child) return;
      child = await launch(port);
    },
  };
}
