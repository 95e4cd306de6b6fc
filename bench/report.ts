/**
 * The benchmark's printed figures: the app against the bare app with the
 * targets (and, with --floor, the floor app against both), Redis memory
 * per finished review, process memory with open reviews. Pure formatting
 * of what the run measured.
 */
import type { ReviewMemory } from '../test/support/redis-memory.js';
import type { CpuSpent } from './cpu.js';
import type { LoadResult } from './load.js';
import type { MemorySample } from './open-reviews.js';
import { bytes, ms, quantile, ratio, row } from './stats.js';

export interface RoundResult {
  load: LoadResult;
  cpu?: CpuSpent;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function median(values: number[]): number {
  return values.length ? quantile(values, 0.5) : Number.NaN;
}

const perSecond = (result: RoundResult) => result.load.turns / result.load.windowSeconds;
const pooled = (results: RoundResult[], pick: (load: LoadResult) => number[]) => results.flatMap((result) => pick(result.load));
const sum = (results: RoundResult[], pick: (load: LoadResult) => number) => results.reduce((total, result) => total + pick(result.load), 0);

/** Which two targets a comparison sets side by side; the targets are judged only for the app against the bare app. */
export interface ComparisonLabels {
  baseline: string;
  subject: string;
  /** How the notes name them. */
  baselineShort: string;
  subjectShort: string;
  judged: boolean;
}

export const APP_AGAINST_BARE: ComparisonLabels = { baseline: 'bare Bolt app', subject: 'alignment app', baselineShort: 'bare app', subjectShort: 'app', judged: true };

export function printComparison(bare: RoundResult[], app: RoundResult[], labels: ComparisonLabels = APP_AGAINST_BARE): void {
  const widths = [26, 16, 16, 9, 14];
  console.log('');
  console.log(row(['', labels.baseline, labels.subject, 'ratio', labels.judged ? 'target' : ''], widths));
  const line = (name: string, pick: (results: RoundResult[]) => number, format: (value: number) => string, target?: { max?: number; min?: number }) => {
    const b = bare.length ? pick(bare) : Number.NaN;
    const a = app.length ? pick(app) : Number.NaN;
    const r = a / b;
    const judged = (ok: boolean) => (Number.isFinite(r) ? verdict(ok) : '');
    const goal = target && labels.judged ? (target.min !== undefined ? `≥ ${target.min}× ${judged(r >= target.min)}` : `≤ ${target.max}× ${judged(r <= target.max!)}`) : '';
    console.log(row([name, bare.length ? format(b) : '—', app.length ? format(a) : '—', ratio(a, b), goal], widths));
  };
  const rate = (value: number) => `${value.toFixed(1)}/s`;
  const cores = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} cores` : 'n/a');
  const cpu = (pick: (spent: CpuSpent) => number) => (results: RoundResult[]) => median(results.flatMap((result) => (result.cpu ? [pick(result.cpu)] : [])));

  line('turns per second (median)', (results) => median(results.map(perSecond)), rate, { min: 0.8 });
  line('turn latency p50', (results) => quantile(pooled(results, (load) => load.turnMs), 0.5), ms);
  line('turn latency p95', (results) => quantile(pooled(results, (load) => load.turnMs), 0.95), ms);
  line('turn latency p99', (results) => quantile(pooled(results, (load) => load.turnMs), 0.99), ms, { max: 1.5 });
  line('ack latency p50', (results) => quantile(pooled(results, (load) => load.ackMs), 0.5), ms);
  line('ack latency p99', (results) => quantile(pooled(results, (load) => load.ackMs), 0.99), ms, { max: 1.5 });
  line('review start p50', (results) => quantile(pooled(results, (load) => load.startMs), 0.5), ms);
  line('turns measured', (results) => sum(results, (load) => load.turns), String);
  line('reviews completed', (results) => sum(results, (load) => load.reviewsCompleted), String);
  line('errors', (results) => sum(results, (load) => load.errors.length), String);
  line('CPU: app process', cpu((spent) => spent.appCores), cores);
  line('CPU: Redis (whole server)', cpu((spent) => spent.redisCores), cores);
  line('CPU: driver + stand-in', cpu((spent) => spent.driverCores), cores);
  line('app CPU per turn', cpu((spent) => spent.appPerTurn), ms);
  line('Redis CPU per turn', cpu((spent) => spent.redisPerTurn), ms);
  line('driver CPU per turn', cpu((spent) => spent.driverPerTurn), ms);
  line('machine CPU per turn', cpu(machinePerTurn), ms);
  if (bare.length && app.length) {
    const perRound = app.map((result, index) => (bare[index] ? (perSecond(result) / perSecond(bare[index])).toFixed(2) : 'n/a'));
    console.log(`turns/s ratio by round: ${perRound.join(', ')}`);
    printMachineBound(bare, app, labels);
  }
  for (const result of [...bare, ...app]) for (const error of result.load.errors.slice(0, 2)) console.log(`  error: ${error}`);
  const driver = (results: RoundResult[]) => median(results.flatMap((result) => (result.cpu ? [result.cpu.driverCores] : [])));
  for (const [name, results] of [[labels.baselineShort, bare], [labels.subjectShort, app]] as const) {
    if (driver(results) > 0.85) {
      console.log(`note: in the ${name}'s rounds the load driver + Slack stand-in kept a core busy (${driver(results).toFixed(2)}): its turns/s is bounded by the harness.`);
    }
  }
}

