/**
 * The whole app as test/support/app-harness.ts starts it (stand-in, real
 * Redis under a fresh prefix, startServer with the real Bolt HTTP receiver),
 * plus what the leads' tests need: a clock they can move (deps.now and the
 * reminder loop), leads options (a reminder loop that only runs when ticked,
 * fast Home refreshes), and a restart against the same Redis prefix.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LeadsOptions } from '../../../src/leads/index.js';
import { createLogger } from '../../../src/logger.js';
import { startServer, type ServerHandle } from '../../../src/server.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import { ALICE, BOB, BOT_ID, BOT_USER, CAROL, CHANNEL, LEADS, PRIVATE_WITHOUT_BOT, PUBLIC_WITHOUT_BOT, logCollector, startStandardStandin, testAppConfig, type Harness, type Standin } from '../../support/app-harness.js';
import { freePort } from '../../support/global-setup.js';

export const DAN = 'U0DAN';
/** A second channel with the bot, for filters and CSV scope. */
export const OTHER = 'C0OTHER';

/** deps.now for the app: real time plus an offset the test moves. */
export class TestClock {
  offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advanceHours(hours: number): void {
    this.offsetMs += hours * 3_600_000;
  }
}

export interface LeadsHarness extends Harness {
  clock: TestClock;
  /** Another app process on the same Redis prefix and Slack (a second replica); stopped by close(). */
  addReplica(): Promise<ServerHandle>;
  /** Stops the app (not the stand-in or Redis keys) and starts it again on the same prefix. */
  restart(): Promise<void>;
}

export interface LeadsHarnessOptions {
  env?: Record<string, string>;
  leads?: LeadsOptions;
}

export function defaultStandin(): Promise<Standin> {
  // The standard workspace with a fourth person and a second review channel.
  return startStandardStandin({
    users: [
      { id: ALICE, name: 'alice', realName: 'Alice Moreau' },
      { id: BOB, name: 'bob', realName: 'Bob Okafor' },
      { id: CAROL, name: 'carol', realName: 'Carol Lindqvist', isAdmin: true },
      { id: DAN, name: 'dan', realName: 'Dan Ito' },
    ],
    channels: [
      { id: CHANNEL, name: 'ai-reviews', members: [ALICE, BOB, CAROL, DAN, BOT_USER] },
      { id: OTHER, name: 'ml-platform', members: [ALICE, BOB, CAROL, DAN, BOT_USER] },
      { id: LEADS, name: 'ai-leads', members: [CAROL, DAN, BOT_USER] },
      { id: PUBLIC_WITHOUT_BOT, name: 'general', members: [ALICE, BOB] },
      { id: PRIVATE_WITHOUT_BOT, name: 'secret', isPrivate: true, members: [ALICE] },
    ],
  });
}

/** A reminder loop that never fires on its own (tests tick it) and Home refreshes within 50 ms. */
export const TEST_LEADS_OPTIONS: LeadsOptions = { reminders: { intervalMs: 3_600_000 }, homeRefreshDelayMs: 50 };

export async function startLeadsHarness(options: LeadsHarnessOptions = {}): Promise<LeadsHarness> {
  const slack = await defaultStandin();
  const prefix = `lead${randomBytes(4).toString('hex')}`;
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const clock = new TestClock();
  const collector = logCollector();

  const replicas: ServerHandle[] = [];

  async function boot(deliverHere = true) {
    const redis = new Redis(redisUrl);
    const store = new RedisStore({ redis, prefix, retentionDays: 180 });
    const port = await freePort();
    const config = testAppConfig(slack.apiUrl, port, options.env);
    const logger = createLogger(config.logLevel, collector.stream);
    const server = await startServer(config, {
      store,
      logger,
      botUserId: BOT_USER,
      botId: BOT_ID,
      now: clock.now,
      leads: { ...TEST_LEADS_OPTIONS, ...options.leads },
    });
    if (deliverHere) slack.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
    return { server, store, redis };
  }

  let booted = await boot();
  const harness: LeadsHarness = {
    slack,
    server: booted.server,
    store: booted.store,
    redis: booted.redis,
    prefix,
    logs: collector.lines,
    clock,
    async addReplica() {
      const replica = await boot(false);
      replicas.push(replica.server);
      return replica.server;
    },
    async restart() {
      await slack.settled();
      await booted.server.stop();
      booted = await boot();
      harness.server = booted.server;
      harness.store = booted.store;
      harness.redis = booted.redis;
    },
    async close() {
      await slack.settled().catch(() => undefined);
      for (const replica of replicas) await replica.stop();
      await booted.server.stop();
      const cleaner = new Redis(redisUrl);
      const keys = await cleaner.keys(`${prefix}:*`);
      if (keys.length) await cleaner.del(...keys);
      cleaner.disconnect();
      await slack.close();
    },
  };
  return harness;
}
