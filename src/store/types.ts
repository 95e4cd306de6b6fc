/**
 * What the app needs from storage, and nothing more. Two implementations pass
 * one contract suite (test/store/contract.ts): RedisStore for production and
 * MemoryStore for the local playground and unit tests.
 *
 * The model: a review is a record (Slack placement + engine state) with a
 * version that increments on every change. Inputs (replies, clicks) are first
 * queued in the review's inbox, ordered by Slack's message/action timestamp
 * and deduplicated; a worker holding the review's lock takes them one at a
 * time and commits the new state in one atomic step that also removes the
 * input, with the messages still to post (the outbox). An input leaves the
 * inbox only with its commit, and the outbox only once posted, so a crash
 * anywhere in between repeats at most one message on the next drain and
 * never skips one.
 */
import type { Decision, ReviewState, ReviewStatus } from '../engine/types.js';

/** Where a review lives in Slack. Set when it starts; `leadsChannel` and `respondents` may be empty. */
export interface ReviewPlacement {
  teamId: string;
  /** Enterprise Grid org id, where present. */
  enterpriseId?: string;
  channelId: string;
  /** ts of the root message; replies in its thread belong to the review. */
  threadTs: string;
  leadsChannel?: string;
  /** When set, only these users may answer. */
  respondents?: string[];
}

export interface ReviewRecord {
  placement: ReviewPlacement;
  state: ReviewState;
  /** Increments on every committed change; commits compare it. */
  version: number;
}

/** A pending input, as queued. `seq` orders the inbox (Slack ts strings compare as numbers). */
export interface QueuedInput {
  /** Unique per input: the inbox member, e.g. "m:1700000000.000100" or "a:<action_ts>". */
  id: string;
  seq: string;
  /** JSON-serializable payload the drainer understands. */
  payload: unknown;
}

/** A message operation to perform after a commit. Opaque JSON to the store. */
export interface OutboxItem {
  id: string;
  payload: unknown;
}

export interface ReviewListEntry {
  reviewId: string;
  teamId: string;
  channelId: string;
  systemName: string;
  flowId: string;
  status: ReviewStatus;
  startedAt: string;
  updatedAt: string;
}

/** A kind of review for listByTeamPerKind: the statuses it takes in. */
export type StatusKind = readonly ReviewStatus[];

/** listByTeamPerKind's quota, shared by both stores. */
export interface KindQuota {
  /** Whether a review of this status still fits its kind; counts it if so. */
  take(status: ReviewStatus): boolean;
  /** Every kind has its `limit`: reading further would keep nothing. */
  full(): boolean;
}

export function kindQuota(kinds: readonly StatusKind[], limit: number): KindQuota {
  const kept = kinds.map(() => 0);
  return {
    take(status) {
      const kind = kinds.findIndex((statuses) => statuses.includes(status));
      if (kind < 0 || (kept[kind] ?? 0) >= limit) return false;
      kept[kind] = (kept[kind] ?? 0) + 1;
      return true;
    },
    full: () => kept.every((count) => count >= limit),
  };
}

/**
 * Outbox items a drain has performed but not yet removed: they leave the
 * outbox with its next write (commit or unlock), with the message ref
 * their post produced.
 */
export interface PerformedItems {
  itemIds: readonly string[];
  ref?: { name: string; value: string };
}

/** At most `max` inputs from `person` to one review per `windowSeconds`. */
export interface InputLimit {
  person: string;
  max: number;
  windowSeconds: number;
}

/** The lock a caller would take, with its own token (see `lockAndLoad`). */
export interface LockRequest {
  token: string;
  ttlMs: number;
}

export interface Enqueued {
  outcome: 'queued' | 'duplicate' | 'over_limit';
  /** The person's inputs to the review in this window, this one included; 0 for a duplicate. */
  count: number;
  /** When the enqueue also took the review's lock. */
  loaded?: LoadedReview;
  /**
   * The token holding the review's lock when the input was queued, when the
   * enqueue did not take it: that holder looks at the inbox again before it
   * lets go, so it applies the input.
   */
  lockHolder?: string;
}

