/**
 * What App Home shows one person: the reviews they started, answered or were
 * asked to answer (leads and workspace admins: every review of the
 * workspace), open ones with the question they wait on and how long they
 * have been idle (paused ones: how long paused), finished ones with their
 * levels, and on request the finished ones still waiting for a decision or
 * the cancelled ones (who cancelled, when). Loading reads the store;
 * choosing and filtering is pure.
 */
import type { AreaId, AreaLevel, OverallLevel } from '../engine/areas.js';
import { OVERALL_LEVELS } from '../engine/areas.js';
import { assessedOverall, currentQuestion, overallShort, questionProgress, scoreReview, type QuestionProgress } from '../engine/index.js';
import type { Decision, Flow, HistoryEntry, ReviewState, ReviewStatus } from '../engine/types.js';
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
  /** `notCovered`: no question of the review could bear on it (AreaScore.notCovered); absent otherwise. */
  areas?: { area: AreaId; level: AreaLevel; notCovered?: 'flow' | 'asked' }[];
  decision?: Decision;
  /** Finished with no decision, or with one that no longer covers the answers (edited since). */
  needsDecision?: boolean;
  /** Paused: when the last pause came. */
  pausedAt?: string;
  /** Cancelled: who and when, as far as the history tells. */
  cancelled?: { by?: string; at?: string };
  /** Open (active or paused) and idle for longer than the reminder and STALE_DAYS together. */
  stale: boolean;
}

/** The lists App Home can show besides the usual open and finished ones. */
export const HOME_SHOWS = ['needs_decision', 'cancelled'] as const;
export type HomeShow = (typeof HOME_SHOWS)[number];

export function isHomeShow(value: string | undefined): value is HomeShow {
  return value !== undefined && (HOME_SHOWS as readonly string[]).includes(value);
}

export interface HomeFilter {
  channel?: string;
  level?: OverallLevel;
  /** Without it: open and recently finished reviews. */
  show?: HomeShow;
}

export interface HomeModel {
  /** "all": a lead or admin sees the workspace; "mine": what the person is part of. */
  scope: 'all' | 'mine';
  filter: HomeFilter;
  /** Channels of the reviews the person may see, most used first, for the channel filter. */
  channels: string[];
  open: HomeEntry[];
  /** Recently finished; with `show: needs_decision`, those waiting for a decision, longest waiting first (waitingForDecisionSince). */
  finished: HomeEntry[];
  /** Only with `show: cancelled`: newest cancelled first. */
  cancelled: HomeEntry[];
  /** Entries that matched but did not fit. */
  moreOpen: number;
  moreFinished: number;
  moreCancelled: number;
  /** Cancelled reviews the filter's channel holds but this list does not show, so the tab can say where they are. */
  cancelledNotShown: number;
}

/** Slack allows 100 blocks in a home view; with one block per review and ten for the rest, 40 + 40 fit. */
export const MAX_OPEN_SHOWN = 40;
export const MAX_FINISHED_SHOWN = 40;
export const MAX_CANCELLED_SHOWN = 40;

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

/**
 * An open review nobody has touched for the reminder's hours plus STALE_DAYS.
 * A paused review counts too: it gets no reminder, so a pause nobody comes
 * back to would otherwise hide on Home for good.
 */
export function isStale(state: ReviewState, nowMs: number, rule: StaleRule): boolean {
  if (state.status !== 'active' && state.status !== 'paused') return false;
  const idleMs = nowMs - Date.parse(lastActivityOf(state));
  return idleMs >= rule.reminderHours * 3_600_000 + rule.staleDays * 86_400_000;
}

function lastHistoryEntry(state: ReviewState, action: HistoryEntry['action']): HistoryEntry | undefined {
  return state.history.findLast((entry) => entry.action === action);
}

/** Who cancelled and when; the time falls back to when the review ended. */
export function cancellationOf(state: ReviewState): { by?: string; at?: string } {
  const entry = lastHistoryEntry(state, 'cancel');
  const at = entry?.at ?? state.finishedAt;
  return { ...(entry ? { by: entry.by } : {}), ...(at ? { at } : {}) };
}

/** A finished review with no decision, or whose decision no longer covers the answers. */
export function needsDecision(state: ReviewState): boolean {
  return state.status === 'completed' && (!state.decision || state.decision.answersChangedAt !== undefined);
}

function openDetails(flow: Flow, state: ReviewState, entry: HomeEntry): void {
  const question = currentQuestion(flow, state);
  if (question) entry.waitingOn = { ...questionProgress(flow, state, question.id), prompt: question.prompt };
  if (state.status === 'paused') entry.pausedAt = lastHistoryEntry(state, 'pause')?.at ?? entry.lastActivityAt;
}

