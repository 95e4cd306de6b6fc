/**
 * ReviewStore in process, for the local playground and unit tests. It keeps
 * the same rules as RedisStore (versions, inbox order, dedupe windows, lock
 * leases, expiries on the injected clock) and passes the same contract suite.
 * Values go in and out through a JSON round trip, so callers never share
 * objects with the store and get back exactly what Redis would give them.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ReviewState } from '../engine/types.js';
import type { ClaimedJob, ClaimedReminder, ClaimedStart, Committed, DeleteResult, Deletion, DeletionPremise, Enqueued, InputLimit, LoadedReview, LockRequest, OutboxItem, PendingStart, PerformedItems, QueuedInput, ReviewListEntry, ReviewPlacement, ReviewRecord, ReviewRef, ReviewStore, RunningJob, TeamCounter } from './types.js';
import { DELETED_THREAD_NOTE_MARK_SECONDS, DELETED_THREAD_SECONDS, DELETION_NOTE_SECONDS, type ThreadDeletion } from './types.js';
import { kindQuota, type StatusKind } from './types.js';
import { decisionMark, jsonCopy, listFieldsOf, seqScore, startScore, type ListFields } from './codec.js';
import { ReviewExistsError } from './errors.js';
import { ExpiringMap } from './expiring-map.js';
import { deletedThreadNoteKey, installationKey, jobMember, parseJobMember, parseReminderMember, parseStartMember, rateKey, reminderMember, reviewKeys, startMember, teamRateKey, threadKey, userSettingsKey } from './keys.js';

export interface MemoryStoreOptions {
  /** Clock in ms; tests move it to pass dedupe windows, lock leases and expiries. */
  now?: () => number;
  /** How long a review lives after its last change, as in RedisStore. */
  retentionDays?: number;
  /** Defaults to process.env.NODE_ENV. */
  nodeEnv?: string;
}

const DAY_MS = 86_400_000;

interface QueuedEntry {
  id: string;
  score: number;
  /** Insertion order, for inputs with the same seq. */
  order: number;
  json: string;
}

interface StoredReview {
  teamId: string;
  reviewId: string;
  placement: ReviewPlacement;
  stateJson: string;
  version: number;
  fields: ListFields;
  startScore: number;
  inbox: QueuedEntry[];
  counter: number;
  outbox: string[];
  refs: Map<string, string>;
  /** The token of the lock's last holder until it lets go: still set when the lock is taken again, it was taken over (load-review.lua's `h`). */
  holder?: string;
}

/** A deletion's note (delete.lua's `deleted` hash): what a retry of the same deletion is answered with. */
interface DeletionNote {
  id: string;
  by: string;
  at: string;
  placement: ReviewPlacement;
  refs: Record<string, string>;
}

function deletedResult(note: DeletionNote): DeleteResult {
  return { outcome: 'deleted', placement: jsonCopy(note.placement), refs: { ...note.refs }, by: note.by, at: note.at };
}

/** delete.lua's premise: nothing changed since the check, or the decision is the one it read; and no decision queued. */
function premiseHolds(review: StoredReview, premise: DeletionPremise): boolean {
  const prefix = premise.decisionInputPrefix;
  if (prefix && review.inbox.some((entry) => entry.id.startsWith(prefix))) return false;
  if (review.version === premise.version) return true;
  const { decision } = JSON.parse(review.stateJson) as ReviewState;
  return decisionMark(decision) === decisionMark(premise.decision);
}

/**
 * The members of a leased zset (reminders, jobs) due at `nowMs`, up to
 * `limit`: oldest first, equal times in member order, as a Redis sorted set
 * reads them; and the lease the claimer gets. The caller sets it.
 */
function dueMembers(zset: ReadonlyMap<string, number>, nowMs: number, limit: number, leaseMs: number): { lease: number; due: string[] } {
  const lease = Math.round(nowMs) + Math.max(1, Math.round(leaseMs));
  const due = [...zset]
    .filter(([, at]) => at <= nowMs)
    .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, Math.floor(limit))
    .map(([member]) => member);
  return { lease, due };
}

