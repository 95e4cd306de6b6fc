/**
 * The leads' side of the app, put together once per process: the export and
 * delete commands, the hook that follows every stored change of a review
 * (its reminder, its people's Home tabs) and the reminder loop.
 */
import type { ReviewState } from '../engine/types.js';
import type { ReviewDeps } from '../reviews/deps.js';
import type { LeadsCommands } from '../slack/listeners/context.js';
import type { ReviewPlacement } from '../store/types.js';
import { createLeadsCommands } from './commands.js';
import { HomeRefresher } from './home-refresh.js';
import { DEFAULT_REMINDER_LOOP, ReminderScheduler, startReminderLoop, type ReminderLoop, type ReminderLoopOptions } from './reminders.js';
import { errorMessage } from '../logger.js';

export interface LeadsOptions {
  reminders?: Partial<ReminderLoopOptions>;
  /** Home tabs are published again at most this often per person after changes. */
  homeRefreshDelayMs?: number;
}

export interface Leads {
  commands: LeadsCommands;
  /** After every stored change of a review (created or committed). Never rejects: the change itself stands. */
  reviewChanged(placement: ReviewPlacement, state: ReviewState): Promise<void>;
  reminders: ReminderLoop;
  stop(): void;
}

export function createLeads(deps: ReviewDeps, options: LeadsOptions = {}): Leads {
  const homes = new HomeRefresher(deps, options.homeRefreshDelayMs ?? 3_000);
  const reminders = startReminderLoop(deps, { ...DEFAULT_REMINDER_LOOP, ...options.reminders });
  const scheduler = new ReminderScheduler(deps);
  return {
    commands: createLeadsCommands(deps),
    async reviewChanged(placement, state) {
      try {
        await scheduler.reviewChanged(placement, state);
      } catch (error) {
        // The reminder keeps its earlier time; when it comes due the loop sees the review was active since and waits.
        deps.logger.warn({ reviewId: state.id, teamId: placement.teamId, err: errorMessage(error) }, 'Could not reschedule the reminder');
      }
      homes.reviewChanged(placement, state);
    },
    reminders,
    stop() {
      reminders.stop();
      homes.stop();
    },
  };
}
