import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { startSlackStandin } from '../../src/standin/slack/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { appEnv, startAppProcess, type AppProcess } from '../support/app-process.js';
import { freePort } from '../support/global-setup.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { waitUntil } from '../support/review-driver.js';

const SIGNING_SECRET = 'health-signing-secret-0123456789';

async function probe(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('/healthz and /readyz', () => {
  it('healthz answers while the process runs; readyz only while its Redis answers, and again once Redis is back', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(() => redis.kill());
    const slack = await startSlackStandin({ signingSecret: SIGNING_SECRET });
    cleanups.push(() => slack.close());
    const app: AppProcess = await startAppProcess({ env: appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, redisUrl: redis.url, prefix: 'health' }) });
    cleanups.push(() => app.stop('SIGKILL'));

    expect(await probe(`${app.url}/healthz`)).toEqual({ status: 200, body: { ok: true } });
    const ready = await probe(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ok: true, store: true });
    expect(ready.body.flows).toBeGreaterThanOrEqual(3);

    await redis.kill();
    const started = Date.now();
    const down = await waitUntil(async () => {
      const answer = await probe(`${app.url}/readyz`);
      return answer.status === 503 ? answer : null;
    }, 'readyz to report the dead Redis');
    // A load balancer's probe must get its answer in time, not hang on the dead connection.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.body).toMatchObject({ ok: false, store: false });
    expect((await probe(`${app.url}/healthz`)).status).toBe(200);

    await redis.restart();
    await waitUntil(async () => ((await probe(`${app.url}/readyz`)).status === 200 ? true : null), 'readyz once Redis is back', 15_000);

    const exit = await app.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
  });

  it('readyz is 503 when no flow is loaded', async () => {
    const emptyFlows = mkdtempSync(join(tmpdir(), 'no-flows-'));
    cleanups.push(async () => rmSync(emptyFlows, { recursive: true, force: true }));
    const port = await freePort();
    const config = parseConfig({
      NODE_ENV: 'test',
      SLACK_BOT_TOKEN: 'xoxb-standin',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: String(port),
      LOG_LEVEL: 'silent',
    });
    const server = await startServer(config, {
      store: new MemoryStore({ retentionDays: 1 }),
      logger: createLogger('silent'),
      botUserId: 'U0BOT',
      botId: 'B0BOT',
      flowsDir: emptyFlows,
    });
    cleanups.push(() => server.stop());
    expect((await probe(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await probe(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ok: false, store: true, flows: 0 });
  });
});
