/**
 * writeWaitingForStore: a write a person is waiting on is tried again while
 * the store does not answer, within a fixed budget, and not past an answer
 * no retry could change or the app's shutdown.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { STORE_WAIT_DELAYS_MS, writeWaitingForStore } from '../../src/reviews/store-wait.js';
import { WorkTracker } from '../../src/reviews/work-tracker.js';
import { logCollector } from '../support/app-harness.js';

function depsForTest() {
  const collector = logCollector();
  return { deps: { logger: createLogger('info', collector.stream), work: new WorkTracker(() => undefined) }, logs: collector.lines };
}

/** A write that fails `failures` times (as a timed-out command does), then answers "done". */
function flakyWrite(failures: number) {
  const calls = { count: 0 };
  const write = async () => {
    calls.count += 1;
    if (calls.count <= failures) throw new Error(`Command timed out (${calls.count})`);
    return 'done';
  };
  return { write, calls };
}

describe('writeWaitingForStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries again after each failure until the store answers, logging each failed try', async () => {
    const { deps, logs } = depsForTest();
    const { write, calls } = flakyWrite(3);
    const result = writeWaitingForStore(deps, write, { what: 'store a thing', context: { reviewId: 'R1' } });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('done');
    expect(calls.count).toBe(4);
    expect(logs.filter((line) => line.msg === 'Could not store a thing yet; trying again').map((line) => [line.reviewId, line.err])).toEqual([
      ['R1', 'Command timed out (1)'],
      ['R1', 'Command timed out (2)'],
      ['R1', 'Command timed out (3)'],
    ]);
  });

  it('waits the listed delays between tries and gives up with the last error after the last one', async () => {
    const { deps } = depsForTest();
    const { write, calls } = flakyWrite(Number.POSITIVE_INFINITY);
    const result = writeWaitingForStore(deps, write, { what: 'store a thing', context: {} });
    const settled = result.catch((error: unknown) => error);
    expect(calls.count).toBe(1);
    for (const [index, delay] of STORE_WAIT_DELAYS_MS.entries()) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(calls.count).toBe(index + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.count).toBe(index + 2);
    }
    expect(((await settled) as Error).message).toBe(`Command timed out (${STORE_WAIT_DELAYS_MS.length + 1})`);
  });

  it('rejects at once on an answer marked final', async () => {
    const { deps } = depsForTest();
    const { write, calls } = flakyWrite(1);
    await expect(writeWaitingForStore(deps, write, { what: 'store a thing', context: {}, isFinal: () => true })).rejects.toThrow('Command timed out (1)');
    expect(calls.count).toBe(1);
  });

  it('stops trying once the app is closing', async () => {
    const { deps } = depsForTest();
    const { write, calls } = flakyWrite(5);
    const result = writeWaitingForStore(deps, write, { what: 'store a thing', context: {} });
    const settled = result.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(STORE_WAIT_DELAYS_MS[0]!);
    expect(calls.count).toBe(2);
    // Shutdown: the tracker stops taking work (nothing is in flight, so it returns at once).
    await deps.work.drain(0);
    await vi.runAllTimersAsync();
    expect(((await settled) as Error).message).toBe('Command timed out (2)');
    expect(calls.count).toBe(2);
  });
});
