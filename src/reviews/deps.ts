/**
 * What the review use cases need, passed in (never imported as singletons) so
 * tests, the playground and production can each supply their own.
 */
import type { WebClient } from '@slack/web-api';
import type { Flow } from '../engine/types.js';
import type { Suggester } from '../llm/suggester.js';
import type { Logger } from '../logger.js';
import type { ReviewStore } from '../store/types.js';
import type { WorkTracker } from './work-tracker.js';

export interface ReviewSettings {
  /** The app-wide default leads' channel (LEADS_CHANNEL). */
  leadsChannel?: string;
  leadUserIds: string[];
  retentionDays: number;
  reviewsPerMinutePerTeam: number;
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
}

/** The default flow when none is named. */
export const DEFAULT_FLOW_ID = 'alignment-review';
