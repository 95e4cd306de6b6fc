/**
 * What App Home shows one person: the reviews they started, answered or were
 * asked to answer (leads and workspace admins: every review of the
 * workspace), open ones with the question they wait on and how long they
 * have been idle, finished ones with their levels. Loading reads the store;
 * choosing and filtering is pure.
 */
import type { AreaId, AreaLevel, OverallLevel } from '../engine/areas.js';
import { OVERALL_LEVELS } from '../engine/areas.js';
import { assessedOverall, currentQuestion, overallShort, questionProgress, scoreReview, type QuestionProgress } from '../engine/index.js';
import type { Decision, Flow, ReviewState, ReviewStatus } from '../engine/types.js';
import type { ReviewRecord } from '../store/types.js';

export interface HomeEntry {
  reviewId: string;
  channelId: string;
  threadTs: string;
  systemName: string;
  flowTitle: string;
  status: ReviewStatus;
  startedBy: string;
  startedAt: string;
  finishedAt?: string;
  /** The last thing that happened in the review (an answer, a pause, a suggestion). */
  lastActivityAt: string;
  waitingOn?: QuestionProgress & { prompt: string };
  overall?: OverallLevel;
  /** The overall level as Home shows it: "Level II", or "Not enough answered" for a review finished with too little (overallShort). */
  overallText?: string;
  areas?: { area: AreaId; level: AreaLevel }[];
  decision?: Decision;
  /** Active and idle for longer than the reminder and STALE_DAYS together. */
  stale: boolean;
}

export interface HomeFilter {
  channel?: string;
  level?: OverallLevel;
}

export interface HomeModel {
  /** "all": a lead or admin sees the workspace; "mine": what the person is part of. */
  scope: 'all' | 'mine';
  filter: HomeFilter;
  /** Channels of the reviews the person may see, most used first, for the channel filter. */
  channels: string[];
  open: HomeEntry[];
  finished: HomeEntry[];
  /** Entries that matched but did not fit. */
  moreOpen: number;
  moreFinished: number;
}

/** Slack allows 100 blocks in a home view; with one block per review and ten for the rest, 40 + 40 fit. */
export const MAX_OPEN_SHOWN = 40;
export const MAX_FINISHED_SHOWN = 40;

export function isOverallLevel(value: string | undefined): value is OverallLevel {
  return value !== undefined && (OVERALL_LEVELS as readonly string[]).includes(value);
}

/** Whether the person has a part in the review: started it, answered, was named to answer, judged a suggestion or decided. */
export function isInvolved(record: ReviewRecord, userId: string): boolean {
  const { state, placement } = record;
  return (
    state.startedBy === userId ||
    Object.values(state.answers).some((answer) => answer.by === userId) ||
    (placement.respondents ?? []).includes(userId) ||
    state.suggestions.some((item) => item.verdict?.by === userId) ||
    state.decision?.by === userId
  );
}

export function lastActivityOf(state: ReviewState): string {
  let latest = state.startedAt;
  let latestMs = Date.parse(latest);
  for (const entry of state.history) {
    const ms = Date.parse(entry.at);
    if (Number.isFinite(ms) && !(ms <= latestMs)) {
      latest = entry.at;
      latestMs = ms;
    }
  }
  return latest;
}

export interface StaleRule {
  reminderHours: number;
  staleDays: number;
}

export function isStale(state: ReviewState, nowMs: number, rule: StaleRule): boolean {
  if (state.status !== 'active') return false;
  const idleMs = nowMs - Date.parse(lastActivityOf(state));
  return idleMs >= rule.reminderHours * 3_600_000 + rule.staleDays * 86_400_000;
}

/** A record as a home entry; cancelled reviews, and reviews whose flow is gone, are not shown. */
export function homeEntryOf(flow: Flow | undefined, record: ReviewRecord, nowMs: number, rule: StaleRule): HomeEntry | null {
  const { state, placement } = record;
  if (!flow || state.status === 'cancelled') return null;
  const entry: HomeEntry = {
    reviewId: state.id,
    channelId: placement.channelId,
    threadTs: placement.threadTs,
    systemName: state.systemName,
    flowTitle: flow.title,
    status: state.status,
    startedBy: state.startedBy,
    startedAt: state.startedAt,
    lastActivityAt: lastActivityOf(state),
    stale: isStale(state, nowMs, rule),
  };
  if (state.status === 'completed') {
    const score = scoreReview(flow, state);
    entry.overall = assessedOverall(score);
    entry.overallText = overallShort(score);
    entry.areas = score.areas.map((area) => ({ area: area.area, level: area.level }));
    if (state.finishedAt) entry.finishedAt = state.finishedAt;
    if (state.decision) entry.decision = state.decision;
  } else {
    const question = currentQuestion(flow, state);
    if (question) {
      entry.waitingOn = { ...questionProgress(flow, state, question.id), prompt: question.prompt };
    }
  }
  return entry;
}

function newestFirst(a: string, b: string): number {
  return Date.parse(b) - Date.parse(a);
}

/** Filters and orders entries: open ones newest first, finished ones by when they finished, newest first. */
export function selectHome(entries: HomeEntry[], filter: HomeFilter, scope: HomeModel['scope']): HomeModel {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.channelId, (counts.get(entry.channelId) ?? 0) + 1);
  const channels = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([channel]) => channel);
  // A channel filter for a channel the person no longer sees would show nothing and could not be cleared.
  const active: HomeFilter = { ...filter, ...(filter.channel && !counts.has(filter.channel) ? { channel: undefined } : {}) };

  const inChannel = entries.filter((entry) => !active.channel || entry.channelId === active.channel);
  // Levels belong to finished reviews: a level filter shows only those.
  const open = active.level ? [] : inChannel.filter((entry) => entry.status === 'active' || entry.status === 'paused');
  const finished = inChannel.filter((entry) => entry.status === 'completed' && (!active.level || entry.overall === active.level));
  open.sort((a, b) => newestFirst(a.startedAt, b.startedAt));
  finished.sort((a, b) => newestFirst(a.finishedAt ?? a.lastActivityAt, b.finishedAt ?? b.lastActivityAt));
  return {
    scope,
    filter: active,
    channels,
    open: open.slice(0, MAX_OPEN_SHOWN),
    finished: finished.slice(0, MAX_FINISHED_SHOWN),
    moreOpen: Math.max(0, open.length - MAX_OPEN_SHOWN),
    moreFinished: Math.max(0, finished.length - MAX_FINISHED_SHOWN),
  };
}
