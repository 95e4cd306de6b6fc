/**
 * Reminders: a review idle for REMINDER_HOURS gets one nudge in its thread
 * naming the question it waits on; a paused or finished review gets none.
 *
 * The schedule lives in the store (a sorted set of due times in Redis): every
 * stored change of an active review moves its time to now + REMINDER_HOURS,
 * and any other status drops it. A small loop on every replica claims the
 * due ones atomically with a lease, so each is handled by one replica; one
 * that crashes mid-way lets its lease run out and another takes over, so no
 * reminder is lost over a restart. The ref "reminded" (the review's version
 * when it was nudged) keeps a retried reminder from being posted twice.
 */
import { NoInstallationError } from '../store/installation-store.js';
import type { ReviewDeps } from '../reviews/deps.js';
import { isPermanentSlackError, slackErrorCode } from '../slack/api-errors.js';
import { reminderMessage } from '../slack/blocks/reminder.js';
import { chatClientFor } from '../slack/chat-client.js';
import type { ReviewPlacement } from '../store/types.js';
import type { ReviewState } from '../engine/types.js';
import { currentQuestion, questionProgress } from '../engine/index.js';
import { lastActivityOf } from './home-data.js';

export const REMINDED_REF = 'reminded';
const HOUR_MS = 3_600_000;

export interface ReminderLoopOptions {
  /** How often to look for due reminders. */
  intervalMs: number;
  /** How long a claimed reminder is held before another replica may retry it. */
  leaseMs: number;
  /** Reminders claimed per look. */
  batch: number;
}

export const DEFAULT_REMINDER_LOOP: ReminderLoopOptions = { intervalMs: 60_000, leaseMs: 10 * 60_000, batch: 25 };

/** When a review in this state is due its reminder, or null when it should get none. */
export function reminderDueAt(state: ReviewState, changedAtMs: number, reminderHours: number): number | null {
  return state.status === 'active' ? changedAtMs + reminderHours * HOUR_MS : null;
}

/** Called after every stored change of a review. */
export async function rescheduleReminder(deps: ReviewDeps, placement: ReviewPlacement, state: ReviewState): Promise<void> {
  const due = reminderDueAt(state, deps.now().getTime(), deps.settings.reminderHours);
  await deps.store.scheduleReminder(placement.teamId, state.id, due);
}

/** How long an active review's reminder may keep the time this process last gave it. */
export const RESCHEDULE_AFTER_MS = 5 * 60_000;
/** Reviews this process remembers scheduling; past it the oldest is forgotten (and simply scheduled again). */
const REMEMBERED_REVIEWS = 2_000;

/**
 * Reschedules reminders after changes, but an active review whose reminder
 * this process moved in the last few minutes keeps it: a reply every few
 * seconds would otherwise cost a store write each. A reminder that comes
 * due a few minutes early is harmless: the loop sees the review's later
 * activity and moves it to the right time (handleDue, 'not_due'). A change
 * of status (paused, finished, resumed) always goes through at once.
 */
export class ReminderScheduler {
  private readonly scheduled = new Map<string, { status: ReviewState['status']; at: number }>();

  constructor(private readonly deps: ReviewDeps) {}

  async reviewChanged(placement: ReviewPlacement, state: ReviewState): Promise<void> {
    const key = `${placement.teamId}\u0000${state.id}`;
    const now = this.deps.now().getTime();
    const last = this.scheduled.get(key);
    const within = Math.min(RESCHEDULE_AFTER_MS, (this.deps.settings.reminderHours * HOUR_MS) / 10);
    if (state.status === 'active' && last?.status === 'active' && now >= last.at && now - last.at < within) return;
    this.scheduled.delete(key);
    await rescheduleReminder(this.deps, placement, state);
    this.scheduled.set(key, { status: state.status, at: now });
    if (this.scheduled.size > REMEMBERED_REVIEWS) this.scheduled.delete(this.scheduled.keys().next().value!);
  }
}

type Handled = 'sent' | 'not_due' | 'skipped';

async function handleDue(deps: ReviewDeps, teamId: string, reviewId: string, nowMs: number): Promise<Handled> {
  const { store } = deps;
  const record = await store.get(teamId, reviewId);
  if (!record || record.state.status !== 'active') return 'skipped';
  const { state, placement } = record;
  const idleSince = lastActivityOf(state);
  const dueMs = Date.parse(idleSince) + deps.settings.reminderHours * HOUR_MS;
  // Something happened after the reminder was scheduled (a change whose reschedule was lost): wait for the new time.
  if (Number.isFinite(dueMs) && dueMs > nowMs) {
    await store.scheduleReminder(teamId, reviewId, dueMs);
    return 'not_due';
  }
  const refs = await store.refs(teamId, reviewId);
  if (refs[REMINDED_REF] === String(record.version)) return 'skipped';

  const flow = deps.flows.get(state.flowId);
  const question = flow ? currentQuestion(flow, state) : null;
  const message = reminderMessage({
    people: placement.respondents?.length ? placement.respondents : [state.startedBy],
    idleSince,
    question: flow && question ? { ...questionProgress(flow, state, question.id), prompt: question.prompt } : undefined,
  });
  const client = await deps.clientFor(teamId, placement.enterpriseId);
  // The lean client: a reminder whose answer was lost is not posted twice.
  await chatClientFor(client).chat.postMessage({ channel: placement.channelId, thread_ts: placement.threadTs, text: message.text, blocks: message.blocks });
  await store.setRef(teamId, reviewId, REMINDED_REF, String(record.version));
  deps.logger.info({ reviewId, teamId, channel: placement.channelId }, 'Reminder sent');
  return 'sent';
}

/** One look at the schedule: claims what is due and nudges each. Returns how many nudges were sent. */
export async function runDueReminders(deps: ReviewDeps, options: ReminderLoopOptions = DEFAULT_REMINDER_LOOP): Promise<number> {
  const nowMs = deps.now().getTime();
  const claimed = await deps.store.claimDueReminders(nowMs, options.batch, options.leaseMs);
  let sent = 0;
  for (const item of claimed) {
    try {
      const handled = await handleDue(deps, item.teamId, item.reviewId, nowMs);
      if (handled === 'sent') sent += 1;
      if (handled !== 'not_due') await deps.store.finishReminder(item.teamId, item.reviewId, item.lease);
    } catch (error) {
      // A workspace that removed the app has no installation left: its reminders cannot be sent again either.
      const permanent = isPermanentSlackError(error) || error instanceof NoInstallationError;
      deps.logger.warn({ reviewId: item.reviewId, teamId: item.teamId, slackError: slackErrorCode(error), permanent }, 'Reminder failed');
      // A channel that is gone or closed to the app will not take it later either; anything else is retried after the lease.
      if (permanent) await deps.store.finishReminder(item.teamId, item.reviewId, item.lease).catch(() => undefined);
    }
  }
  return sent;
}

export interface ReminderLoop {
  /** One look now (tests call it with an injected clock). */
  tick(): Promise<number>;
  stop(): void;
}

/** Looks for due reminders every intervalMs, in the background (unref'd: it never keeps the process up). */
export function startReminderLoop(deps: ReviewDeps, options: ReminderLoopOptions = DEFAULT_REMINDER_LOOP): ReminderLoop {
  let running: Promise<number> | undefined;
  const tick = () => {
    // One look at a time per replica; a slow one is not stacked on.
    running ??= runDueReminders(deps, options).finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (deps.work.isClosing) return;
    void deps.work.run(tick);
  }, options.intervalMs);
  timer.unref();
  return {
    tick,
    stop: () => clearInterval(timer),
  };
}