/** A commit that went through, and the input queued next (null when the inbox is empty). */
export interface Committed {
  next: QueuedInput | null;
  /**
   * Whether the caller still holds the review's lock: always, for a commit
   * without `lock`; with it, only when an input is queued next (the lease
   * was extended) and the token still held the lock.
   */
  held: boolean;
}

/** What a drain starts from, read together with taking the review's lock. */
export interface LoadedReview {
  token: string;
  /** Null when the review does not exist (the lock is still taken: release it). */
  record: ReviewRecord | null;
  refs: Record<string, string>;
  /** Items committed but not yet performed (a crash, or a failed flush), oldest first. */
  outbox: OutboxItem[];
  /** The oldest queued input, as `peek` returns it. */
  first: QueuedInput | null;
  /**
   * The holder before never let go of the lock: its lease ran out (it died,
   * or stalled past the lease). It may have posted messages whose commit
   * never came, so the new holder looks in Slack before sending them again.
   */
  takenOver: boolean;
}

/**
 * What a person's deletion was checked against (leads/delete-review.ts):
 * the store deletes only while it still holds, in the same atomic step, so
 * a decision recorded between the check and the deletion is never lost.
 */
export interface DeletionPremise {
  /** The review's version the check read. */
  version: number;
  /** The decision the check read: it must still be this one (none: still none). */
  decision: Decision | null;
  /**
   * Queued inputs whose id starts with this are decisions on their way (a
   * lead's modal closed on them): while one is queued, the premise fails.
   */
  decisionInputPrefix?: string;
}

export interface Deletion {
  /** Names this deletion: a retry of it carries the same id, and gets the answer its first run got. */
  id: string;
  /** Who deleted the review, and when (ISO): kept in the deletion's note, for the cards that say so. */
  by: string;
  at: string;
  /** Without one, the review is deleted whatever it holds. */
  premise?: DeletionPremise;
}

/**
 * How long a deletion's note (see ReviewStore.delete) is kept: well past
 * the retries of a deletion (store-wait.ts: about 17 s), and no longer, as
 * it holds where the deleted review's messages are.
 */
export const DELETION_NOTE_SECONDS = 60 * 60;

/** Who deleted the review started in a thread, and when (ISO): all its thread's tombstone keeps. */
export interface ThreadDeletion {
  by: string;
  at: string;
}

/**
 * How long a deleted review's thread keeps its tombstone: a reply there is
 * told the review was deleted instead of vanishing. Threads stay in Slack
 * for good, but replies to one months old are rare, and each tombstone is
 * a key of its own (168 bytes in Redis 7, against 120 for the thread key it
 * replaces), so a quarter and no longer: 10,000 deletions keep about 1.7 MB.
 */
export const DELETED_THREAD_SECONDS = 90 * 24 * 60 * 60;

/**
 * How long the mark that a deleted thread's note went out for one input
 * lasts: past Slack's last retry of an event (at once, after a minute and
 * after five), so a retry of a reply or an edit is not told twice.
 */
export const DELETED_THREAD_NOTE_MARK_SECONDS = 10 * 60;

export type DeleteResult =
  /** Deleted, now or by an earlier run of this same deletion: where it was, its message references and the deletion's by and at as first stored. */
  | { outcome: 'deleted'; placement: ReviewPlacement; refs: Record<string, string>; by: string; at: string }
  /** No such review: never was, expired, or deleted by another deletion. */
  | { outcome: 'gone' }
  /** The premise no longer holds: nothing was changed. */
  | { outcome: 'changed' };

/** A review by its ids. */
export interface ReviewRef {
  teamId: string;
  reviewId: string;
}

/** What a start in progress leaves behind for the look for lost starts. */
export interface PendingStart {
  channelId: string;
  userId: string;
  systemName: string;
  enterpriseId?: string;
  /** The slash command's response_url (a start from the modal has none). */
  responseUrl?: string;
  /** When the start was noted, ms since the epoch. */
  notedAt: number;
  /** The root message's ts, once it is posted. */
  rootTs?: string;
}

/** One of a team's rate-limit counters (ReviewStore.hitInTurn). */
export interface TeamCounter {
  /** Names the counter within the team: no spaces or braces. */
  name: string;
  windowSeconds: number;
  /** The most hits its window allows. */
  limit: number;
}

