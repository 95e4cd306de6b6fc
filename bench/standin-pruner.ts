/**
 * Keeps the Slack stand-in's memory of the world to the reviews still being
 * driven. The stand-in looks messages up by scanning its lists, which is
 * right for tests but would make a long benchmark measure the stand-in's
 * growing scans instead of the apps. Twice a second it drops every message
 * that is neither in a thread still being driven nor a few seconds old (a
 * root just posted, not yet known to the driver), and the call and delivery
 * records nobody reads here.
 */
import type { SlackStandin } from '../src/standin/slack/index.js';

export interface StandinPruner {
  /** The driver works in this thread now: keep its messages. */
  track(threadTs: string): void;
  /** The driver is done with this thread: its messages may go. */
  done(threadTs: string): void;
  stop(): void;
}

const KEEP_RECENT_SECONDS = 3;

export function pruneStandin(slack: SlackStandin, everyMs = 500): StandinPruner {
  const active = new Set<string>();
  const timer = setInterval(() => {
    const { world } = slack;
    const recent = Date.now() / 1000 - KEEP_RECENT_SECONDS;
    const kept = world.messages.filter((message) => active.has(message.threadTs ?? message.ts) || Number(message.ts) > recent);
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
