/**
 * Keeps the Slack stand-in's world small while the benchmark runs. The
 * stand-in keeps every message, call and delivery, which is right for tests
 * but would grow without end over a long benchmark (its look-ups are
 * indexed, so it is the memory, not the time, that grows). Twice a second it
 * keeps, of every thread still being driven, its root and its last few
 * messages (the only ones an app still updates: the question just
 * answered), plus whatever appeared in the last half second; everything else
 * goes, with the call and delivery records nobody reads here.
 */
import type { SlackStandin, WorldMessage } from '../src/standin/slack/index.js';

export interface StandinPruner {
  /** The driver works in this thread now: keep its root and latest messages. */
  track(threadTs: string): void;
  /** The driver is done with this thread: its messages may go. */
  done(threadTs: string): void;
  stop(): void;
}

const KEEP_LAST_PER_THREAD = 6;
const KEEP_RECENT_SECONDS = 0.5;

export function pruneStandin(slack: SlackStandin, everyMs = 500): StandinPruner {
  const active = new Set<string>();
  const timer = setInterval(() => {
    const { world } = slack;
    const recent = Date.now() / 1000 - KEEP_RECENT_SECONDS;
    const byThread = new Map<string, WorldMessage[]>();
    for (const message of world.messages) {
      const thread = message.threadTs ?? message.ts;
      if (active.has(thread)) byThread.set(thread, [...(byThread.get(thread) ?? []), message]);
    }
    const keep = new Set<WorldMessage>();
    for (const [thread, messages] of byThread) {
      for (const message of messages) if (message.ts === thread) keep.add(message);
      for (const message of messages.slice(-KEEP_LAST_PER_THREAD)) keep.add(message);
    }
    const kept = world.messages.filter((message) => keep.has(message) || Number(message.ts) > recent);
    world.messages.length = 0;
    world.messages.push(...kept);
    world.ephemerals.length = 0;
    slack.calls.length = 0;
    slack.deliveries.length = 0;
  }, everyMs);
  timer.unref();
  return {
    track: (threadTs) => active.add(threadTs),
    done: (threadTs) => active.delete(threadTs),
    stop: () => clearInterval(timer),
  };
}