export interface ClaimedStart {
  teamId: string;
  startId: string;
  start: PendingStart | null;
}

/** A background job a process runs for a review (reviews/jobs.ts). */
export interface RunningJob extends ReviewRef {
  /** The outbox item that started it: unique per job, and what its result is deduplicated by. */
  itemId: string;
  /** 1 for the first run; one more for each run after a runner died. */
  attempt: number;
  job: unknown;
}

/** A job whose runner's lease ran out, now held by the process that claimed it until `lease` (ms since the epoch). */
export interface ClaimedJob extends RunningJob {
  lease: number;
}

/** A reminder that came due, held by the worker that claimed it until `lease` (ms since the epoch). */
export interface ClaimedReminder extends ReviewRef {
  lease: number;
}

export interface ReviewStore {
  /**
   * Stores a new review (version 1) with its first outbox items and message
   * references (`refs`, as `setRef` would store them, in the same atomic
   * step), and indexes it by thread, channel and team. Safe to retry: a
   * review that exists with this placement is this create's earlier run, and
   * only its index is written again. Another review with this id is refused
   * (ReviewExistsError).
   */
  create(record: Omit<ReviewRecord, 'version'>, outbox: OutboxItem[], refs?: Record<string, string>): Promise<void>;
  get(teamId: string, reviewId: string): Promise<ReviewRecord | null>;
  /** The review started in this thread, if any. */
  findByThread(teamId: string, channelId: string, threadTs: string): Promise<string | null>;

  /**
   * Queues an input unless any of its dedupe keys was seen in the last
   * `dedupeSeconds` (Slack's retries and double deliveries). Returns false
   * for a duplicate, which changes nothing.
   */
  enqueue(teamId: string, reviewId: string, input: QueuedInput, dedupeKeys: string[], dedupeSeconds: number): Promise<boolean>;
  /**
   * `enqueue` for an input a person sent, counting their inputs to the
   * review in a fixed window: past `limit.max` in one window the input is
   * refused (nothing queued, no dedupe mark), whatever it is. Duplicates
   * are not counted. The count (this input included; 0 for a duplicate)
   * says when the limit was just passed, so the person is told once.
   * With `take`, a queued input also takes the review's lock when it is
   * free and returns what a drain starts from (as `lockAndLoad`), in the
   * same step. A queued input that did not take the lock says who held it
   * (`lockHolder`).
   */
  enqueueCounted(teamId: string, reviewId: string, input: QueuedInput, dedupeKeys: string[], dedupeSeconds: number, limit: InputLimit, take?: LockRequest): Promise<Enqueued>;
  /** The oldest queued input (lowest seq), without removing it. */
  peek(teamId: string, reviewId: string): Promise<QueuedInput | null>;
  /**
   * Atomically: if the stored version equals `expectedVersion`, stores the new
   * state (version + 1), removes `consumedInputId` from the inbox (when
   * given), removes `performed` items from the outbox head (see
   * `outboxDone`) and appends `outbox` items; then says which input is queued next
   * (as `peek` would), so a drain goes on without another read. Returns
   * false, changing nothing, when the version moved on, or when
   * `consumedInputId` is given but no longer queued (dropped meanwhile, e.g.
   * retracted after a failed save); the caller then removes `performed` itself.
   *
   * With `lock` (the holder's token and a lease), the commit is also the
   * holder's last look at the inbox, in the same step: with an input queued
   * next, the lease is extended to `lock.ttlMs` and kept; with none, the
   * lock is released (as `unlock`). `held` in the result says which.
   */
  commit(
    teamId: string,
    reviewId: string,
    expectedVersion: number,
    state: ReviewState,
    consumedInputId: string | null,
    outbox: OutboxItem[],
    performed?: PerformedItems,
    lock?: LockRequest,
  ): Promise<false | Committed>;
  /**
   * Removes an input that cannot be applied (e.g. malformed), so it does not
   * block the inbox. With `rememberSeconds`, its id also counts as seen that
   * long, so an enqueue of it that runs late (a command the client gave up
   * on) is refused.
   */
  dropInput(teamId: string, reviewId: string, inputId: string, rememberSeconds?: number): Promise<void>;

