/**
 * `npm run bench`: the app against a bare Bolt app under the same
 * closed-loop load, then its Redis memory per finished review and its
 * process memory with many open reviews. Prints figures; asserts nothing.
 *
 *   npm run bench -- [--concurrency 20] [--flow alignment-review|quick-check] [--rounds 3] [--duration 10] [--warmup 2]
 *                    [--open 1000,10000] [--no-open] [--log-level info] [--cpu-prof <dir>] [--only app|bare|floor] [--parent-events]
 *                    [--node-flags=--single-threaded-gc]   (extra node flags for both apps alike)
 *                    [--replicas 2]   (processes of each app, behind the stand-in's random load balancing)
 *                    [--floor]   (also drive bench/floor-app.ts, the least a stateful review bot does, and compare)
 *                    [--floor-updates off]   (the floor leaves answered questions as they were: what the update costs)
 *
 * Honest on two cores: the app and the bare app each run as their own
 * process (`node --import tsx`, started the same way) with their own Slack
 * stand-in; this process runs the load driver and the stand-ins. The rounds
 * alternate bare, app, bare, app… so a neighbour's load on the machine hits
 * both alike; turns per second is the median of the rounds, latencies are
 * pooled over them. Redis: REDIS_URL, TEST_REDIS_URL or 127.0.0.1:6379,
 * under fresh prefixes that are deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { loadFlows } from '../src/flows/load.js';
import { RedisStore } from '../src/store/redis-store.js';
import { REPO_ROOT } from '../test/support/app-process.js';
import { measureReviewMemory } from '../test/support/redis-memory.js';
import { planReview, seededRandom } from '../test/support/review-plan.js';
import { cpuSpent, readCpu, type CpuReading } from './cpu.js';
import { runLoad } from './load.js';
import { openReviews, probeReader, type MemorySample } from './open-reviews.js';
import { APP_AGAINST_BARE, printComparison, printOpenReviews, printReviewMemory, type RoundResult } from './report.js';
import { BENCH_CHANNELS, BENCH_USERS, startTarget, type Target, type TargetKind } from './targets.js';

const TEAM = 'T0001';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '20' },
    flow: { type: 'string', default: 'alignment-review' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    open: { type: 'string', default: '1000,10000' },
    'no-open': { type: 'boolean', default: false },
    'parent-events': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
    floor: { type: 'boolean', default: false },
    'floor-updates': { type: 'string', default: 'on' },
    'node-flags': { type: 'string', default: '' },
    replicas: { type: 'string', default: '1' },
  },
});
const args = z
  .object({
    concurrency: z.coerce.number().int().min(1).max(500),
    flow: z.enum(['alignment-review', 'quick-check', 'agent-autonomy']),
    rounds: z.coerce.number().int().min(1).max(20),
    duration: z.coerce.number().min(1).max(600),
    warmup: z.coerce.number().min(0).max(120),
    open: z.string().regex(/^\d+(,\d+)*$/),
    'no-open': z.boolean(),
    'parent-events': z.boolean(),
    'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug']),
    'cpu-prof': z.string().optional(),
    only: z.enum(['app', 'bare', 'floor']).optional(),
    floor: z.boolean(),
    'floor-updates': z.enum(['on', 'off']),
    replicas: z.coerce.number().int().min(1).max(8),
    'node-flags': z.string().regex(/^(\s*--[\w-]+(=\S+)?)*\s*$/, 'node flags only, e.g. "--single-threaded-gc"'),
  })
  .refine((parsed) => !(parsed.replicas > 1 && (parsed.floor || parsed.only === 'floor')), 'the floor app keeps each review in order only as one process: --floor takes no --replicas')
  .parse(values);

const redisUrl = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
const signingSecret = `bench-${randomBytes(12).toString('hex')}`;
const { flows } = loadFlows({ builtinDir: join(REPO_ROOT, 'flows') });
const flow = flows.get(args.flow)!;
const random = seededRandom(7);
const plans = Array.from({ length: 40 }, (_, index) => planReview(flow, `plan${index}`, random));
const repliesPerReview = plans.reduce((sum, plan) => sum + plan.length, 0) / plans.length;

const nodeFlags = args['node-flags'].split(/\s+/).filter(Boolean);

function target(kind: TargetKind, extra: { nodeArgs?: string[]; onLog?: (line: Record<string, unknown>) => void } = {}): Promise<Target> {
  const nodeArgs = [...nodeFlags, ...(extra.nodeArgs ?? [])];
  const extraEnv = kind === 'floor' ? { FLOOR_UPDATES: args['floor-updates'] } : undefined;
  return startTarget({ kind, signingSecret, redis, redisUrl, logLevel: args['log-level'], parentEvents: args['parent-events'], replicas: args.replicas, ...extra, nodeArgs, extraEnv });
}

async function round(driven: Target, index: number): Promise<RoundResult> {
  const readings: Promise<CpuReading>[] = [];
  const load = await runLoad({
    slack: driven.slack,
    tracker: driven.tracker,
    pruner: driven.pruner,
    label: `${driven.kind}${index}x`,
    flowId: flow.id,
    plans,
    concurrency: args.concurrency,
    warmupMs: args.warmup * 1000,
    durationMs: args.duration * 1000,
    channels: BENCH_CHANNELS,
    users: BENCH_USERS,
    onWindow: () => readings.push(readCpu(driven.apps.map((app) => app.pid), redis)),
  });
  const [start, end] = await Promise.all(readings);
  return { load, cpu: start && end ? cpuSpent(start, end, load.turns) : undefined };
}

const ROUND_LABELS: Record<TargetKind, string> = { bare: 'bare app', floor: 'floor app', app: 'app      ' };

async function compare(): Promise<void> {
  const kinds: TargetKind[] = args.only ? [args.only] : args.floor ? ['bare', 'floor', 'app'] : ['bare', 'app'];
  const targets = new Map<TargetKind, Target>();
  const results = new Map<TargetKind, RoundResult[]>(kinds.map((kind) => [kind, []]));
  try {
    for (const kind of kinds) {
      const profile = kind !== 'bare' && args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : undefined;
      targets.set(kind, await target(kind, { nodeArgs: profile }));
    }
    for (let index = 0; index < args.rounds; index++) {
      for (const kind of kinds) {
        process.stdout.write(`  round ${index + 1}/${args.rounds}, ${ROUND_LABELS[kind]}: `);
        const result = await round(targets.get(kind)!, index);
        results.get(kind)!.push(result);
        process.stdout.write(`${(result.load.turns / result.load.windowSeconds).toFixed(1)} turns/s, ${result.load.errors.length} errors\n`);
      }
    }
    const floorName = args['floor-updates'] === 'off' ? 'floor, no update' : 'floor app';
    const floorLabels = { ...APP_AGAINST_BARE, subject: floorName, subjectShort: floorName, judged: false };
    if (args.only === 'floor') printComparison([], results.get('floor')!, floorLabels);
    else printComparison(results.get('bare') ?? [], results.get('app') ?? []);
    if (kinds.length > 1 && kinds.includes('floor')) {
      const floor = results.get('floor')!;
      printComparison(results.get('bare')!, floor, floorLabels);
      printComparison(floor, results.get('app')!, { ...APP_AGAINST_BARE, baseline: floorName, baselineShort: floorName, judged: false });
    }
    const app = targets.get('app');
    if (app) {
      const store = new RedisStore({ redis: new Redis(redisUrl), prefix: app.prefix, retentionDays: 1 });
      printReviewMemory(flow.id, await measureReviewMemory(redis, store, app.prefix, TEAM));
      await store.close();
    }
  } finally {
    for (const driven of targets.values()) await driven.stop();
  }
}

async function openReviewMemory(counts: number[]): Promise<MemorySample[]> {
  const probe = probeReader();
  // One process: the figure is what one replica holds.
  const driven = await startTarget({
    kind: 'app',
    signingSecret,
    redis,
    redisUrl,
    logLevel: args['log-level'],
    parentEvents: args['parent-events'],
    nodeArgs: [...nodeFlags, '--expose-gc', '--import', './bench/memory-probe.ts'],
    onLog: (line) => probe.hear(line),
  });
  const samples: MemorySample[] = [];
  try {
    let open = 0;
    for (const count of counts) {
      process.stdout.write(`  opening reviews ${open + 1}…${count}: `);
      const started = Date.now();
      const { errors } = await openReviews({
        slack: driven.slack,
        tracker: driven.tracker,
        flowId: flow.id,
        from: open,
        to: count,
        concurrency: args.concurrency,
        channels: BENCH_CHANNELS,
        users: BENCH_USERS,
      });
      open = count - errors.length;
      process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s${errors.length ? `, ${errors.length} failed (${errors[0]})` : ''}\n`);
      // Let the last requests' timers and sockets settle before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      samples.push(await probe.sample(driven.app, open));
    }
    return samples;
  } finally {
    await driven.stop();
  }
}

async function main(): Promise<void> {
  const server = ((await redis.info('server')).match(/redis_version:(\S+)/) ?? [])[1];
  const cpu = cpus();
  console.log(`Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB, Linux ${release()}, Node ${process.version}, Redis ${server}`);
  console.log(
    `Load: flow ${flow.id} (${repliesPerReview.toFixed(1)} replies per review on average), ${args.concurrency} concurrent reviews, closed loop, no think time; ` +
      `${args.rounds} alternating rounds of ${args.warmup} s warm-up + ${args.duration} s each; app LOG_LEVEL=${args['log-level']}; ` +
      `${args.replicas === 1 ? 'each app in its own process' : `each app as ${args.replicas} replica processes sharing Redis, deliveries spread at random`}, load driver + Slack stand-ins in this one; bot echoes off, thread parent events ${args['parent-events'] ? 'on' : 'off'}` +
      (nodeFlags.length ? `; node flags for both apps: ${nodeFlags.join(' ')}` : ''),
  );
  await compare();
  if (!args['no-open'] && (args.only === undefined || args.only === 'app')) {
    console.log('');
    printOpenReviews(await openReviewMemory(args.open.split(',').map(Number)));
  }
}

try {
  await main();
} finally {
  redis.disconnect();
}