export class MemoryStore implements ReviewStore {
  private readonly now: () => number;
  private readonly retentionMs: number;
  private readonly indexMs: number;
  private readonly reviews: ExpiringMap<string, StoredReview>;
  /** Per review: dedupe mark → time until which it counts as seen. */
  private readonly seen = new Map<string, Map<string, number>>();
  private readonly locks: ExpiringMap<string, string>;
  private readonly threads: ExpiringMap<string, string>;
  private readonly settings: ExpiringMap<string, Map<string, string>>;
  private readonly counters: ExpiringMap<string, number>;
  /** Per review: person → inputs in the current window (enqueueCounted); the entry goes when the window ends. */
  private readonly inputCounts: ExpiringMap<string, Map<string, number>>;
  private readonly userSettings: ExpiringMap<string, Map<string, string>>;
  /** member "<team> <review>" → due time in ms. */
  private readonly reminders = new Map<string, number>();
  /** Running jobs by member (jobMember), each with the time its lease runs out. */
  private readonly jobs = new Map<string, number>();
  /** Starts in progress by `<team> <start id>`, as noted. */
  private readonly starts = new Map<string, PendingStart>();
  private readonly installations: ExpiringMap<string, string>;
  /** Deleted reviews' notes, by review key, kept DELETION_NOTE_SECONDS. */
  private readonly deletions: ExpiringMap<string, DeletionNote>;
  /** Deleted reviews' thread tombstones (by and at only), by thread key, kept DELETED_THREAD_SECONDS. */
  private readonly deletedThreads: ExpiringMap<string, ThreadDeletion>;
  /** Marks that a deleted thread's note went out for an input, by channel and input id, kept DELETED_THREAD_NOTE_MARK_SECONDS. */
  private readonly deletedThreadNotes: ExpiringMap<string, true>;

  constructor(options: MemoryStoreOptions = {}) {
    if ((options.nodeEnv ?? process.env.NODE_ENV) === 'production') {
      throw new Error('The in-process store is for the local playground and tests; set REDIS_URL in production');
    }
    this.now = options.now ?? Date.now;
    this.retentionMs = (options.retentionDays ?? 30) * DAY_MS;
    this.indexMs = this.retentionMs + DAY_MS;
    this.reviews = new ExpiringMap(this.now);
    this.locks = new ExpiringMap(this.now);
    this.threads = new ExpiringMap(this.now);
    this.settings = new ExpiringMap(this.now);
    this.counters = new ExpiringMap(this.now);
    this.inputCounts = new ExpiringMap(this.now);
    this.userSettings = new ExpiringMap(this.now);
    this.installations = new ExpiringMap(this.now);
    this.deletions = new ExpiringMap(this.now);
    this.deletedThreads = new ExpiringMap(this.now);
    this.deletedThreadNotes = new ExpiringMap(this.now);
  }

  /** One map key per review; built through keys.ts so both stores accept the same ids. */
  private reviewKey(teamId: string, reviewId: string): string {
    return reviewKeys('m', teamId, reviewId).state;
  }

  private review(teamId: string, reviewId: string): StoredReview | undefined {
    return this.reviews.get(this.reviewKey(teamId, reviewId));
  }

  private threadKey(placement: ReviewPlacement): string {
    return threadKey('m', placement.teamId, placement.channelId, placement.threadTs);
  }

  /** Keeps the review's thread lookup and its team's settings alive while the review is used. */
  private touchIndexes(review: StoredReview): void {
    this.threads.touch(this.threadKey(review.placement), this.indexMs);
    this.settings.touch(review.teamId, this.indexMs);
  }

  async create(record: Omit<ReviewRecord, 'version'>, outbox: OutboxItem[], refs: Record<string, string> = {}): Promise<void> {
    const { placement, state } = jsonCopy(record);
    const key = this.reviewKey(placement.teamId, state.id);
    const existing = this.reviews.get(key);
    // The same create again (same placement) ran before: nothing to do. Another review with this id: refused.
    if (existing && isDeepStrictEqual(existing.placement, placement)) return;
    if (existing) throw new ReviewExistsError(placement.teamId, state.id);
    this.seen.delete(key);
    this.locks.delete(key);
    const now = this.now();
    const review: StoredReview = {
      teamId: placement.teamId,
      reviewId: state.id,
      placement,
      stateJson: JSON.stringify(state),
      version: 1,
      fields: listFieldsOf(state, new Date(now).toISOString()),
      startScore: startScore(state, now),
      inbox: [],
      counter: 0,
      outbox: outbox.map((item) => JSON.stringify(item)),
      refs: new Map(Object.entries(refs)),
    };
    this.reviews.set(key, review, this.retentionMs);
    this.threads.set(this.threadKey(placement), state.id, this.indexMs);
    this.touchIndexes(review);
  }

