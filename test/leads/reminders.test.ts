import type { WebClient } from '@slack/web-api';
import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load.js';
import { REMINDED_REF, ReminderScheduler, reminderDueAt, rescheduleReminder, runDueReminders } from '../../src/leads/reminders.js';
import { createLogger } from '../../src/logger.js';
import type { ReviewDeps } from '../../src/reviews/deps.js';
import { WorkTracker } from '../../src/reviews/work-tracker.js';
import { resolveFlowsDir } from '../../src/server.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { makePlacement, makeState } from '../store/fixtures.js';

const HOUR = 3_600_000;
const { flows } = loadFlows({ builtinDir: resolveFlowsDir() });

function setup(post: () => Promise<unknown>) {
  let now = Date.parse('2025-03-01T10:00:00.000Z');
  const store = new MemoryStore({ now: () => now });
  const posted: unknown[] = [];
  const client = { chat: { postMessage: async (args: unknown) => (posted.push(args), post()) } } as unknown as WebClient;
  const deps = {
    store,
    flows,
    logger: createLogger('silent'),
    settings: { leadUserIds: [], retentionDays: 30, reviewsPerMinutePerTeam: 10, reminderHours: 24, staleDays: 7 },
    clientFor: async () => client,
    work: new WorkTracker(() => undefined),
    now: () => new Date(now),
  } as unknown as ReviewDeps;
  return { deps, store, posted, advance: (ms: number) => (now += ms), at: () => now };
}

async function stored(deps: ReviewDeps, at: string) {
  const state = makeState({ flowId: 'quick-check', currentQuestionId: 'human_goal', asked: ['human_goal'], startedAt: at, history: [{ at, by: 'U1', action: 'start' }] });
  const placement = makePlacement();
  await deps.store.create({ placement, state }, []);
  await rescheduleReminder(deps, placement, state);
  return { state, placement };
}

describe('reminders', () => {
  it('are due REMINDER_HOURS after a change of an active review, and never for another status', () => {
    const state = makeState();
    expect(reminderDueAt(state, 1000, 24)).toBe(1000 + 24 * HOUR);
    for (const status of ['paused', 'completed', 'cancelled'] as const) expect(reminderDueAt({ ...state, status }, 1000, 24)).toBeNull();
  });

  it('wait again when the review was active after the reminder was set (a lost reschedule)', async () => {
    const t = setup(async () => ({ ok: true, ts: '1.1' }));
    const { state } = await stored(t.deps, new Date(t.at()).toISOString());
    // Something happened 20 hours later, but its reschedule never reached the store.
    const later = { ...state, history: [...state.history, { at: new Date(t.at() + 20 * HOUR).toISOString(), by: 'U1', action: 'answer' as const }] };
    expect(await t.store.commit('T111', state.id, 1, later, null, [])).toEqual({ next: null, held: true });
    t.advance(25 * HOUR);
    expect(await runDueReminders(t.deps)).toBe(0);
    expect(t.posted).toEqual([]);
    t.advance(19 * HOUR);
    expect(await runDueReminders(t.deps)).toBe(1);
    expect(t.posted).toHaveLength(1);
    expect(JSON.stringify(t.posted[0])).toContain('question 1 of');
    expect(await t.store.refs('T111', state.id)).toEqual({ [REMINDED_REF]: '2' });
  });

  it('give up on a channel the app can no longer post in, and retry after the lease when Slack is only down', async () => {
    const refused = Object.assign(new Error('not_in_channel'), { code: ErrorCode.PlatformError, data: { ok: false, error: 'not_in_channel' } });
    const gone = setup(async () => {
      throw refused;
    });
    await stored(gone.deps, new Date(gone.at()).toISOString());
    gone.advance(25 * HOUR);
    expect(await runDueReminders(gone.deps)).toBe(0);
    gone.advance(HOUR);
    expect(await gone.store.claimDueReminders(gone.at(), 10, 1000)).toEqual([]);

    let down = true;
    const flaky = setup(async () => {
      if (down) throw new Error('socket hang up');
      return { ok: true, ts: '1.1' };
    });
    await stored(flaky.deps, new Date(flaky.at()).toISOString());
    flaky.advance(25 * HOUR);
    expect(await runDueReminders(flaky.deps)).toBe(0);
    down = false;
    // Still held by the failed attempt's lease (10 minutes): not tried again yet.
    expect(await runDueReminders(flaky.deps)).toBe(0);
    expect(flaky.posted).toHaveLength(1);
    flaky.advance(11 * 60_000);
    expect(await runDueReminders(flaky.deps)).toBe(1);
    expect(flaky.posted).toHaveLength(2);
    expect(await runDueReminders(flaky.deps)).toBe(0);
  });

  it('are moved at most every few minutes while a review is busy, yet a status change and a later reply go through', async () => {
    const t = setup(async () => ({ ok: true, ts: '1.1' }));
    const writes: Array<number | null> = [];
    const store = t.deps.store;
    const scheduleReminder = store.scheduleReminder.bind(store);
    store.scheduleReminder = async (teamId, reviewId, due) => {
      writes.push(due);
      return scheduleReminder(teamId, reviewId, due);
    };
    const scheduler = new ReminderScheduler(t.deps);
    const placement = makePlacement();
    const state = makeState();
    const start = t.at();
    await scheduler.reviewChanged(placement, state);
    for (let i = 0; i < 10; i++) {
      t.advance(10_000);
      await scheduler.reviewChanged(placement, state);
    }
    // Ten replies within two minutes: one write, at the first.
    expect(writes).toEqual([start + 24 * HOUR]);
    await scheduler.reviewChanged(placement, { ...state, status: 'paused' });
    await scheduler.reviewChanged(placement, state);
    expect(writes.slice(1)).toEqual([null, t.at() + 24 * HOUR]);
    t.advance(5 * 60_000);
    await scheduler.reviewChanged(placement, state);
    expect(writes).toHaveLength(4);
    expect(writes[3]).toBe(t.at() + 24 * HOUR);
  });
});
