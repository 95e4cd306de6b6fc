/**
 * Closed-loop load through the Slack stand-in: `concurrency` workers, each
 * starting a review with the slash command and then sending one reply per
 * question as soon as the previous one's successor is posted (no think
 * time), over and over until the time is up. Only what happens inside the
 * measured window (after the warm-up) counts.
 */
import { performance } from 'node:perf_hooks';
import type { SlackStandin } from '../src/standin/slack/index.js';
import type { PlannedReply } from '../test/support/review-plan.js';
import type { PostTracker } from './post-tracker.js';
import type { StandinPruner } from './standin-pruner.js';

export interface LoadOptions {
  slack: SlackStandin;
  tracker: PostTracker;
  pruner: StandinPruner;
  /** Distinguishes this run's tags from another's on the same stand-in. */
  label: string;
  flowId: string;
  /** Reviews worked out in advance; the workers take them in turn. */
  plans: PlannedReply[][];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  channels: string[];
  users: string[];
  /** How long one turn may take before the review is given up (default 15 s). */
  turnTimeoutMs?: number;
  /** Called when the measured window opens and when it closes (e.g. to read CPU counters). */
  onWindow?: (edge: 'start' | 'end') => void;
}

export interface LoadResult {
  /** Turns (reply → next question) that ended inside the window. */
  turns: number;
  windowSeconds: number;
  turnMs: number[];
  ackMs: number[];
  /** Slash command → first question in the thread. */
  startMs: number[];
  reviewsCompleted: number;
  reviewsStarted: number;
  errors: string[];
}

interface Window {
  start: number;
  end: number;
}

interface Worker {
  options: LoadOptions;
  window: Window;
  result: LoadResult;
  channelId: string;
  /** Who starts the review. */
  userId: string;
  /** Who answer, in turn: a team answering together, none of them over the app's per-person input limit. */
  users: string[];
  timeoutMs: number;
}

/** One turn after another until the plan is done (true) or the window closed (false). */
async function answerAll(worker: Worker, threadTs: string, plan: PlannedReply[]): Promise<boolean> {
  const { slack, tracker } = worker.options;
  const { window, result } = worker;
  for (const [turn, reply] of plan.entries()) {
    if (performance.now() >= window.end) return false;
    tracker.reset(threadTs);
    const posted = tracker.next(threadTs, worker.timeoutMs);
    posted.catch(() => undefined);
    const sent = performance.now();
    await slack.sendMessage({ userId: worker.users[turn % worker.users.length]!, channelId: worker.channelId, threadTs, text: reply.text });
    const acked = performance.now();
    const ended = await posted;
    if (sent >= window.start && ended <= window.end) {
      result.turns++;
      result.turnMs.push(ended - sent);
      result.ackMs.push(acked - sent);
    }
  }
  return true;
}

/** The slash command, then every reply. */
async function runReview(worker: Worker, tag: string, plan: PlannedReply[]): Promise<void> {
  const { slack, tracker, pruner, flowId } = worker.options;
  const { window, result } = worker;
  const rootTs = tracker.root(tag, worker.timeoutMs);
  rootTs.catch(() => undefined);
  const started = performance.now();
  await slack.slashCommand({ userId: worker.userId, channelId: worker.channelId, command: '/alignment-review', text: `--flow ${flowId} ${tag}` });
  const threadTs = await rootTs;
  pruner.track(threadTs);
  try {
    const firstQuestion = await tracker.next(threadTs, worker.timeoutMs);
    result.reviewsStarted++;
    if (started >= window.start && firstQuestion <= window.end) result.startMs.push(firstQuestion - started);
    if (await answerAll(worker, threadTs, plan)) result.reviewsCompleted++;
  } finally {
    pruner.done(threadTs);
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const begin = performance.now();
  const window: Window = { start: begin + options.warmupMs, end: begin + options.warmupMs + options.durationMs };
  const result: LoadResult = { turns: 0, windowSeconds: options.durationMs / 1000, turnMs: [], ackMs: [], startMs: [], reviewsCompleted: 0, reviewsStarted: 0, errors: [] };
  const edges = [setTimeout(() => options.onWindow?.('start'), options.warmupMs), setTimeout(() => options.onWindow?.('end'), options.warmupMs + options.durationMs)];

  const work = Array.from({ length: options.concurrency }, async (_, index) => {
    const worker: Worker = {
      options,
      window,
      result,
      channelId: options.channels[index % options.channels.length]!,
      userId: options.users[index % options.users.length]!,
      users: options.users,
      timeoutMs: options.turnTimeoutMs ?? 15_000,
    };
    for (let round = 0; performance.now() < window.end; round++) {
      const tag = `bench${options.label}${index}r${round}x`;
      const plan = options.plans[(index + round * options.concurrency) % options.plans.length]!;
      await runReview(worker, tag, plan).catch((error: unknown) => result.errors.push(`${tag}: ${(error as Error).message}`));
    }
  });
  await Promise.all(work);
  for (const edge of edges) clearTimeout(edge);
  return result;
}