  async get(teamId: string, reviewId: string): Promise<ReviewRecord | null> {
    const review = this.review(teamId, reviewId);
    if (!review) return null;
    return { placement: jsonCopy(review.placement), state: JSON.parse(review.stateJson) as ReviewState, version: review.version };
  }

  async findByThread(teamId: string, channelId: string, threadTs: string): Promise<string | null> {
    return this.threads.get(threadKey('m', teamId, channelId, threadTs)) ?? null;
  }

  /** Also returns false when the review does not exist (nothing to queue into). */
  async enqueue(teamId: string, reviewId: string, input: QueuedInput, dedupeKeys: string[], dedupeSeconds: number): Promise<boolean> {
    return (await this.enqueueWith(teamId, reviewId, input, dedupeKeys, dedupeSeconds)).outcome === 'queued';
  }

  async enqueueCounted(teamId: string, reviewId: string, input: QueuedInput, dedupeKeys: string[], dedupeSeconds: number, limit: InputLimit, take?: LockRequest): Promise<Enqueued> {
    const result = await this.enqueueWith(teamId, reviewId, input, dedupeKeys, dedupeSeconds, limit);
    if (result.outcome !== 'queued') return result;
    const loaded = take ? await this.lockAndLoad(teamId, reviewId, take.ttlMs, take.token) : null;
    if (loaded) return { ...result, loaded };
    const holder = this.locks.get(this.reviewKey(teamId, reviewId));
    return holder === undefined ? result : { ...result, lockHolder: holder };
  }

  private async enqueueWith(
    teamId: string,
    reviewId: string,
    input: QueuedInput,
    dedupeKeys: string[],
    dedupeSeconds: number,
    limit?: InputLimit,
  ): Promise<{ outcome: 'queued' | 'duplicate' | 'over_limit'; count: number }> {
    const duplicate = { outcome: 'duplicate' as const, count: 0 };
    const score = seqScore(input.seq);
    const key = this.reviewKey(teamId, reviewId);
    const review = this.reviews.get(key);
    if (!review) return duplicate;
    if (review.inbox.some((entry) => entry.id === input.id)) return duplicate;
    const now = this.now();
    const marks = [`id:${input.id}`, ...dedupeKeys.map((k) => `k:${k}`)];
    const seen = this.seen.get(key) ?? new Map<string, number>();
    if (marks.some((mark) => (seen.get(mark) ?? 0) > now)) return duplicate;
    let count = 0;
    if (limit) {
      // One window per review, started by its first counted input, as the Redis store's rate hash.
      let counts = this.inputCounts.get(key);
      if (!counts) {
        counts = new Map();
        this.inputCounts.set(key, counts, Math.max(1, Math.round(limit.windowSeconds * 1000)));
      }
      count = (counts.get(limit.person) ?? 0) + 1;
      counts.set(limit.person, count);
      if (count > limit.max) return { outcome: 'over_limit', count };
    }

    review.counter += 1;
    review.inbox.push({ id: input.id, score, order: review.counter, json: JSON.stringify(input) });
    review.inbox.sort((a, b) => a.score - b.score || a.order - b.order);

    const windowMs = Math.max(0, Math.round(dedupeSeconds * 1000));
    if (windowMs > 0) {
      for (const [mark, until] of seen) if (until <= now) seen.delete(mark);
      for (const mark of marks) seen.set(mark, now + windowMs);
      this.seen.set(key, seen);
    }
    return { outcome: 'queued', count };
  }

  async peek(teamId: string, reviewId: string): Promise<QueuedInput | null> {
    const first = this.review(teamId, reviewId)?.inbox[0];
    return first ? (JSON.parse(first.json) as QueuedInput) : null;
  }

  async commit(
    teamId: string,
    reviewId: string,
    expectedVersion: number,
    state: ReviewState,
    consumedInputId: string | null,
    outbox: OutboxItem[],
    performed?: PerformedItems,
    lock?: LockRequest,
  ): Promise<false | Committed> {
    const review = this.review(teamId, reviewId);
    if (!review || review.version !== expectedVersion) return false;
    // An input dropped or retracted meanwhile must not be applied.
    if (consumedInputId !== null && !review.inbox.some((entry) => entry.id === consumedInputId)) return false;
    const now = this.now();
    review.version += 1;
    review.stateJson = JSON.stringify(state);
    review.fields = listFieldsOf(jsonCopy(state), new Date(now).toISOString());
    if (consumedInputId !== null) review.inbox = review.inbox.filter((entry) => entry.id !== consumedInputId);
    if (performed) await this.outboxDone(teamId, reviewId, performed);
    if (state.status !== 'active') this.inputCounts.delete(this.reviewKey(teamId, reviewId));
    review.outbox.push(...outbox.map((item) => JSON.stringify(item)));
    this.reviews.set(this.reviewKey(teamId, reviewId), review, this.retentionMs);
    this.touchIndexes(review);
    const next = await this.peek(teamId, reviewId);
    return { next, held: lock ? this.keepOrRelease(teamId, reviewId, lock, next !== null) : true };
  }

