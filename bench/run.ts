/**
 * `npm run bench`: the app against a bare Bolt app under the same
 * closed-loop load, then its Redis memory per finished review and its
 * process memory with many open reviews. Prints figures; asserts nothing.
 *
 *   npm run bench -- [--concurrency 20] [--flow alignment-review|quick-check] [--duration 20] [--warmup 3]
 *                    [--open 1000,10000] [--log-level info] [--cpu-prof <dir>] [--only app|bare] [--no-open] [--parent-events]
 *
 * Honest on two cores: the app and the bare app each run as their own
 * process (`node --import tsx`, started the same way), one at a time; this
 * process runs the load driver and the Slack stand-in (bot echoes and thread
 * parent events off for both, as they would cost both alike). Redis: REDIS_URL, TEST_REDIS_URL or
 * 127.0.0.1:6379, under a fresh prefix that is deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { loadFlows } from '../src/flows/load.js';
import { startSlackStandin, type SlackStandin } from '../src/standin/slack/index.js';
import { RedisStore } from '../src/store/redis-store.js';
import { REPO_ROOT, appEnv, startAppProcess, type AppProcess } from '../test/support/app-process.js';
import { planReview, seededRandom } from '../test/support/review-plan.js';
import { cpuSpent, readCpu, type CpuReading, type CpuSpent } from './cpu.js';
import { runLoad, type LoadResult } from './load.js';
import { openReviews, probeReader, type MemorySample } from './open-reviews.js';
import { PostTracker } from './post-tracker.js';
import { pruneStandin } from './standin-pruner.js';
import { deleteKeys, measureReviewMemory, type ReviewMemory } from '../test/support/redis-memory.js';
import { bytes, ms, quantile, ratio, row } from './stats.js';

const TEAM = 'T0001';
const CHANNELS = ['C0REVIEWS', 'C0GENERAL'];
const USERS = ['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAN'];

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '20' },
    flow: { type: 'string', default: 'alignment-review' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    open: { type: 'string', default: '1000,10000' },
    'no-open': { type: 'boolean', default: false },
    'parent-events': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
  },
});
const args = z
  .object({
    concurrency: z.coerce.number().int().min(1).max(500),
    flow: z.enum(['alignment-review', 'quick-check', 'agent-autonomy']),
    duration: z.coerce.number().min(1).max(600),
    warmup: z.coerce.number().min(0).max(120),
    open: z.string().regex(/^\d+(,\d+)*$/),
    'no-open': z.boolean(),
    'parent-events': z.boolean(),
    'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug']),
    'cpu-prof': z.string().optional(),
    only: z.enum(['app', 'bare']).optional(),
  })
  .parse(values);

const redisUrl = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
const signingSecret = `bench-${randomBytes(12).toString('hex')}`;
const { flows } = loadFlows({ builtinDir: join(REPO_ROOT, 'flows') });
const flow = flows.get(args.flow)!;
const random = seededRandom(7);
const plans = Array.from({ length: 40 }, (_, index) => planReview(flow, `plan${index}`, random));
const repliesPerReview = plans.reduce((sum, plan) => sum + plan.length, 0) / plans.length;

async function standin(): Promise<SlackStandin> {
  // Echoes of the bots' own posts, and (unless asked) the thread parent's message_changed after each reply,
  // would cost both apps alike but load this process, which drives both.
  return startSlackStandin({ signingSecret, echoBotEvents: false, threadParentEvents: args['parent-events'] });
}

function env(slack: SlackStandin, prefix: string): Record<string, string> {
  return appEnv({
    apiUrl: slack.apiUrl,
    signingSecret,
    redisUrl,
    prefix,
    extra: { LOG_LEVEL: args['log-level'], REVIEWS_PER_MINUTE_PER_TEAM: '10000', LEADS_CHANNEL: 'G0LEADS' },
  });
}

async function drive(target: 'app' | 'bare'): Promise<{ load: LoadResult; cpu?: CpuSpent; memory?: ReviewMemory }> {
  const slack = await standin();
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const profile = target === 'app' && args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
  const app = await startAppProcess({ env: env(slack, prefix), script: target === 'bare' ? 'bench/bare-app.ts' : undefined, nodeArgs: profile, keepLogs: false });
  slack.setAppUrl(app.eventsUrl);
  const tracker = new PostTracker(slack);
  const pruner = pruneStandin(slack);
  const readings: Promise<CpuReading>[] = [];
  try {
    process.stdout.write(`  ${target === 'app' ? 'app     ' : 'bare app'}: ${args.warmup} s warm-up + ${args.duration} s … `);
    const load = await runLoad({
      slack,
      tracker,
      pruner,
      label: target,
      flowId: flow.id,
      plans,
      concurrency: args.concurrency,
      warmupMs: args.warmup * 1000,
      durationMs: args.duration * 1000,
      channels: CHANNELS,
      users: USERS,
      onWindow: () => readings.push(readCpu(app.pid, redis)),
    });
    process.stdout.write(`${load.turns} turns, ${load.reviewsCompleted} reviews completed\n`);
    const [start, end] = await Promise.all(readings);
    const cpu = start && end ? cpuSpent(start, end, load.turns) : undefined;
    let memory: ReviewMemory | undefined;
    if (target === 'app') {
      const store = new RedisStore({ redis: new Redis(redisUrl), prefix, retentionDays: 1 });
      memory = await measureReviewMemory(redis, store, prefix, TEAM);
      await store.close();
    }
    return { load, cpu, memory };
  } finally {
    pruner.stop();
    tracker.close();
    await app.stop('SIGTERM');
    await slack.close();
    await deleteKeys(redis, prefix);
  }
}

async function openReviewMemory(counts: number[]): Promise<MemorySample[]> {
  const slack = await standin();
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const probe = probeReader();
  const app: AppProcess = await startAppProcess({
    env: env(slack, prefix),
    nodeArgs: ['--expose-gc', '--import', './bench/memory-probe.ts'],
    keepLogs: false,
    onLog: (line) => probe.hear(line),
  });
  slack.setAppUrl(app.eventsUrl);
  const tracker = new PostTracker(slack);
  const pruner = pruneStandin(slack);
  const samples: MemorySample[] = [];
  try {
    let open = 0;
    for (const count of counts) {
      process.stdout.write(`  opening reviews ${open + 1}…${count} … `);
      const started = Date.now();
      const { errors } = await openReviews({ slack, tracker, flowId: flow.id, from: open, to: count, concurrency: args.concurrency, channels: CHANNELS, users: USERS });
      open = count - errors.length;
      process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s${errors.length ? `, ${errors.length} failed (${errors[0]})` : ''}\n`);
      // Let timers and sockets of the last requests settle before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      samples.push(await probe.sample(app, open));
    }
    return samples;
  } finally {
    pruner.stop();
    tracker.close();
    await app.stop('SIGTERM');
    await slack.close();
    await deleteKeys(redis, prefix);
  }
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

async function main(): Promise<void> {
  const server = ((await redis.info('server')).match(/redis_version:(\S+)/) ?? [])[1];
  const cpu = cpus();
  console.log(`Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB, Linux ${release()}, Node ${process.version}, Redis ${server}`);
  console.log(
    `Load: flow ${flow.id} (${repliesPerReview.toFixed(1)} replies per review on average), ${args.concurrency} concurrent reviews, closed loop, no think time; ` +
      `app LOG_LEVEL=${args['log-level']}; each app in its own process, load driver + Slack stand-in in this one; ` +
      `bot echoes off, thread parent events ${args['parent-events'] ? 'on' : 'off'}`,
  );
  const bare = args.only === 'app' ? undefined : await drive('bare');
  const app = args.only === 'bare' ? undefined : await drive('app');

  const widths = [24, 16, 16, 9, 12];
  console.log('');
  console.log(row(['', 'bare Bolt app', 'alignment app', 'ratio', 'target'], widths));
  const line = (name: string, pick: (load: LoadResult) => number, format: (value: number) => string, target?: { max?: number; min?: number }) => {
    const a = app ? pick(app.load) : Number.NaN;
    const b = bare ? pick(bare.load) : Number.NaN;
    const r = a / b;
    const judged = (ok: boolean) => (Number.isFinite(r) ? verdict(ok) : '');
    const goal = target ? (target.min !== undefined ? `≥ ${target.min}× ${judged(r >= target.min)}` : `≤ ${target.max}× ${judged(r <= target.max!)}`) : '';
    console.log(row([name, bare ? format(b) : '—', app ? format(a) : '—', ratio(a, b), goal], widths));
  };
  const perSecond = (value: number) => `${value.toFixed(1)}/s`;
  line('turns per second', (load) => load.turns / load.windowSeconds, perSecond, { min: 0.8 });
  line('turn latency p50', (load) => quantile(load.turnMs, 0.5), ms);
  line('turn latency p95', (load) => quantile(load.turnMs, 0.95), ms);
  line('turn latency p99', (load) => quantile(load.turnMs, 0.99), ms, { max: 1.5 });
  line('ack latency p50', (load) => quantile(load.ackMs, 0.5), ms);
  line('ack latency p99', (load) => quantile(load.ackMs, 0.99), ms, { max: 1.5 });
  line('review start p50', (load) => quantile(load.startMs, 0.5), ms);
  line('reviews completed', (load) => load.reviewsCompleted, String);
  line('errors', (load) => load.errors.length, String);
  for (const result of [bare, app]) for (const error of result?.load.errors.slice(0, 3) ?? []) console.log(`  error: ${error}`);
  const cpuLine = (name: string, pick: (cpu: CpuSpent) => number, format: (value: number) => string) => {
    const b = bare?.cpu ? pick(bare.cpu) : Number.NaN;
    const a = app?.cpu ? pick(app.cpu) : Number.NaN;
    console.log(row([name, format(b), format(a), ratio(a, b), ''], widths));
  };
  const cores = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} cores` : 'n/a');
  cpuLine('CPU: app process', (cpu) => cpu.appCores, cores);
  cpuLine('CPU: Redis (whole server)', (cpu) => cpu.redisCores, cores);
  cpuLine('CPU: driver + stand-in', (cpu) => cpu.driverCores, cores);
  cpuLine('app CPU per turn', (cpu) => cpu.appPerTurn, ms);
  cpuLine('Redis CPU per turn', (cpu) => cpu.redisPerTurn, ms);
  cpuLine('driver CPU per turn', (cpu) => cpu.driverPerTurn, ms);

  if (app?.memory) {
    const memory = app.memory;
    const mean = memory.perReview.reduce((sum, value) => sum + value, 0) / Math.max(1, memory.perReview.length);
    const seen = memory.seenPerReview.reduce((sum, value) => sum + value, 0) / Math.max(1, memory.seenPerReview.length);
    console.log('');
    console.log(
      `Redis memory per finished ${flow.id} review (${memory.finished} reviews, MEMORY USAGE of its keys + thread key): ` +
        `mean ${bytes(mean)}, p50 ${bytes(quantile(memory.perReview, 0.5))}, max ${bytes(quantile(memory.perReview, 1))} — target ≤ 8 KB ${verdict(quantile(memory.perReview, 1) <= 8192)}`,
    );
    console.log(`  of which dedupe marks (expire 15 min after the last reply): mean ${bytes(seen)}; shared team indexes: ${bytes(memory.sharedPerReview)} per review`);
    console.log(`  by key: ${Object.entries(memory.byKey).map(([kind, value]) => `${kind} ${bytes(value)}`).join(', ')}`);
  }

  if (!args['no-open'] && args.only !== 'bare') {
    console.log('');
    const counts = args.open.split(',').map(Number);
    const samples = await openReviewMemory(counts);
    console.log(row(['open reviews', 'RSS', 'heap after GC', 'heap total', 'external'], [14, 10, 14, 11, 10]));
    for (const sample of samples) {
      console.log(row([String(sample.openReviews), bytes(sample.rss), bytes(sample.heapUsed), bytes(sample.heapTotal), bytes(sample.external)], [14, 10, 14, 11, 10]));
    }
    const [first, last] = [samples[0]!, samples.at(-1)!];
    if (samples.length > 1) {
      const perReview = (last.heapUsed - first.heapUsed) / Math.max(1, last.openReviews - first.openReviews);
      const growth = last.heapUsed / first.heapUsed - 1;
      console.log(
        `heap after GC ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% from ${first.openReviews} to ${last.openReviews} open reviews ` +
          `(${bytes(perReview)} per review), RSS ${bytes(last.rss - first.rss)} — target flat (< 10% and < 1 KB per review): ${verdict(growth < 0.1 && perReview < 1024)}${first.gc ? '' : ' (no --expose-gc: heap before GC)'}`,
      );
    }
  }
}

try {
  await main();
} finally {
  redis.disconnect();
}
