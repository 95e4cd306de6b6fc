/**
 * What the review use cases need, passed in (never imported as singletons) so
 * tests, the playground and production can each supply their own.
 */
import type { WebClient } from '@slack/web-api';
import type { Flow, ReviewState } from '../engine/types.js';
import type { Suggester } from '../llm/suggester.js';
import type { Logger } from '../logger.js';
import type { ReviewPlacement, ReviewStore } from '../store/types.js';
import type { ThreadDirectory } from './thread-directory.js';
import type { WorkTracker } from './work-tracker.js';

export interface ReviewSettings {
  /** The app-wide default leads' channel (LEADS_CHANNEL). */
  leadsChannel?: string;
  leadUserIds: string[];
  retentionDays: number;
  reviewsPerMinutePerTeam: number;
  /** Reviews one person may start per minute; default a quarter of the team's (at least one), so one person cannot use up the team's. */
  reviewsPerMinutePerUser?: number;
  /** Replies, clicks and edits one person may send to one review per minute; past it they are ignored with one private note. Default 60. */
  inputsPerMinutePerPerson?: number;
  reminderHours: number;
  staleDays: number;
}

export interface ReviewDeps {
  store: ReviewStore;
  flows: ReadonlyMap<string, Flow>;
  suggester: Suggester;
  logger: Logger;
  settings: ReviewSettings;
  /** A Web API client with the bot token of a team (one workspace, or from the installation store). */
  clientFor(teamId: string, enterpriseId?: string): Promise<WebClient>;
  /** Background work after Slack was answered; awaited on shutdown. */
  work: WorkTracker;
  now(): Date;
  /** Thread → review, kept per process; without it every reply reads the store first. */
  threads?: ThreadDirectory;
  /**
   * Told after every stored change of a review (created, or a commit): its
   * reminder is rescheduled and its people's Home tabs refreshed (src/leads).
   * Never rejects; slow work runs in the background.
   */
  reviewChanged?(placement: ReviewPlacement, state: ReviewState): Promise<void>;
}

/** The default flow when none is named. */
export const DEFAULT_FLOW_ID = 'alignment-review';
