import { describe, expect, it } from 'vitest';
import { COMMAND_TIMEOUT_MS, createRedisConnection, planRedisConnection } from '../../src/store/redis-connection.js';
import { testRedisUrl } from './redis-harness.js';

describe('planRedisConnection', () => {
  it('connects to one server by URL, with bounded command time and retries', () => {
    const plan = planRedisConnection({ url: 'rediss://user:pw@cache.internal:6380/2' });
    expect(plan.kind).toBe('single');
    if (plan.kind !== 'single') return;
    expect(plan.url).toBe('rediss://user:pw@cache.internal:6380/2');
    expect(plan.options).toMatchObject({ commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    expect(COMMAND_TIMEOUT_MS).toBeLessThanOrEqual(2000);
    const retry = plan.options.retryStrategy!;
    expect([retry(1), retry(5), retry(100)]).toEqual([200, 1000, 2000]);
  });

  it('uses sentinels with the primary name, taking credentials and TLS from the URL', () => {
    const plan = planRedisConnection({
      url: 'rediss://:s3cret@ignored:1/1',
      sentinels: [{ host: 's1', port: 26379 }],
      sentinelName: 'primary',
    });
    expect(plan.kind).toBe('sentinel');
    expect(plan.options).toMatchObject({
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'primary',
      password: 's3cret',
      db: 1,
      tls: {},
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
  });

  it('builds a cluster from its nodes with per-node timeouts', () => {
    const plan = planRedisConnection({ clusterNodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] });
    expect(plan.kind).toBe('cluster');
    if (plan.kind !== 'cluster') return;
    expect(plan.nodes).toHaveLength(2);
    expect(plan.options.redisOptions).toMatchObject({ commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1 });
  });

  it('refuses incomplete or contradictory options', () => {
    expect(() => planRedisConnection({})).toThrow(/url, sentinels or clusterNodes/);
    expect(() => planRedisConnection({ url: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => planRedisConnection({ sentinels: [{ host: 's', port: 1 }] })).toThrow(/sentinelName/);
    expect(() =>
      planRedisConnection({ sentinels: [{ host: 's', port: 1 }], sentinelName: 'p', clusterNodes: [{ host: 'n', port: 2 }] }),
    ).toThrow(/either/);
  });
});

describe('createRedisConnection', () => {
  it('queues commands given before the connection is up and answers them once it is', async () => {
    const redis = createRedisConnection({ url: testRedisUrl() });
    try {
      expect(redis.status).not.toBe('ready');
      expect(await redis.ping()).toBe('PONG');
    } finally {
      await redis.quit();
    }
  });
});
