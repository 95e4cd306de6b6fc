/**
 * The playground's store: the in-process MemoryStore unless Redis is
 * configured, then RedisStore over the same connection production uses.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { MemoryStore } from '../store/memory-store.js';
import { createRedisConnection } from '../store/redis-connection.js';
import { RedisStore } from '../store/redis-store.js';
import type { ReviewStore } from '../store/types.js';
import { redisConfigured } from './env.js';

export interface PlaygroundStore {
  store: ReviewStore;
  /** What the banner and the page say about it. */
  description: string;
}

/** Where Redis is, without credentials: the host part of the URL or the node list. */
export function redisWhere(config: Config): string {
  if (config.redis.sentinels) return `sentinels ${config.redis.sentinels.map((node) => `${node.host}:${node.port}`).join(', ')}`;
  if (config.redis.clusterNodes) return `cluster ${config.redis.clusterNodes.map((node) => `${node.host}:${node.port}`).join(', ')}`;
  try {
    const url = new URL(config.redis.url ?? '');
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'Redis';
  }
}

export function createPlaygroundStore(config: Config, logger: Logger): PlaygroundStore {
  if (!redisConfigured(config)) {
    return {
      store: new MemoryStore({ retentionDays: config.reviews.retentionDays, nodeEnv: config.env }),
      description: 'in-process memory store (reviews are lost when you stop it; set REDIS_URL to keep them)',
    };
  }
  const redis = createRedisConnection(
    {
      url: config.redis.url,
      sentinels: config.redis.sentinels,
      sentinelName: config.redis.sentinelName,
      clusterNodes: config.redis.clusterNodes,
    },
    (error) => logger.warn({ err: { message: error.message } }, 'Redis connection problem'),
  );
  return {
    store: new RedisStore({ redis, prefix: config.redis.prefix, retentionDays: config.reviews.retentionDays }),
    description: `Redis at ${redisWhere(config)} (key prefix "${config.redis.prefix}")`,
  };
}
