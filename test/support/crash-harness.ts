/**
 * An app process a test kills (SIGKILL) and starts again: the Slack
 * stand-in, a proxy in front of its Web API that can hold a call while the
 * app dies (fault-api-proxy.ts), and a store over the app's Redis prefix to
 * look into. Registers its own hooks; a failing test prints what the app
 * process said.
 *
 *   const h = useCrashHarness('crash', { LEADS_CHANNEL: LEADS });
 *   …
 *   await h.kill();
 *   await h.start();
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, expect, onTestFailed } from 'vitest';
import { RedisStore } from '../../src/store/redis-store.js';
import { SIGNING_SECRET, type Standin } from './app-harness.js';
import { appEnv, startAppProcess, type AppProcess } from './app-process.js';
import { startApiProxy, type ApiProxy } from './fault-api-proxy.js';
import { removeKeys, startStandardStandin } from './fault-harness.js';

export interface CrashHarness {
  readonly slack: Standin;
  readonly proxy: ApiProxy;
  readonly redis: Redis;
  readonly store: RedisStore;
  readonly prefix: string;
  /** Starts the app, pointed at the proxy, and points the stand-in's deliveries at it. */
  start(): Promise<AppProcess>;
  /** SIGKILLs the running app. */
  kill(): Promise<void>;
}

/**
 * `env`: the app's settings beyond the standard ones, the same at every
 * start; a function when they are only known once the test's own beforeAll
 * ran (a model stand-in's URL).
 */
export function useCrashHarness(name: string, env: Record<string, string> | (() => Record<string, string>) = {}): CrashHarness {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `${name}${randomBytes(4).toString('hex')}`;
  let slack: Standin | undefined;
  let proxy: ApiProxy | undefined;
  let redis: Redis | undefined;
  let store: RedisStore | undefined;
  let app: AppProcess | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The crash harness is used before its beforeAll ran');
    return value;
  };

  const harness: CrashHarness = {
    get slack() {
      return ready(slack);
    },
    get proxy() {
      return ready(proxy);
    },
    get redis() {
      return ready(redis);
    },
    get store() {
      return ready(store);
    },
    prefix,
    async start() {
      const extra = typeof env === 'function' ? env() : env;
      app = await startAppProcess({ env: appEnv({ apiUrl: harness.proxy.apiUrl, signingSecret: SIGNING_SECRET, redisUrl, prefix, extra }) });
      harness.slack.setAppUrl(app.eventsUrl);
      return app;
    },
    async kill() {
      const exit = await ready(app).stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      app = undefined;
    },
  };

  beforeAll(async () => {
    slack = await startStandardStandin();
    proxy = await startApiProxy(slack.url);
    redis = new Redis(redisUrl);
    store = new RedisStore({ redis, prefix, retentionDays: 1 });
    await harness.start();
  });

  beforeEach(() => {
    onTestFailed(() => {
      console.error([...(app?.output ?? []), ...(app?.logs ?? []).slice(-20).map((line) => JSON.stringify(line))].join('\n'));
    });
  });

  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
    await slack?.close();
    redis?.disconnect();
    await removeKeys(redisUrl, prefix);
  });

  return harness;
}

/** The text of a post as it crossed the proxy: the outbox's client sends JSON, Bolt's WebClient a form. */
export function postedText(body: string): string {
  try {
    return String((JSON.parse(body) as { text?: unknown }).text ?? '');
  } catch {
    return new URLSearchParams(body).get('text') ?? '';
  }
}
