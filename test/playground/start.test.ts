/**
 * Starting and stopping the playground as `npm start` does: which store it
 * picks, what it prints, a busy port, and that stopping frees everything.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { startPlayground } from '../../src/playground/index.js';
import { REVIEW_CHANNEL } from '../../src/playground/workspace.js';
import { StartupError } from '../../src/server.js';
import { startTestPlayground, type TestPlayground } from './support/playground.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let running: TestPlayground | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function startReviewThroughApi(playground: TestPlayground, name: string) {
  const before = playground.slack.world.seq;
  const response = await fetch(`${playground.base}/api/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'slashCommand', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` }),
  });
  expect(response.status).toBe(200);
  return playground.slack.waitFor(
    ({ world }) => world.messages.find((message) => message.seq > before && message.user === world.bot.userId && /^Question 1:/.test(message.text)),
    { description: 'the first question' },
  );
}

describe('starting the playground', () => {
  it('uses the in-process store without REDIS_URL and says so, with the URL and the model', async () => {
    running = await startTestPlayground();
    const printed = running.printed.join('\n');
    expect(printed).toContain(`Open:   http://localhost:${running.port}`);
    expect(printed).toContain('local playground');
    expect(printed).toContain('Store:  in-process memory store');
    expect(printed).toMatch(/Model: {2}none .*offline library/);
    await startReviewThroughApi(running, 'Memory reviewer');
  });

  it('uses RedisStore when REDIS_URL is set, keeping reviews under the configured prefix', async () => {
    const prefix = `pg${randomBytes(4).toString('hex')}`;
    running = await startTestPlayground({ REDIS_URL, REDIS_PREFIX: prefix });
    expect(running.printed.join('\n')).toMatch(new RegExp(`Store: {2}Redis at redis://[^ ]+ \\(key prefix "${prefix}"\\)`));
    await startReviewThroughApi(running, 'Redis reviewer');
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await running.stop();
      running = undefined;
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  it('stops with a readable error when its port is taken, leaving nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = startPlayground(parseConfig({ LOG_LEVEL: 'silent' }), { port, print: () => undefined });
      await expect(attempt).rejects.toThrow(StartupError);
      await expect(attempt).rejects.toThrow(/port .* is in use: set PLAYGROUND_PORT/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('frees its port when stopped', async () => {
    const playground = await startTestPlayground();
    const { port } = playground;
    await playground.stop();
    await expect(fetch(`http://127.0.0.1:${port}/api/world`)).rejects.toThrow();
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});