/** App, Redis and the load driver with its stand-in together: all of it runs on the benchmark's cores. */
function machinePerTurn(spent: CpuSpent): number {
  return spent.appPerTurn + spent.redisPerTurn + spent.driverPerTurn;
}

/**
 * When the cores are busy, turns/s follows the CPU the whole machine spends
 * on a turn, whichever process spends it: the note says what the ratio
 * target asks of the subject on this machine, against what it spent.
 */
function printMachineBound(bare: RoundResult[], app: RoundResult[], labels: ComparisonLabels): void {
  const perTurn = (results: RoundResult[]) => median(results.flatMap((result) => (result.cpu ? [machinePerTurn(result.cpu)] : [])));
  const cores = (results: RoundResult[]) => median(results.flatMap((result) => (result.cpu ? [result.cpu.appCores + result.cpu.redisCores + result.cpu.driverCores] : [])));
  const [baseline, subject] = [perTurn(bare), perTurn(app)];
  if (!Number.isFinite(baseline) || !Number.isFinite(subject)) return;
  console.log(
    `machine: ${cores(bare).toFixed(2)} and ${cores(app).toFixed(2)} cores busy; ${(baseline / subject).toFixed(2)}× the ${labels.baselineShort}'s machine CPU per turn. ` +
      `At 0.8× the ${labels.baselineShort}'s turns/s on the same busy cores, the ${labels.subjectShort}'s rounds could spend ${ms(baseline / 0.8)} per turn; they spent ${ms(subject)}.`,
  );
}

export function printReviewMemory(flowId: string, memory: ReviewMemory): void {
  const mean = memory.perReview.reduce((total, value) => total + value, 0) / Math.max(1, memory.perReview.length);
  const seen = memory.seenPerReview.reduce((total, value) => total + value, 0) / Math.max(1, memory.seenPerReview.length);
  const max = quantile(memory.perReview, 1);
  console.log('');
  console.log(
    `Redis memory per finished ${flowId} review (${memory.finished} reviews, MEMORY USAGE of its keys + thread key): ` +
      `mean ${bytes(mean)}, p50 ${bytes(quantile(memory.perReview, 0.5))}, max ${bytes(max)} — target ≤ 8 KB ${memory.finished ? verdict(max <= 8192) : 'n/a'}`,
  );
  console.log(`  of which dedupe marks (expire 15 min after the last reply): mean ${bytes(seen)}; shared team indexes: ${bytes(memory.sharedPerReview)} per review`);
  console.log(`  by key: ${Object.entries(memory.byKey).map(([kind, value]) => `${kind} ${bytes(value)}`).join(', ')}`);
}

export function printOpenReviews(samples: MemorySample[]): void {
  const widths = [14, 10, 14, 11, 10];
  console.log(row(['open reviews', 'RSS', 'heap after GC', 'heap total', 'external'], widths));
  for (const sample of samples) {
    console.log(row([String(sample.openReviews), bytes(sample.rss), bytes(sample.heapUsed), bytes(sample.heapTotal), bytes(sample.external)], widths));
  }
  const [first, last] = [samples[0], samples.at(-1)];
  if (!first || !last || samples.length < 2) return;
  const perReview = (last.heapUsed - first.heapUsed) / Math.max(1, last.openReviews - first.openReviews);
  const growth = last.heapUsed / first.heapUsed - 1;
  console.log(
    `heap after GC ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% from ${first.openReviews} to ${last.openReviews} open reviews ` +
      `(${bytes(perReview)} per review), RSS ${bytes(last.rss - first.rss)} — target flat (< 10% and < 1 KB per review): ` +
      `${verdict(growth < 0.1 && perReview < 1024)}${first.gc ? '' : ' (no --expose-gc: heap before GC)'}`,
  );
}