function finishedDetails(flow: Flow, state: ReviewState, entry: HomeEntry): void {
  const score = scoreReview(flow, state);
  entry.overall = assessedOverall(score);
  entry.overallText = overallShort(score);
  entry.areas = score.areas.map((area) => ({ area: area.area, level: area.level, ...(area.notCovered ? { notCovered: area.notCovered } : {}) }));
  if (state.finishedAt) entry.finishedAt = state.finishedAt;
  if (state.decision) entry.decision = state.decision;
  entry.needsDecision = needsDecision(state);
}

/** A record as a home entry; reviews whose flow is gone are not shown. */
export function homeEntryOf(flow: Flow | undefined, record: ReviewRecord, nowMs: number, rule: StaleRule): HomeEntry | null {
  const { state, placement } = record;
  if (!flow) return null;
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
  if (state.status === 'completed') finishedDetails(flow, state, entry);
  else if (state.status === 'cancelled') entry.cancelled = cancellationOf(state);
  else openDetails(flow, state, entry);
  return entry;
}

function newestFirst(a: string, b: string): number {
  return Date.parse(b) - Date.parse(a);
}

function oldestFirst(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

function finishedTime(entry: HomeEntry): string {
  return entry.finishedAt ?? entry.lastActivityAt;
}

/**
 * Since when a review on the "Needs a decision" list has waited for one:
 * since it finished, or, when its answers were edited after its decision,
 * since that edit (the decision covered it until then).
 */
export function waitingForDecisionSince(entry: HomeEntry): string {
  return entry.decision?.answersChangedAt ?? finishedTime(entry);
}

function cancelledTime(entry: HomeEntry): string {
  return entry.cancelled?.at ?? entry.lastActivityAt;
}

interface HomeLists {
  open: HomeEntry[];
  finished: HomeEntry[];
  cancelled: HomeEntry[];
}

/**
 * The lists one filter shows, ordered. Levels belong to finished reviews: a
 * level filter shows only those (and no cancelled ones, which have none).
 */
function listsFor(entries: HomeEntry[], filter: HomeFilter): HomeLists {
  const withLevel = (entry: HomeEntry) => !filter.level || entry.overall === filter.level;
  const finished = (entry: HomeEntry) => entry.status === 'completed' && withLevel(entry);
  if (filter.show === 'cancelled') {
    const cancelled = filter.level ? [] : entries.filter((entry) => entry.status === 'cancelled');
    return { open: [], finished: [], cancelled: cancelled.sort((a, b) => newestFirst(cancelledTime(a), cancelledTime(b))) };
  }
  if (filter.show === 'needs_decision') {
    // A queue: the review waiting longest comes first.
    const waiting = entries.filter((entry) => finished(entry) && entry.needsDecision);
    return { open: [], finished: waiting.sort((a, b) => oldestFirst(waitingForDecisionSince(a), waitingForDecisionSince(b))), cancelled: [] };
  }
  const open = filter.level ? [] : entries.filter((entry) => entry.status === 'active' || entry.status === 'paused');
  return {
    open: open.sort((a, b) => newestFirst(a.startedAt, b.startedAt)),
    finished: entries.filter(finished).sort((a, b) => newestFirst(finishedTime(a), finishedTime(b))),
    cancelled: [],
  };
}

/** Filters and orders entries: open ones newest first, finished ones by when they finished, newest first, cancelled ones on request. */
export function selectHome(entries: HomeEntry[], filter: HomeFilter, scope: HomeModel['scope']): HomeModel {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.channelId, (counts.get(entry.channelId) ?? 0) + 1);
  const channels = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([channel]) => channel);
  // A channel filter for a channel the person no longer sees would show nothing and could not be cleared.
  const active: HomeFilter = { ...filter, ...(filter.channel && !counts.has(filter.channel) ? { channel: undefined } : {}) };

  const inChannel = entries.filter((entry) => !active.channel || entry.channelId === active.channel);
  const lists = listsFor(inChannel, active);
  const cancelledInChannel = inChannel.filter((entry) => entry.status === 'cancelled').length;
  return {
    scope,
    filter: active,
    channels,
    open: lists.open.slice(0, MAX_OPEN_SHOWN),
    finished: lists.finished.slice(0, MAX_FINISHED_SHOWN),
    cancelled: lists.cancelled.slice(0, MAX_CANCELLED_SHOWN),
    moreOpen: Math.max(0, lists.open.length - MAX_OPEN_SHOWN),
    moreFinished: Math.max(0, lists.finished.length - MAX_FINISHED_SHOWN),
    moreCancelled: Math.max(0, lists.cancelled.length - MAX_CANCELLED_SHOWN),
    cancelledNotShown: cancelledInChannel - lists.cancelled.length,
  };
}
