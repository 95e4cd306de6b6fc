/**
 * `npx tsx bench/redis-kill-durability.ts [--kills 15]`: what each
 * `appendfsync` setting keeps when the Redis process is killed (SIGKILL)
 * while the disk is busy. For each setting it starts its own redis-server
 * with the append-only file on, writes 2 KB values one after another (each
 * confirmed before the next) for 0.3 to 1 s, kills the server, starts it
 * again on the same folder and looks for the last confirmed write. A child
 * process keeps the disk busy meanwhile (300 MB written, then flushed with
 * one fsync, over and over), as a loaded CI machine's disk is. Prints figures; asserts nothing.
 *
 * Why it exists: the fault tests' own Redis (test/support/fault-redis.ts)
 * runs with `appendfsync no`, and the README's Redis section says what each
 * setting promises; these are the figures behind both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { answersPing, freePort } from '../test/support/global-setup.js';
import { until } from '../test/support/redis-processes.js';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '15' } } });
const KILLS = Number(values.kills);
const VALUE = 'x'.repeat(2000);

/** A child process that writes a 300 MB file and then fsyncs it, over and over, until killed: long flushes, as on a busy machine. */
function busyDisk(dir: string): ChildProcess {
  const script = `
    const fs = require('node:fs');
    const chunk = Buffer.alloc(1 << 20, 7);
    for (;;) {
      const fd = fs.openSync(${JSON.stringify(join(dir, 'pressure'))}, 'w');
      for (let i = 0; i < 300; i++) fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function measure(appendfsync: 'everysec' | 'no' | 'always'): Promise<{ lost: number; slowestWriteMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-kill-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', appendfsync, '--save', ''];
  const start = async () => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    await until(`redis-server on port ${port}`, () => answersPing('127.0.0.1', port, 300));
    return child;
  };
  const pressure = busyDisk(dir);
  let server = await start();
  let lost = 0;
  let slowestWriteMs = 0;
  try {
    for (let trial = 0; trial < KILLS; trial++) {
      const writer = new Redis({ port, retryStrategy: () => null });
      let last = -1;
      const stopAt = Date.now() + 300 + Math.random() * 700;
      for (let i = 0; Date.now() < stopAt; i++) {
        const startedAt = performance.now();
        await writer.set(`trial${trial}:${i}`, VALUE);
        slowestWriteMs = Math.max(slowestWriteMs, performance.now() - startedAt);
        last = i;
      }
      await kill(server);
      writer.disconnect();
      server = await start();
      const reader = new Redis({ port });
      if ((await reader.get(`trial${trial}:${last}`)) === null) lost += 1;
      reader.disconnect();
    }
  } finally {
    await kill(server);
    await kill(pressure);
    rmSync(dir, { recursive: true, force: true });
  }
  return { lost, slowestWriteMs };
}

console.log(`Redis killed ${KILLS} times per setting while the disk is busy; after each restart, is the last confirmed write there?`);
for (const appendfsync of ['everysec', 'no', 'always'] as const) {
  const { lost, slowestWriteMs } = await measure(appendfsync);
  console.log(`appendfsync ${appendfsync.padEnd(8)}  last confirmed write lost in ${lost} of ${KILLS} kills; slowest write ${slowestWriteMs.toFixed(0)} ms`);
}
