/**
 * What one look for reviews left with work costs (src/reviews/resume-sweep.ts):
 * it SCANs the keyspace for inbox and outbox keys, so its cost grows with
 * the number of keys, not with the reviews that have work. Fills a private
 * redis-server with N reviews' keys as an idle review leaves them (state,
 * refs, dedupe marks, thread lookup: four keys each, and the team's lists)
 * plus a few reviews with an input queued, then times `reviewsWithWork` and reads
 * Redis's own time for the SCAN calls (INFO commandstats). Prints figures;
 * asserts nothing. One replica looks per RESUME_SWEEP_SECONDS.
 *
 *   npx tsx bench/resume-sweep.ts [--reviews 10000,100000] [--with-work 20]
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { channelListKey, reviewKeys, teamKeys, threadKey } from '../src/store/keys.js';
import { RedisStore } from '../src/store/redis-store.js';
import { startPrivateRedis } from '../test/support/private-redis.js';

const { values } = parseArgs({ options: { reviews: { type: 'string', default: '10000,100000' }, 'with-work': { type: 'string', default: '20' } } });
const args = z.object({ reviews: z.string().regex(/^\d+(,\d+)*$/), 'with-work': z.coerce.number().int().min(0).max(10_000) }).parse(values);
const sizes = args.reviews.split(',').map(Number);
const withWork = args['with-work'];
const PREFIX = 'ar';
const TEAM = 'T0BENCH';
const BATCH = 2_000;

/** Redis's own time and calls for SCAN so far. */
async function scanStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  const match = /cmdstat_scan:calls=(\d+),usec=(\d+)/.exec(info);
  return match ? { calls: Number(match[1]), usec: Number(match[2]) } : { calls: 0, usec: 0 };
}

/** Keys of reviews `from`…`to` - 1, as an idle open review leaves them. */
async function fill(redis: Redis, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += BATCH) {
    const pipeline = redis.pipeline();
    for (let n = start; n < Math.min(to, start + BATCH); n++) {
      const reviewId = `R${String(n).padStart(7, '0')}`;
      const keys = reviewKeys(PREFIX, TEAM, reviewId);
      const threadTs = `1700000000.${String(n).padStart(6, '0')}`;
      pipeline.hset(keys.state, 'v', '12', 's', 'x'.repeat(400), 'p', '{}', 'e', '{}');
      pipeline.hset(keys.refs, 'root', threadTs, 'q', threadTs);
      pipeline.hset(keys.seen, `id:m:${threadTs}`, '1');
      pipeline.set(threadKey(PREFIX, TEAM, 'C0BENCH', threadTs), reviewId);
      pipeline.zadd(channelListKey(PREFIX, TEAM, `C${n % 50}`), n, reviewId);
      pipeline.zadd(teamKeys(PREFIX, TEAM).all, n, reviewId);
    }
    await pipeline.exec();
  }
}

async function main(): Promise<void> {
  const server = await startPrivateRedis();
  const redis = new Redis(server.url);
  const store = new RedisStore({ redis: new Redis(server.url), prefix: PREFIX, retentionDays: 30 });
  try {
    console.log(`One look for reviews left with work (RedisStore.reviewsWithWork, batch 500), private redis-server, ${withWork} reviews with an input queued`);
    console.log('reviews      keys   look (wall)   SCAN calls   Redis time');
    let filled = 0;
    for (const size of sizes) {
      await fill(redis, filled, size);
      filled = size;
      // A few reviews with work, among the idle ones.
      for (let n = 0; n < withWork; n++) await redis.zadd(reviewKeys(PREFIX, TEAM, `R${String(n * 7).padStart(7, '0')}`).inbox, 1_700_000_001 + n, `000000000000001m:${n}`);
      const keys = await redis.dbsize();
      const before = await scanStats(redis);
      const started = process.hrtime.bigint();
      const found = await store.reviewsWithWork(500);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const after = await scanStats(redis);
      if (found.length !== Math.min(withWork, 500)) throw new Error(`found ${found.length} reviews with work, expected ${withWork}`);
      console.log(
        `${String(size).padStart(7)} ${String(keys).padStart(9)} ${wallMs.toFixed(1).padStart(10)} ms ${String(after.calls - before.calls).padStart(12)} ${((after.usec - before.usec) / 1000).toFixed(1).padStart(9)} ms`,
      );
    }
  } finally {
    await store.close();
    redis.disconnect();
    await server.kill();
  }
}

await main();
