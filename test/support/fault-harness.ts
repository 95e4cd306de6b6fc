/**
 * The app in-process, as startHarness runs it, but with the store built by
 * startServer itself from REDIS_URL (the production connection and its
 * failure settings from redis-connection.ts) rather than a test connection,
 * and with the Web API address replaceable (a fault proxy in front of the
 * stand-in). The result is a Harness, so the review driver works with it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import {
  BOT_ID,
  BOT_USER,
  logCollector,
  startStandardStandin,
  testAppConfig,
  type Harness,
  type Standin,
} from './app-harness.js';
import { freePort } from './global-setup.js';

/** The same workspace startHarness builds. */
export { startStandardStandin };

export interface FaultHarnessOptions {
  /** The Redis the app connects to itself (production connection options). */
  redisUrl?: string;
  /** Reuse a stand-in. */
  slack?: Standin;
  /** Where the app's Web API client points; the stand-in's own by default. */
  apiUrl?: string;
  env?: Record<string, string>;
  prefix?: string;
  /** Extra overrides for startServer (e.g. a logger level). */
  logLevel?: string;
}

export async function startFaultHarness(options: FaultHarnessOptions = {}): Promise<Harness> {
  const slack = options.slack ?? (await startStandardStandin());
  const prefix = options.prefix ?? `hard${randomBytes(4).toString('hex')}`;
  const redisUrl = options.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const port = await freePort();
  const config = testAppConfig(options.apiUrl ?? slack.apiUrl, port, {
    LOG_LEVEL: options.logLevel ?? 'info',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    ...options.env,
  });
  const collector = logCollector();
  const logger = createLogger(config.logLevel, collector.stream);
  const server = await startServer(config, { logger, botUserId: BOT_USER, botId: BOT_ID });
  if (!options.slack) slack.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
  return {
    slack,
    server,
    store: server.store,
    prefix,
    logs: collector.lines,
    async close() {
      await server.stop();
      await removeKeys(redisUrl, prefix);
      if (!options.slack) await slack.close();
    },
  };
}

/** Deletes every key under the prefix; quietly does nothing when that Redis is gone. */
export async function removeKeys(redisUrl: string, prefix: string): Promise<void> {
  const cleaner = new Redis(redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  cleaner.on('error', () => undefined);
  try {
    await cleaner.connect();
    const keys = await cleaner.keys(`${prefix}:*`);
    if (keys.length) await cleaner.del(...keys);
  } catch {
    // The server under test may already be stopped.
  } finally {
    cleaner.disconnect();
  }
}
