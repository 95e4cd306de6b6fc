/**
 * The app's process memory with many open reviews: start reviews through
 * the app's own start path (the slash command over HTTP, signed) until
 * `count` are open, then ask the app, through the preloaded memory probe
 * (bench/memory-probe.ts, SIGUSR2), for its memory after garbage collection.
 */
import type { SlackStandin } from '../src/standin/slack/index.js';
import type { AppProcess } from '../test/support/app-process.js';
import type { PostTracker } from './post-tracker.js';

export interface MemorySample {
  openReviews: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  gc: boolean;
}

export interface ProbeReader {
  /** Called by the app process's log hook with each JSON line. */
  hear(line: Record<string, unknown>): void;
  sample(app: AppProcess, openReviews: number): Promise<MemorySample>;
}

export function probeReader(): ProbeReader {
  let waiting: ((line: Record<string, unknown>) => void) | undefined;
  return {
    hear(line) {
      if (line.probe === 'memory' && waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      }
    },
    async sample(app, openReviews) {
      const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the memory probe did not answer; is bench/memory-probe.ts preloaded?')), 10_000);
        waiting = (value) => {
          clearTimeout(timer);
          resolve(value);
        };
        process.kill(app.pid, 'SIGUSR2');
      });
      return {
        openReviews,
        rss: Number(line.rss),
        heapUsed: Number(line.heapUsed),
        heapTotal: Number(line.heapTotal),
        external: Number(line.external),
        gc: line.gc === true,
      };
    },
  };
}

/** Starts reviews `from`…`to - 1`, `concurrency` at a time, each until its first question is posted. */
export async function openReviews(input: {
  slack: SlackStandin;
  tracker: PostTracker;
  flowId: string;
  from: number;
  to: number;
  concurrency: number;
  channels: string[];
  users: string[];
}): Promise<{ errors: string[] }> {
  let next = input.from;
  const errors: string[] = [];
  async function worker(index: number) {
    for (let number = next++; number < input.to; number = next++) {
      const tag = `open${number}x`;
      try {
        const rootTs = input.tracker.root(tag, 20_000);
        rootTs.catch(() => undefined);
        await input.slack.slashCommand({
          userId: input.users[index % input.users.length]!,
          channelId: input.channels[number % input.channels.length]!,
          command: '/alignment-review',
          text: `--flow ${input.flowId} Open review ${tag}`,
        });
        await input.tracker.next(await rootTs, 20_000);
      } catch (error) {
        errors.push(`${tag}: ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: input.concurrency }, (_, index) => worker(index)));
  return { errors };
}