  /** Outbox items in order, oldest first. */
  outbox(teamId: string, reviewId: string): Promise<OutboxItem[]>;
  /**
   * Removes performed items from the head of the outbox, in order, each only
   * if it is the head then (another worker may have done it already), and
   * stores their ref, in the same atomic step (only while the review
   * exists). Returns how many items were removed.
   */
  outboxDone(teamId: string, reviewId: string, performed: PerformedItems): Promise<number>;

  /** Message references of the review (e.g. "q:<questionId>" → ts), for later updates. */
  setRef(teamId: string, reviewId: string, ref: string, value: string): Promise<void>;
  refs(teamId: string, reviewId: string): Promise<Record<string, string>>;

  /**
   * A short lease on the review so one worker drains it at a time, taken
   * with `token` (the caller's own, so that it can still release a lease
   * whose call failed on its side but ran anyway), and, in the same step,
   * everything a drain starts from (see LoadedReview). Null when another
   * worker holds the lock.
   *
   * With `'work'`, a free lock is taken only when the review has something
   * for a drain to do (an input queued or an item in its outbox); 'idle'
   * when it has not, with nothing changed. A replica that queued an input
   * while another held the lock looks again this way: the holder applied
   * it before letting go, so the look costs no lock, no read and no unlock.
   */
  lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string): Promise<LoadedReview | null>;
  lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string, only: 'work'): Promise<LoadedReview | null | 'idle'>;
  /**
   * Releases the lock if `token` still holds it, removes `performed` items
   * (as `outboxDone`, whether or not the token still held the lock), and
   * returns how many inputs are queued at that moment: a holder that sees
   * some goes round again.
   */
  unlock(teamId: string, reviewId: string, token: string, performed?: PerformedItems): Promise<number>;

  /**
   * Reviews with an input queued or an outbox item unsent, at most `limit`,
   * in no particular order: where a process that died mid-step left work
   * (see reviews/resume-sweep.ts). A review another replica is serving at
   * this moment may be among them; draining it again does no harm.
   */
  reviewsWithWork(limit: number): Promise<ReviewRef[]>;

  listByChannel(teamId: string, channelId: string, limit: number): Promise<ReviewListEntry[]>;
  listByTeam(teamId: string, limit: number): Promise<ReviewListEntry[]>;
  /**
   * The team's reviews newest first, as listByTeam, keeping up to `limit` of
   * each kind (a group of statuses; a review of no group is skipped), so many
   * reviews of one kind (cancelled ones) do not crowd out the others. Reads
   * at most `maxRead` entries of the team's index, whatever it holds: a kind
   * found less often than that comes back with fewer than `limit`.
   */
  listByTeamPerKind(teamId: string, kinds: readonly StatusKind[], limit: number, maxRead: number): Promise<ReviewListEntry[]>;
  /**
   * Removes the review and every key and index entry that points to it, in
   * one atomic step with the check of `deletion.premise` (when given): a
   * premise that no longer holds ('changed') changes nothing. Leaves a note
   * of the deletion for DELETION_NOTE_SECONDS, so that the same deletion run
   * again (its answer lost, or a later step of it failed) answers as the
   * first run did and completes its index removal; another deletion of a
   * deleted review answers 'gone', completing it too.
   */
  delete(teamId: string, reviewId: string, deletion: Deletion): Promise<DeleteResult>;
  /**
   * Who deleted the review started in this thread, and when, for
   * DELETED_THREAD_SECONDS after its deletion (which leaves the thread this
   * tombstone, and nothing of what the review held); null when no review of
   * the thread was deleted in that time.
   */
  findThreadDeletion(teamId: string, channelId: string, threadTs: string): Promise<ThreadDeletion | null>;
  /**
   * Takes the mark that the person who sent `inputId` (m:<ts> for a message,
   * edit:<ts>:<edited ts>) in a deleted review's thread is being told of the
   * deletion, for DELETED_THREAD_NOTE_MARK_SECONDS: true for the first
   * caller, false while the mark stands (a retry of the same event, or the
   * same message delivered again).
   */
  markDeletedThreadNote(teamId: string, channelId: string, inputId: string): Promise<boolean>;
  /**
   * Who deleted the review, and when, from its deletion's note (kept
   * DELETION_NOTE_SECONDS): written in the deletion's own atomic step, so a
   * drain that reads it after writing a message's ref learns whether the
   * deletion saw that ref (see reviews/outbox.ts, markIfDeleted). Null while
   * the review is not deleted.
   */
  findDeletion(teamId: string, reviewId: string): Promise<ThreadDeletion | null>;

  /** Per-team settings (e.g. the leads' channel chosen with `/alignment-review config`). */
  getSettings(teamId: string): Promise<Record<string, string>>;
  setSetting(teamId: string, name: string, value: string): Promise<void>;

  /** Per-person settings within a team (e.g. App Home filters); they expire like the team's settings. */
  getUserSettings(teamId: string, userId: string): Promise<Record<string, string>>;
  setUserSetting(teamId: string, userId: string, name: string, value: string): Promise<void>;

  /**
   * When an active review is due a reminder (ms since the epoch), or null to
   * drop its reminder (paused, finished). One time per review: a new one
   * replaces the old. `delete` drops it too.
   */
  scheduleReminder(teamId: string, reviewId: string, dueAtMs: number | null): Promise<void>;
  /**
   * Atomically takes up to `limit` reminders due at `nowMs`, oldest first, and
   * pushes each to `nowMs + leaseMs`: no other worker gets it while the lease
   * runs, and it comes back once the lease runs out (a worker that crashed).
   */
  claimDueReminders(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedReminder[]>;
  /** Drops a claimed reminder, unless it was rescheduled after the claim (its time is no longer `lease`). */
  finishReminder(teamId: string, reviewId: string, lease: number): Promise<void>;

  /**
   * Notes a background job as running until `leaseUntilMs` (ms since the
   * epoch): should its process die, claimStalledJobs hands it to another.
   */
  startJob(job: RunningJob, leaseUntilMs: number): Promise<void>;
  /**
   * Atomically takes up to `limit` jobs whose lease ran out by `nowMs`,
   * oldest first, each leased to the caller until `nowMs + leaseMs`.
   */
  claimStalledJobs(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedJob[]>;
  /** Drops a job once it has run, unless another process claimed it since (its lease is no longer `lease`). */
  finishJob(job: RunningJob, lease: number): Promise<void>;

  /**
   * Slack app installations (OAuth, many workspaces) by key (a team or
   * enterprise id), as JSON. Each is kept for the retention period after it
   * was last saved or fetched.
   */
  saveInstallation(key: string, json: string): Promise<void>;
  fetchInstallation(key: string): Promise<string | null>;
  /** Resolves true when there was one to delete (a single DEL: two callers at once never both see it). */
  deleteInstallation(key: string): Promise<boolean>;

  /**
   * A review on its way to being started (see reviews/lost-starts.ts): noted
   * before Slack is acknowledged, noted again with its root message once
   * that is posted, cleared when the start is done or the person was told
   * why not. 'new' notes it only if it is not noted yet (a replay of the
   * same request must not take over the first one's note); 'update'
   * replaces the note only while it is still there (not claimed or cleared
   * meanwhile). Resolves whether it was written.
   */
  noteStart(teamId: string, startId: string, start: PendingStart, mode: 'new' | 'update'): Promise<boolean>;
  /**
   * Removes a start's note. Rejects when the store cannot be reached; the
   * note is then still removed as soon as it can be, and this store's
   * claims never return it: its person was told already.
   */
  clearStart(teamId: string, startId: string): Promise<void>;
  /**
   * Atomically takes up to `limit` starts noted before `notedBeforeMs`,
   * oldest first, and clears them: each is taken once, by one replica.
   * `start` is null when its record expired meanwhile.
   */
  claimLostStarts(notedBeforeMs: number, limit: number): Promise<ClaimedStart[]>;

  /** Fixed-window counter for rate limits: returns the count after this hit. */
  hit(key: string, windowSeconds: number): Promise<number>;
  /**
   * Hits a team's fixed-window counters in turn, stopping at the first that
   * goes over its limit (those after it are not counted), in one atomic
   * step. Resolves to that counter's index, or -1 when none went over.
   */
  hitInTurn(teamId: string, counters: readonly TeamCounter[]): Promise<number>;

  /** Answers when the backing service does (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
