/**
 * What the benchmark drives: the app, the bare Bolt app or the floor app, each as its own
 * process (or several replicas of it, sharing the key prefix, with the
 * stand-in spreading deliveries over them as a load balancer would) with its
 * own Slack stand-in (bot echoes off) and its own key prefix
 * in Redis. Both stay up for every round, so the rounds can alternate
 * between them.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { startSlackStandin, DEFAULT_USERS, type SlackStandin } from '../src/standin/slack/index.js';
import { appEnv, startAppProcess, type AppProcess } from '../test/support/app-process.js';
import { deleteKeys } from '../test/support/redis-memory.js';
import { PostTracker } from './post-tracker.js';
import { pruneStandin, type StandinPruner } from './standin-pruner.js';

export type TargetKind = 'app' | 'bare' | 'floor';

/** The script each kind runs; the app's is the default (src/main.ts). */
const SCRIPTS: Record<TargetKind, string | undefined> = { app: undefined, bare: 'bench/bare-app.ts', floor: 'bench/floor-app.ts' };

export interface TargetOptions {
  kind: TargetKind;
  signingSecret: string;
  redis: Redis;
  redisUrl: string;
  logLevel: string;
  /** Deliver the thread parent's message_changed after each reply, as Slack does. */
  parentEvents: boolean;
  /** Extra node flags for the process (e.g. --cpu-prof, or the memory probe). */
  nodeArgs?: string[];
  /** More environment for its processes (e.g. the floor app's FLOOR_UPDATES). */
  extraEnv?: Record<string, string>;
  /** Processes of it behind the stand-in's random load balancing; default 1. */
  replicas?: number;
  onLog?: (line: Record<string, unknown>) => void;
}

export interface Target {
  kind: TargetKind;
  slack: SlackStandin;
  /** The first replica. */
  app: AppProcess;
  /** Every replica. */
  apps: AppProcess[];
  tracker: PostTracker;
  pruner: StandinPruner;
  prefix: string;
  stop(): Promise<void>;
}

/** People who answer and start reviews: enough that none passes the app's per-person limits under load. */
export const BENCH_USERS = Array.from({ length: 16 }, (_, index) => `U0BENCH${String(index).padStart(2, '0')}`);
export const BENCH_CHANNELS = ['C0REVIEWS', 'C0GENERAL'];

export async function startTarget(options: TargetOptions): Promise<Target> {
  const everyone = [...DEFAULT_USERS.map((user) => user.id), ...BENCH_USERS];
  const slack = await startSlackStandin({
    signingSecret: options.signingSecret,
    // Echoes of the bots' own posts (and, unless asked, thread parent events) would cost both apps alike
    // but load this process, which drives both.
    echoBotEvents: false,
    threadParentEvents: options.parentEvents,
    users: [...DEFAULT_USERS, ...BENCH_USERS.map((id) => ({ id, name: id.toLowerCase() }))],
    channels: [
      ...BENCH_CHANNELS.map((id) => ({ id, name: id.toLowerCase(), members: [...everyone, 'U0BOT'] })),
      { id: 'G0LEADS', name: 'leads', isPrivate: true, members: ['U0ALICE', 'U0BOT'] },
    ],
  });
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const env = appEnv({
    apiUrl: slack.apiUrl,
    signingSecret: options.signingSecret,
    redisUrl: options.redisUrl,
    prefix,
    extra: { LOG_LEVEL: options.logLevel, REVIEWS_PER_MINUTE_PER_TEAM: '10000', LEADS_CHANNEL: 'G0LEADS', ...options.extraEnv },
  });
  const apps = await Promise.all(
    Array.from({ length: options.replicas ?? 1 }, () =>
      startAppProcess({ env, script: SCRIPTS[options.kind], nodeArgs: options.nodeArgs, keepLogs: false, onLog: options.onLog }),
    ),
  );
  slack.setAppUrl(apps.map((app) => app.eventsUrl));
  const pruner = pruneStandin(slack);
  const tracker = new PostTracker(slack, (threadTs) => pruner.track(threadTs));
  return {
    kind: options.kind,
    slack,
    app: apps[0]!,
    apps,
    tracker,
    pruner,
    prefix,
    async stop() {
      pruner.stop();
      tracker.close();
      await Promise.all(apps.map((app) => app.stop('SIGTERM')));
      await slack.close();
      await deleteKeys(options.redis, prefix);
    },
  };
}