  async dropInput(teamId: string, reviewId: string, inputId: string, rememberSeconds = 0): Promise<void> {
    const key = this.reviewKey(teamId, reviewId);
    const review = this.review(teamId, reviewId);
    if (!review) return;
    review.inbox = review.inbox.filter((entry) => entry.id !== inputId);
    if (rememberSeconds > 0) {
      const seen = this.seen.get(key) ?? new Map<string, number>();
      seen.set(`id:${inputId}`, this.now() + Math.round(rememberSeconds * 1000));
      this.seen.set(key, seen);
    }
  }

  async outbox(teamId: string, reviewId: string): Promise<OutboxItem[]> {
    return (this.review(teamId, reviewId)?.outbox ?? []).map((json) => JSON.parse(json) as OutboxItem);
  }

  async outboxDone(teamId: string, reviewId: string, performed: PerformedItems): Promise<number> {
    const review = this.review(teamId, reviewId);
    if (!review) return 0;
    let removed = 0;
    for (const itemId of performed.itemIds) {
      const head = review.outbox[0];
      if (head === undefined || (JSON.parse(head) as OutboxItem).id !== itemId) break;
      review.outbox.shift();
      removed += 1;
    }
    if (performed.ref) review.refs.set(performed.ref.name, performed.ref.value);
    return removed;
  }

  /** Does nothing when the review does not exist. */
  async setRef(teamId: string, reviewId: string, ref: string, value: string): Promise<void> {
    this.review(teamId, reviewId)?.refs.set(ref, value);
  }

