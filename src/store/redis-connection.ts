/**
 * Builds the Redis connection the store uses: one server (redis:// or
 * rediss:// for TLS), a Sentinel-managed primary, or a Cluster.
 *
 * Failure behaviour, chosen for a Slack app that must answer within seconds:
 * - The offline queue stays on, so commands given while the connection is
 *   still being made (at start-up, or during a reconnect) wait for it instead
 *   of failing at once.
 * - `commandTimeout` bounds every command, queued or sent, to 1.5 s: when
 *   Redis is down the caller gets a rejection in time to tell the person
 *   "I could not save that answer" instead of a handler that hangs. A
 *   command given up on that way is never sent afterwards
 *   (given-up-commands.ts), so what the person was told stays true. Every
 *   write is a versioned or idempotent script, so a retry after such a
 *   timeout is safe.
 * - `maxRetriesPerRequest: 1` fails queued commands after one failed
 *   reconnection attempt, and `retryStrategy` keeps reconnecting (200 ms,
 *   400 ms, … capped at 2 s) so the app recovers on its own when Redis is back.
 * - For Cluster, these apply to each node's connection. While no node at all
 *   is reachable, ioredis keeps commands in the cluster's own queue until it
 *   reconnects; the timeout does not cover that case.
 *
 * A single server's or Sentinel primary's connection sends the commands of
 * one event-loop turn in one write (coalescing-redis.ts).
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { CoalescingRedis } from './coalescing-redis.js';
import { dropClusterCommandsGivenUpOn, dropCommandsGivenUpOn } from './given-up-commands.js';

const hostPort = z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65_535) });

export const redisConnectionOptionsSchema = z
  .object({
    /** redis://[user:pass@]host:port[/db] or rediss:// for TLS. With sentinels or clusterNodes it supplies only credentials and TLS. */
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    sentinels: z.array(hostPort).min(1).optional(),
    /** The primary's name as the sentinels know it. */
    sentinelName: z.string().min(1).optional(),
    clusterNodes: z.array(hostPort).min(1).optional(),
  })
  .refine((o) => !(o.sentinels && o.clusterNodes), { message: 'choose either sentinels or clusterNodes, not both' })
  .refine((o) => !o.sentinels || o.sentinelName, { message: 'sentinels need sentinelName', path: ['sentinelName'] })
  .refine((o) => o.url || o.sentinels || o.clusterNodes, { message: 'give a url, sentinels or clusterNodes' });

export type RedisConnectionOptions = z.input<typeof redisConnectionOptionsSchema>;

export const COMMAND_TIMEOUT_MS = 1500;

function reconnectDelay(attempt: number): number {
  return Math.min(200 * attempt, 2000);
}

const FAILURE_OPTIONS = {
  enableOfflineQueue: true,
  connectTimeout: COMMAND_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
} satisfies RedisOptions;

/** Credentials, database and TLS from a URL, for a Sentinel primary or Cluster nodes. */
function credentialsFrom(url: string | undefined): RedisOptions {
  if (!url) return {};
  const parsed = new URL(url);
  const options: RedisOptions = {};
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.slice(1);
  if (db) options.db = Number(db);
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}

export type ConnectionPlan =
  | { kind: 'single'; url: string; options: RedisOptions }
  | { kind: 'sentinel'; options: RedisOptions }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; options: ClusterOptions };

/** What createRedisConnection will build; pure, so it can be checked without a server. */
export function planRedisConnection(input: RedisConnectionOptions): ConnectionPlan {
  const options = redisConnectionOptionsSchema.parse(input);
  if (options.clusterNodes) {
    return {
      kind: 'cluster',
      nodes: options.clusterNodes,
      options: {
        enableOfflineQueue: true,
        clusterRetryStrategy: reconnectDelay,
        slotsRefreshTimeout: COMMAND_TIMEOUT_MS,
        redisOptions: { ...FAILURE_OPTIONS, ...credentialsFrom(options.url) },
      },
    };
  }
  if (options.sentinels) {
    return {
      kind: 'sentinel',
      options: {
        ...FAILURE_OPTIONS,
        ...credentialsFrom(options.url),
        sentinels: options.sentinels,
        name: options.sentinelName,
        retryStrategy: reconnectDelay,
        sentinelRetryStrategy: reconnectDelay,
        // Reconnect as soon as a sentinel announces a new primary. Otherwise the connection stays on the old
        // primary, which takes writes until the sentinel demotes it (about 10 s later) and the sync discards
        // them: answers lost without a word (test/production/sentinel.test.ts).
        failoverDetector: true,
      },
    };
  }
  if (!options.url) throw new Error('give a url, sentinels or clusterNodes');
  // ioredis reads user, password, db and TLS (rediss://) from the URL itself.
  return { kind: 'single', url: options.url, options: { ...FAILURE_OPTIONS, retryStrategy: reconnectDelay } };
}

/**
 * `onError` hears connection errors (refused, reset, timed out) as they happen,
 * for the app's log; without it ioredis prints them itself. Commands that fail
 * reject on their own either way.
 */
export function createRedisConnection(input: RedisConnectionOptions, onError?: (error: Error) => void): Redis | Cluster {
  const plan = planRedisConnection(input);
  const connection =
    plan.kind === 'cluster'
      ? new Cluster(plan.nodes, plan.options)
      : plan.kind === 'sentinel'
        ? new CoalescingRedis(plan.options)
        : new CoalescingRedis(plan.url, plan.options);
  if (connection instanceof Cluster) dropClusterCommandsGivenUpOn(connection);
  else dropCommandsGivenUpOn(connection);
  if (onError) connection.on('error', onError);
  return connection;
}
