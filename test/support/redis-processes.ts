/**
 * redis-server processes of a test's own (a Cluster's nodes, a primary with
 * its replica and sentinel), in a temporary folder: each started and waited
 * for, and all killed together with the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersPing } from './global-setup.js';

/** Polls `probe` until it says yes (a probe that throws says no), or fails naming `what`. */
export async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`The test's Redis did not get ready: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export class RedisProcesses {
  /** Where their files go (cluster and sentinel configs); gone after stop(). */
  readonly dir: string;
  private readonly children: ChildProcess[] = [];

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
  }

  /** Starts `redis-server <args>` and waits until `ready` says so: by default, until it answers PING on `port` in plain TCP. */
  async start(port: number, args: string[], ready: () => Promise<boolean> = () => answersPing('127.0.0.1', port, 300)): Promise<void> {
    this.children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    await until(`port ${port} answers`, ready);
  }

  /** Kills them all (SIGKILL: nothing here needs saving) and removes the folder. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}
