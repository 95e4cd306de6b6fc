/**
 * The whole app for end-to-end tests: the local Slack stand-in, a real Redis
 * under a fresh key prefix, and the app started exactly as in production
 * (startServer, real Bolt HTTP receiver, signed requests).
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Suggester } from '../../src/llm/suggester.js';
import { startServer, type ServerHandle } from '../../src/server.js';
import { startSlackStandin, type StandinOptions } from '../../src/standin/slack/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { ReviewStore } from '../../src/store/types.js';
import { freePort } from './global-setup.js';

export const SIGNING_SECRET = 'standin-signing-secret-0123456789';
export const TEAM = 'T0001';
export const BOT_USER = 'U0BOT';
export const BOT_ID = 'B0BOT';
export const CHANNEL = 'C0REVIEW';
export const PRIVATE_WITHOUT_BOT = 'G0SECRET';
export const PUBLIC_WITHOUT_BOT = 'C0NOBOT';
export const LEADS = 'C0LEADS';
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const CAROL = 'U0CAROL';

export type Standin = Awaited<ReturnType<typeof startSlackStandin>>;

export interface Harness {
  slack: Standin;
  server: ServerHandle;
  store: ReviewStore;
  redis?: Redis;
  prefix: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  store?: 'redis' | 'memory';
  env?: Record<string, string>;
  suggester?: Suggester;
  /** Reuse a stand-in (e.g. two app processes behind one Slack). */
  slack?: Standin;
  prefix?: string;
}

export function logCollector(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { stream, lines };
}

/** The workspace every end-to-end test shares: three people, a review channel, a leads' channel, and two channels the bot is not in. */
export function startStandardStandin(overrides: Partial<StandinOptions> = {}): Promise<Standin> {
  return startSlackStandin({
    signingSecret: SIGNING_SECRET,
    teamId: TEAM,
    botUserId: BOT_USER,
    botId: BOT_ID,
    users: [
      { id: ALICE, name: 'alice' },
      { id: BOB, name: 'bob' },
      { id: CAROL, name: 'carol', isAdmin: true },
    ],
    channels: [
      { id: CHANNEL, name: 'ai-reviews', members: [ALICE, BOB, CAROL, BOT_USER] },
      { id: LEADS, name: 'ai-leads', members: [CAROL, BOT_USER] },
      { id: PUBLIC_WITHOUT_BOT, name: 'general', members: [ALICE, BOB] },
      { id: PRIVATE_WITHOUT_BOT, name: 'secret', isPrivate: true, members: [ALICE] },
    ],
    ...overrides,
  });
}

/** The app's configuration in the tests: the stand-in's Web API, its signing secret, no model; `env` adds or overrides. */
export function testAppConfig(apiUrl: string, port: number, env: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    SLACK_BOT_TOKEN: 'xoxb-standin',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    PORT: String(port),
    LEADS_CHANNEL: LEADS,
    LOG_LEVEL: 'info',
    LLM_ENABLED: 'false',
    ...env,
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = options.slack ?? (await startStandardStandin());
  const prefix = options.prefix ?? `e2e${randomBytes(4).toString('hex')}`;
  let redis: Redis | undefined;
  let store: ReviewStore;
  if ((options.store ?? 'redis') === 'redis') {
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
    store = new RedisStore({ redis, prefix, retentionDays: 180 });
  } else {
    store = new MemoryStore({ retentionDays: 180 });
  }
  const port = await freePort();
  const config = testAppConfig(slack.apiUrl, port, options.env);
  const collector = logCollector();
  const logger = createLogger(config.logLevel, collector.stream);
  const server = await startServer(config, { store, logger, botUserId: BOT_USER, botId: BOT_ID, suggester: options.suggester });
  if (!options.slack) slack.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
  return {
    slack,
    server,
    store,
    redis,
    prefix,
    logs: collector.lines,
    async close() {
      await server.stop();
      if (redis) {
        const cleaner = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
        const keys = await cleaner.keys(`${prefix}:*`);
        if (keys.length) await cleaner.del(...keys);
        cleaner.disconnect();
      }
      if (!options.slack) await slack.close();
    },
  };
}
