/**
 * Preloaded into the app by the benchmark (`--expose-gc --import
 * ./bench/memory-probe.ts`), never by production: on SIGUSR2 it collects
 * garbage and writes one JSON line with the process's memory to stdout, so
 * the benchmark can read heap-after-GC from outside without the app having
 * a debug endpoint.
 */
import { writeSync } from 'node:fs';

process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: the first pass can leave objects that only die once their finalizers ran.
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  writeSync(1, `${JSON.stringify({ probe: 'memory', gc: Boolean(gc), ...usage })}\n`);
});