  async refs(teamId: string, reviewId: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.review(teamId, reviewId)?.refs ?? []);
  }

  private lock(teamId: string, reviewId: string, ttlMs: number, token: string): string | null {
    const key = this.reviewKey(teamId, reviewId);
    if (this.locks.has(key)) return null;
    this.locks.set(key, token, Math.max(1, Math.round(ttlMs)));
    return token;
  }

  /** A commit's last look: the lease goes on while inputs wait, else the lock goes (commit.lua does the same). */
  private keepOrRelease(teamId: string, reviewId: string, lock: LockRequest, inputsWait: boolean): boolean {
    const key = this.reviewKey(teamId, reviewId);
    if (this.locks.get(key) !== lock.token) return false;
    if (!inputsWait) {
      this.locks.delete(key);
      this.letGo(teamId, reviewId);
      return false;
    }
    this.locks.set(key, lock.token, Math.max(1, Math.round(lock.ttlMs)));
    return true;
  }

  lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string): Promise<LoadedReview | null>;
  lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string, only: 'work'): Promise<LoadedReview | null | 'idle'>;
  async lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string, only?: 'work'): Promise<LoadedReview | null | 'idle'> {
    if (only === 'work') {
      if (this.locks.has(this.reviewKey(teamId, reviewId))) return null;
      const review = this.review(teamId, reviewId);
      if ((review?.inbox.length ?? 0) === 0 && (review?.outbox.length ?? 0) === 0) return 'idle';
    }
    if (this.lock(teamId, reviewId, ttlMs, token) === null) return null;
    const review = this.review(teamId, reviewId);
    const takenOver = review?.holder !== undefined;
    if (review) review.holder = token;
    const [record, refs, outbox, first] = await Promise.all([this.get(teamId, reviewId), this.refs(teamId, reviewId), this.outbox(teamId, reviewId), this.peek(teamId, reviewId)]);
    return { token, record, refs, outbox, first, takenOver };
  }

  /** A holder let go of the lock (rather than its lease running out). */
  private letGo(teamId: string, reviewId: string): void {
    const review = this.review(teamId, reviewId);
    if (review) review.holder = undefined;
  }

  async unlock(teamId: string, reviewId: string, token: string, performed?: PerformedItems): Promise<number> {
    if (performed) await this.outboxDone(teamId, reviewId, performed);
    const key = this.reviewKey(teamId, reviewId);
    if (this.locks.get(key) === token) {
      this.locks.delete(key);
      this.letGo(teamId, reviewId);
    }
    return this.review(teamId, reviewId)?.inbox.length ?? 0;
  }

  async reviewsWithWork(limit: number): Promise<ReviewRef[]> {
    const found: ReviewRef[] = [];
    for (const [, review] of this.reviews.liveEntries()) {
      if (found.length >= limit) break;
      if (review.inbox.length > 0 || review.outbox.length > 0) found.push({ teamId: review.teamId, reviewId: review.reviewId });
    }
    return found;
  }

  async listByChannel(teamId: string, channelId: string, limit: number): Promise<ReviewListEntry[]> {
    return this.list((review) => review.teamId === teamId && review.placement.channelId === channelId, limit);
  }

  async listByTeam(teamId: string, limit: number): Promise<ReviewListEntry[]> {
    return this.list((review) => review.teamId === teamId, limit);
  }

  async listByTeamPerKind(teamId: string, kinds: readonly StatusKind[], limit: number, maxRead: number): Promise<ReviewListEntry[]> {
    const quota = kindQuota(kinds, limit);
    return this.list((review) => review.teamId === teamId, maxRead).filter((entry) => quota.take(entry.status));
  }

  /** Newest first; equal start times in descending id order, as a Redis sorted set reads in reverse. */
  private list(include: (review: StoredReview) => boolean, limit: number): ReviewListEntry[] {
    if (limit <= 0) return [];
    return [...this.reviews.liveEntries()]
      .map(([, review]) => review)
      .filter(include)
      .sort((a, b) => b.startScore - a.startScore || (a.reviewId < b.reviewId ? 1 : a.reviewId > b.reviewId ? -1 : 0))
      .slice(0, limit)
      .map((review) => ({ reviewId: review.reviewId, teamId: review.teamId, channelId: review.placement.channelId, ...review.fields }));
  }

  async delete(teamId: string, reviewId: string, deletion: Deletion): Promise<DeleteResult> {
    const key = this.reviewKey(teamId, reviewId);
    const review = this.reviews.get(key);
    if (!review) {
      this.forgetReview(key);
      const note = this.deletions.get(key);
      if (!note) return { outcome: 'gone' };
      return note.id === deletion.id ? deletedResult(note) : { outcome: 'gone' };
    }
    if (deletion.premise && !premiseHolds(review, deletion.premise)) return { outcome: 'changed' };
    const note: DeletionNote = { id: deletion.id, by: deletion.by, at: deletion.at, placement: jsonCopy(review.placement), refs: Object.fromEntries(review.refs) };
    this.forgetReview(key);
    this.deletions.set(key, note, DELETION_NOTE_SECONDS * 1000);
    const thread = this.threadKey(review.placement);
    if (this.threads.get(thread) === reviewId) this.threads.delete(thread);
    this.deletedThreads.set(thread, { by: deletion.by, at: deletion.at }, DELETED_THREAD_SECONDS * 1000);
    this.reminders.delete(reminderMember(teamId, reviewId));
    return deletedResult(note);
  }

  async findThreadDeletion(teamId: string, channelId: string, threadTs: string): Promise<ThreadDeletion | null> {
    const tombstone = this.deletedThreads.get(threadKey('m', teamId, channelId, threadTs));
    return tombstone ? { ...tombstone } : null;
  }

  async markDeletedThreadNote(teamId: string, channelId: string, inputId: string): Promise<boolean> {
    const key = deletedThreadNoteKey('m', teamId, channelId, inputId);
    if (this.deletedThreadNotes.has(key)) return false;
    this.deletedThreadNotes.set(key, true, DELETED_THREAD_NOTE_MARK_SECONDS * 1000);
    return true;
  }

  async findDeletion(teamId: string, reviewId: string): Promise<ThreadDeletion | null> {
    const note = this.deletions.get(this.reviewKey(teamId, reviewId));
    return note ? { by: note.by, at: note.at } : null;
  }

  /** Everything kept under a review's key, as delete.lua's DEL. */
  private forgetReview(key: string): void {
    this.reviews.delete(key);
    this.seen.delete(key);
    this.locks.delete(key);
    this.inputCounts.delete(key);
  }

  async getSettings(teamId: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.settings.get(teamId) ?? []);
  }

  async setSetting(teamId: string, name: string, value: string): Promise<void> {
    const settings = this.settings.get(teamId) ?? new Map<string, string>();
    settings.set(name, value);
    this.settings.set(teamId, settings, this.indexMs);
  }

  async getUserSettings(teamId: string, userId: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.userSettings.get(userSettingsKey('m', teamId, userId)) ?? []);
  }

  async setUserSetting(teamId: string, userId: string, name: string, value: string): Promise<void> {
    const key = userSettingsKey('m', teamId, userId);
    const settings = this.userSettings.get(key) ?? new Map<string, string>();
    settings.set(name, value);
    this.userSettings.set(key, settings, this.indexMs);
  }

  async scheduleReminder(teamId: string, reviewId: string, dueAtMs: number | null): Promise<void> {
    const member = reminderMember(teamId, reviewId);
    if (dueAtMs === null) this.reminders.delete(member);
    else this.reminders.set(member, Math.round(dueAtMs));
  }

  async claimDueReminders(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    if (limit <= 0) return [];
    const { lease, due } = dueMembers(this.reminders, nowMs, limit, leaseMs);
    const claimed: ClaimedReminder[] = [];
    for (const member of due) {
      this.reminders.set(member, lease);
      const ids = parseReminderMember(member);
      if (ids) claimed.push({ ...ids, lease });
    }
    return claimed;
  }

  async finishReminder(teamId: string, reviewId: string, lease: number): Promise<void> {
    const member = reminderMember(teamId, reviewId);
    if (this.reminders.get(member) === lease) this.reminders.delete(member);
  }

  async startJob(job: RunningJob, leaseUntilMs: number): Promise<void> {
    this.jobs.set(jobMember(job), Math.round(leaseUntilMs));
  }

  async claimStalledJobs(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const { lease, due } = dueMembers(this.jobs, nowMs, limit, leaseMs);
    const claimed: ClaimedJob[] = [];
    for (const member of due) {
      const job = parseJobMember(member);
      if (job) {
        this.jobs.set(member, lease);
        claimed.push({ ...job, lease });
      } else this.jobs.delete(member);
    }
    return claimed;
  }

  async finishJob(job: RunningJob, lease: number): Promise<void> {
    const member = jobMember(job);
    if (this.jobs.get(member) === Math.round(lease)) this.jobs.delete(member);
  }

  async noteStart(teamId: string, startId: string, start: PendingStart, mode: 'new' | 'update'): Promise<boolean> {
    const member = startMember(teamId, startId);
    if (this.starts.has(member) !== (mode === 'update')) return false;
    this.starts.set(member, jsonCopy(start));
    return true;
  }

  async clearStart(teamId: string, startId: string): Promise<void> {
    this.starts.delete(startMember(teamId, startId));
  }

  async claimLostStarts(notedBeforeMs: number, limit: number): Promise<ClaimedStart[]> {
    if (limit <= 0) return [];
    const lost = [...this.starts].filter(([, start]) => start.notedAt < notedBeforeMs).sort(([, a], [, b]) => a.notedAt - b.notedAt).slice(0, Math.floor(limit));
    const claimed: ClaimedStart[] = [];
    for (const [member, start] of lost) {
      this.starts.delete(member);
      const ids = parseStartMember(member);
      if (ids) claimed.push({ ...ids, start: jsonCopy(start) });
    }
    return claimed;
  }

  async saveInstallation(key: string, json: string): Promise<void> {
    this.installations.set(installationKey('m', key), json, this.retentionMs);
  }

  async fetchInstallation(key: string): Promise<string | null> {
    const name = installationKey('m', key);
    const json = this.installations.get(name);
    if (json === undefined) return null;
    this.installations.touch(name, this.retentionMs);
    return json;
  }

  async deleteInstallation(key: string): Promise<boolean> {
    return this.installations.delete(installationKey('m', key));
  }

  async hit(key: string, windowSeconds: number): Promise<number> {
    return this.count(rateKey('m', key), windowSeconds);
  }

  private count(counter: string, windowSeconds: number): number {
    const count = (this.counters.get(counter) ?? 0) + 1;
    // The first hit starts the window; later hits in it keep its end.
    if (!this.counters.update(counter, count)) this.counters.set(counter, count, Math.max(1, Math.ceil(windowSeconds)) * 1000);
    return count;
  }

  async hitInTurn(teamId: string, counters: readonly TeamCounter[]): Promise<number> {
    // One synchronous pass: nothing else runs in between, as in the script.
    for (const [index, counter] of counters.entries()) {
      if (this.count(teamRateKey('m', teamId, counter.name), counter.windowSeconds) > counter.limit) return index;
    }
    return -1;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
