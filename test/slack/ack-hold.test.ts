import { afterEach, describe, expect, it, vi } from 'vitest';
import { AckHold, HELD_ACK_MAX_MS } from '../../src/slack/ack-hold.js';

function recorder() {
  const sent: unknown[] = [];
  const warnings: unknown[] = [];
  return { sent, warnings, send: async (response?: unknown) => void sent.push(response ?? 'empty'), logger: { warn: (...args: unknown[]) => void warnings.push(args) } };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AckHold', () => {
  it('sends the ack only once it has been asked for and let go, in either order, once', async () => {
    const asked = recorder();
    const first = new AckHold(asked.send, asked.logger);
    await first.ack({ text: 'ok' });
    expect(asked.sent).toEqual([]);
    first.release();
    first.release();
    expect(asked.sent).toEqual([{ text: 'ok' }]);

    const released = recorder();
    const second = new AckHold(released.send, released.logger);
    second.release();
    expect(released.sent).toEqual([]);
    await second.ack();
    await second.ack();
    expect(released.sent).toEqual(['empty']);
  });

  it('lets go by itself at its limit, so Slack never waits past it', async () => {
    vi.useFakeTimers();
    const held = recorder();
    const hold = new AckHold(held.send, held.logger);
    await hold.ack();
    vi.advanceTimersByTime(HELD_ACK_MAX_MS - 1);
    expect(held.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(held.sent).toEqual(['empty']);
  });

  it('logs an ack the receiver refuses instead of throwing it at the listener', async () => {
    const held = recorder();
    const hold = new AckHold(() => Promise.reject(new Error('already acknowledged')), held.logger);
    hold.release();
    await hold.ack();
    await Promise.resolve();
    expect(held.warnings).toHaveLength(1);
  });
});
