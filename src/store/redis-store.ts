/**
 * ReviewStore on Redis (standalone, Sentinel or Cluster). Each atomic step is
 * one Lua script (src/store/lua/); key names come from keys.ts. The store
 * does not open its connection (see redis-connection.ts) but closes it in
 * `close()`, as the app's shutdown expects.
 *
 * Failures are never swallowed: a dropped connection rejects the call, so the
 * caller can tell the person their answer was not saved.
 */
import type { Cluster, Redis } from 'ioredis';
import { z } from 'zod';
import type { ReviewState } from '../engine/types.js';
import type { ClaimedJob, ClaimedReminder, ClaimedStart, Committed, DeleteResult, Deletion, Enqueued, InputLimit, LoadedReview, LockRequest, OutboxItem, PendingStart, PerformedItems, QueuedInput, ReviewListEntry, ReviewRecord, ReviewRef, ReviewStore, RunningJob, TeamCounter } from './types.js';
import { DELETED_THREAD_NOTE_MARK_SECONDS, DELETED_THREAD_SECONDS, DELETION_NOTE_SECONDS, type ThreadDeletion } from './types.js';
import {
  decisionMark,
  deletionNoteSchema,
  listFieldsOf,
  listFieldsSchema,
  packState,
  parseJson,
  parseOutboxItem,
  parsePendingStart,
  parsePlacement,
  parseQueuedInput,
  refsSchema,
  seqScore,
  startScore,
  unpackState,
} from './codec.js';
import { ReplicaWaitError, ReviewExistsError, StoreDataError } from './errors.js';
import {
  channelListKey,
  deletedThreadKey,
  deletedThreadNoteKey,
  installationKey,
  jobMember,
  jobsKey,
  parseJobMember,
  parseReminderMember,
  parseStartMember,
  rateKey,
  teamRateKey,
  reminderMember,
  remindersKey,
  startKey,
  startMember,
  startsKey,
  reviewKeyList,
  reviewKeys,
  reviewOfWorkKey,
  teamKeys,
  threadKey,
  userSettingsKey,
  workKeyPattern,
  type ReviewKeys,
} from './keys.js';
import { registerScripts, type StoreScripts } from './scripts.js';
import type { ReviewPlacement } from './types.js';
import { kindQuota, type StatusKind } from './types.js';

export interface RedisStoreOptions {
  redis: Redis | Cluster;
  /** Prefix of every key; lets several apps or test runs share one Redis. */
  prefix?: string;
  /** How long a review's keys live after its last change. */
  retentionDays: number;
  /** Clock in ms (tests inject one); used for update times and dedupe windows. */
  now?: () => number;
  /**
   * With a primary and replicas (Sentinel, most managed Redis): the writes
   * that hold what people sent (queueing an input, a commit, a new review,
   * a retraction) count only once this many replicas confirm them (WAIT),
   * so a failover cannot take back a write the app went on from. Not on a
   * Cluster, where WAIT would reach a random node.
   */
  waitReplicas?: { count: number; timeoutMs: number };
}

const DAY_SECONDS = 86_400;
/**
 * Index keys (thread lookup, lists, settings) outlive the reviews in them by
 * this margin, and a commit refreshes them at most this often: a busy review
 * costs one extra round trip a day, and its index never expires before it.
 */
const INDEX_REFRESH_MS = DAY_SECONDS * 1000;

/** A start's record outlives any start (Slack's retries give up within a minute), and the look that finds it lost. */
const START_RECORD_SECONDS = 24 * 60 * 60;
const claimReply = z.array(z.string()).min(1);



const held = z.union([z.literal(0), z.literal(1)]);
const commitReply = z.union([z.tuple([z.literal(0)]), z.tuple([z.literal(1), z.string().nullable(), held]), z.tuple([z.literal(1), z.string().nullable(), held, z.string()])]);

const nullableBuffer = z.instanceof(Buffer).nullable();
/** loadReview's reply (src/store/lua/include/load-review.lua). */
const loadedReply = z.tuple([nullableBuffer, nullableBuffer, nullableBuffer, z.array(z.instanceof(Buffer)), z.array(z.instanceof(Buffer)), nullableBuffer, z.union([z.literal(0), z.literal(1)])]);
const lockAndLoadReply = loadedReply.nullable();
const enqueueReply = z.union([
  z.tuple([z.union([z.literal(0), z.literal(2)]), z.number().int()]),
  z.tuple([z.literal(1), z.number().int(), loadedReply]),
  z.tuple([z.literal(1), z.number().int(), nullableBuffer]),
]);

/** delete.lua's reply: {0} or {3}, or the status with the deletion's note (by and at, placement, refs). */
const deleteReply = z.union([z.tuple([z.union([z.literal(0), z.literal(3)])]), z.tuple([z.union([z.literal(1), z.literal(2)]), z.string(), z.string(), z.string()])]);

const NOTHING_PERFORMED: PerformedItems = { itemIds: [] };

/** Performed items as every script takes them (include/remove-performed.lua): ref name ("" for none), ref value, count, ids. */
function performedArgs(performed: PerformedItems): Array<string | number> {
  return [performed.ref?.name ?? '', performed.ref?.value ?? '', performed.itemIds.length, ...performed.itemIds];
}

/** A record from the state hash's v, s and p fields, or null when any is missing (no such review). */
function recordOf(version: Buffer | null | undefined, state: Buffer | null | undefined, placement: Buffer | null | undefined): ReviewRecord | null {
  if (!version || !state || !placement) return null;
  return {
    placement: parsePlacement(placement.toString('utf8')),
    state: unpackState(state),
    version: Number(version.toString('utf8')),
  };
}

/**
 * States this process committed last, by review: a drain that takes the
 * review's lock at the same version gets no state from Redis (up to about
 * 13 KB of JSON while a review is open) and skips parsing it. A few dozen busy reviews at a time
 * fit; the oldest entry goes first.
 */
const KNOWN_STATES = 64;

/** Keys SCAN looks at per call while looking for reviews with work left: about 1 ms of Redis time each (bench/resume-sweep.ts). */
const SCAN_COUNT = 1000;

/**
 * A write the app gives up on must not run later (see refuse-if-late.lua):
 * its deadline is this long before the connection's command timeout, time
 * for Redis's answer to come back before the app stops waiting for it.
 */
const DEADLINE_MARGIN_MS = 300;
/** Redis's clock is read again when its offset is older than this. */
const CLOCK_READ_EVERY_MS = 60_000;
/** A reading whose answer took longer says too little about when Redis read its clock (it is off by half of this at most). */
const CLOCK_READ_MAX_MS = 200;
/** After a reading too slow to keep, while none is kept, the next one comes this much later. */
const CLOCK_READ_AGAIN_MS = 1000;

/** How often clears of start notes that failed are tried again, while there are any. */
const START_CLEAR_RETRY_MS = 2000;
/** At most this many failed clears are remembered (one per start during an outage). */
const MAX_STARTS_TO_CLEAR = 10_000;

export class RedisStore implements ReviewStore {
  private readonly known = new Map<string, { version: number; state: ReviewState }>();
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;
  private readonly retentionSeconds: number;
  private readonly indexSeconds: number;
  private readonly now: () => number;
  private readonly scripts: StoreScripts;
  private readonly waitReplicas?: { count: number; timeoutMs: number };
  /**
   * Start notes (their members) whose clear failed, the store being away: a
   * person already told about their start must not be told again by a look
   * for lost starts. Tried again every START_CLEAR_RETRY_MS while any are
   * left, which reaches Redis moments after it is back, before other
   * replicas' looks come round; and this store's own claims drop them.
   */
  private readonly startsToClear = new Set<string>();
  private startClearTimer: NodeJS.Timeout | undefined;
  /** The connection's command timeout: how long the app waits for a command before it gives up on it (none: no deadlines). */
  private readonly commandTimeoutMs: number | undefined;
  /** How far Redis's clock is ahead of this process's (ms), and when that was read (this process's ms). */
  private clock: { offsetMs: number; readAt: number } | undefined;
  private clockReading = false;

  constructor(options: RedisStoreOptions) {
    if (!(options.retentionDays > 0)) throw new Error(`retentionDays must be positive, got ${options.retentionDays}`);
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'ar';
    this.retentionSeconds = Math.ceil(options.retentionDays * DAY_SECONDS);
    this.indexSeconds = this.retentionSeconds + DAY_SECONDS;
    this.now = options.now ?? Date.now;
    this.scripts = registerScripts(this.redis);
    const commandTimeoutMs = this.redis.isCluster ? (this.redis as Cluster).options.redisOptions?.commandTimeout : (this.redis as Redis).options.commandTimeout;
    // A timeout too short to leave the margin gets no deadline: every write would be refused.
    this.commandTimeoutMs = commandTimeoutMs !== undefined && commandTimeoutMs > 2 * DEADLINE_MARGIN_MS ? commandTimeoutMs : undefined;
    if (this.commandTimeoutMs !== undefined) {
      // Read once the connection is up (a reading that waited for the connection says nothing), and again after each reconnect.
      this.redis.on('ready', () => this.readClock());
      if (this.redis.status === 'ready') this.readClock();
    }
    if (options.waitReplicas && options.waitReplicas.count > 0) {
      if (this.redis.isCluster) throw new Error('Waiting for replicas (WAIT) is not supported on a Redis Cluster');
      this.waitReplicas = options.waitReplicas;
    }
  }

  /**
   * `write` as a durable write: with waitReplicas, a WAIT follows it on the
   * same connection (so it covers it, in the same round trip) and too few
   * confirmations reject. Call it right after starting the write.
   */
  private durable<T>(write: Promise<T>): Promise<T> {
    const wanted = this.waitReplicas;
    // Without it, the write as it is: no extra promise on the reply path.
    if (!wanted) return write;
    const confirmation = (this.redis as Redis).wait(wanted.count, wanted.timeoutMs);
    return Promise.all([write, confirmation]).then(([result, confirmed]) => {
      if (confirmed < wanted.count) throw new ReplicaWaitError(wanted.count, confirmed, wanted.timeoutMs);
      return result;
    });
  }

  /** Reads Redis's clock (TIME) in the background, keeping its offset from this process's when the answer came fast. */
  private readClock(): void {
    if (this.clockReading) return;
    this.clockReading = true;
    const sentAt = Date.now();
    this.redis
      .time()
      .then(
        ([seconds, micros]) => {
          const answeredAt = Date.now();
          if (answeredAt - sentAt > CLOCK_READ_MAX_MS) {
            if (!this.clock) setTimeout(() => this.readClock(), CLOCK_READ_AGAIN_MS).unref();
            return;
          }
          this.clock = { offsetMs: Number(seconds) * 1000 + Number(micros) / 1000 - (sentAt + answeredAt) / 2, readAt: answeredAt };
        },
        // Redis away: no deadline until it answers again (see deadline).
        () => undefined,
      )
      .finally(() => {
        this.clockReading = false;
      });
  }

  /**
   * The moment, in Redis's clock, after which the app will have given up on
   * a command sent now, for the scripts that refuse to run late; "" (no
   * deadline) while Redis's clock is not known or the connection never gives up.
   */
  private deadline(): string {
    if (this.commandTimeoutMs === undefined) return '';
    const now = Date.now();
    if (!this.clock || now - this.clock.readAt > CLOCK_READ_EVERY_MS) this.readClock();
    return this.clock ? String(Math.floor(now + this.clock.offsetMs + this.commandTimeoutMs - DEADLINE_MARGIN_MS)) : '';
  }

  private keys(teamId: string, reviewId: string): ReviewKeys {
    return reviewKeys(this.prefix, teamId, reviewId);
  }

  /** The team-slot keys that point at a review, in the order index-add.lua and index-touch.lua take them. */
  private indexKeys(placement: ReviewPlacement): [thread: string, channelList: string, teamList: string, settings: string] {
    const team = teamKeys(this.prefix, placement.teamId);
    return [
      threadKey(this.prefix, placement.teamId, placement.channelId, placement.threadTs),
      channelListKey(this.prefix, placement.teamId, placement.channelId),
      team.all,
      team.settings,
    ];
  }

  async create(record: Omit<ReviewRecord, 'version'>, outbox: OutboxItem[], refs: Record<string, string> = {}): Promise<void> {
    const { placement, state } = record;
    const now = this.now();
    const refArgs = Object.entries(refs).flat();
    const created = await this.durable(
      this.scripts.create(reviewKeyList(this.keys(placement.teamId, state.id)), [
        packState(state),
        JSON.stringify(placement),
        JSON.stringify(listFieldsOf(state, new Date(now).toISOString())),
        this.retentionSeconds,
        now,
        this.deadline(),
        refArgs.length,
        ...refArgs,
        ...outbox.map((item) => JSON.stringify(item)),
      ]),
    );
    if (created === 0) throw new ReviewExistsError(placement.teamId, state.id);
    // 2: a retry whose first run was stored; its index may not have been.
    if (created === 1) this.remember(placement.teamId, state.id, 1, state);
    // A separate script: the index keys are in the team's cluster slot, not the review's.
    // Should this step fail, the call rejects; retried, the create finds its review and
    // writes the index again (both are idempotent).
    await this.scripts.indexAdd(this.indexKeys(placement), [state.id, startScore(state, now), this.indexSeconds]);
  }

  async get(teamId: string, reviewId: string): Promise<ReviewRecord | null> {
    const [version, state, placement] = await this.redis.hmgetBuffer(this.keys(teamId, reviewId).state, 'v', 's', 'p');
    return recordOf(version, state, placement);
  }

  async findByThread(teamId: string, channelId: string, threadTs: string): Promise<string | null> {
    return this.redis.get(threadKey(this.prefix, teamId, channelId, threadTs));
  }

  /** Also returns false when the review does not exist (nothing to queue into). */
  async enqueue(teamId: string, reviewId: string, input: QueuedInput, dedupeKeys: string[], dedupeSeconds: number): Promise<boolean> {
    return (await this.runEnqueue(teamId, reviewId, input, dedupeKeys, dedupeSeconds)).outcome === 'queued';
  }

  enqueueCounted(teamId: string, reviewId: string, input: QueuedInput, dedupeKeys: string[], dedupeSeconds: number, limit: InputLimit, take?: LockRequest) {
    return this.runEnqueue(teamId, reviewId, input, dedupeKeys, dedupeSeconds, limit, take);
  }

  private async runEnqueue(
    teamId: string,
    reviewId: string,
    input: QueuedInput,
    dedupeKeys: string[],
    dedupeSeconds: number,
    limit?: InputLimit,
    take?: LockRequest,
  ): Promise<Enqueued> {
    const keys = this.keys(teamId, reviewId);
    const known = take ? this.known.get(`${teamId}\u0000${reviewId}`) : undefined;
    const reply = await this.durable(
      this.scripts.enqueue(
        [keys.state, keys.inbox, keys.inputs, keys.seen, keys.rate, keys.lock, keys.refs, keys.outbox],
        [
          input.id,
          seqScore(input.seq),
          JSON.stringify(input),
          this.now(),
          Math.max(0, Math.round(dedupeSeconds * 1000)),
          this.retentionSeconds,
          limit?.person ?? '',
          limit?.max ?? 0,
          Math.max(1, Math.round((limit?.windowSeconds ?? 1) * 1000)),
          take?.token ?? '',
          Math.max(1, Math.round(take?.ttlMs ?? 1)),
          known ? String(known.version) : '',
          ...dedupeKeys,
        ],
      ),
    );
    const parsed = enqueueReply.safeParse(reply);
    if (!parsed.success) throw new StoreDataError('enqueue returned an unexpected reply');
    const [status, count, third] = parsed.data;
    if (status !== 1) return { outcome: status === 2 ? 'over_limit' : 'duplicate', count };
    if (Array.isArray(third) && take) return { outcome: 'queued', count, loaded: this.loadedFrom(teamId, reviewId, take.token, third) };
    return Buffer.isBuffer(third) ? { outcome: 'queued', count, lockHolder: third.toString('utf8') } : { outcome: 'queued', count };
  }

  async peek(teamId: string, reviewId: string): Promise<QueuedInput | null> {
    const keys = this.keys(teamId, reviewId);
    const json = await this.scripts.peek([keys.inbox, keys.inputs], []);
    if (json === null) return null;
    if (typeof json !== 'string') throw new StoreDataError('peek returned a non-string reply');
    return parseQueuedInput(json);
  }

  async commit(
    teamId: string,
    reviewId: string,
    expectedVersion: number,
    state: ReviewState,
    consumedInputId: string | null,
    outbox: OutboxItem[],
    performed: PerformedItems = NOTHING_PERFORMED,
    lock?: LockRequest,
  ): Promise<false | Committed> {
    const keys = this.keys(teamId, reviewId);
    const now = this.now();
    const reply = await this.durable(
      this.scripts.commit(
        [keys.state, keys.inbox, keys.inputs, keys.outbox, keys.refs, keys.rate, keys.lock],
        [
          expectedVersion,
          packState(state),
          JSON.stringify(listFieldsOf(state, new Date(now).toISOString())),
          consumedInputId ?? '',
          this.retentionSeconds,
          now,
          INDEX_REFRESH_MS,
          state.status === 'active' ? '1' : '0',
          lock?.token ?? '',
          lock ? Math.max(1, Math.round(lock.ttlMs)) : 0,
          decisionMark(state.decision),
          ...performedArgs(performed),
          ...outbox.map((item) => JSON.stringify(item)),
        ],
      ),
    );
    const result = commitReply.safeParse(reply);
    if (!result.success) throw new StoreDataError(`commit returned an unexpected reply: ${JSON.stringify(reply)}`);
    const [committed, nextJson, stillHeld, placementJson] = result.data;
    if (committed !== 1) return false;
    this.remember(teamId, reviewId, expectedVersion + 1, state);
    // Once a day: keep the index keys alive as long as the review. Should this fail, the call
    // rejects although the commit stands; a retry finds the version moved on, which is safe.
    if (placementJson !== undefined) {
      await this.scripts.indexTouch(this.indexKeys(parsePlacement(placementJson)), [this.indexSeconds]);
    }
    return { next: nextJson ? parseQueuedInput(nextJson) : null, held: stillHeld === 1 };
  }

  async dropInput(teamId: string, reviewId: string, inputId: string, rememberSeconds = 0): Promise<void> {
    const keys = this.keys(teamId, reviewId);
    await this.durable(this.scripts.dropInput([keys.inbox, keys.inputs, keys.seen], [inputId, this.now(), Math.max(0, Math.round(rememberSeconds * 1000))]));
  }

  async outbox(teamId: string, reviewId: string): Promise<OutboxItem[]> {
    const items = await this.redis.lrange(this.keys(teamId, reviewId).outbox, 0, -1);
    return items.map(parseOutboxItem);
  }

  async outboxDone(teamId: string, reviewId: string, performed: PerformedItems): Promise<number> {
    if (performed.itemIds.length === 0 && !performed.ref) return 0;
    const keys = this.keys(teamId, reviewId);
    return Number(await this.scripts.outboxDone([keys.outbox, keys.refs, keys.state], [this.retentionSeconds, ...performedArgs(performed)]));
  }

  /** Does nothing when the review does not exist. */
  async setRef(teamId: string, reviewId: string, ref: string, value: string): Promise<void> {
    const keys = this.keys(teamId, reviewId);
    await this.scripts.setRef([keys.refs, keys.state], [ref, value, this.retentionSeconds]);
  }

  async refs(teamId: string, reviewId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys(teamId, reviewId).refs);
  }


  lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string): Promise<LoadedReview | null>;
  lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string, only: 'work'): Promise<LoadedReview | null | 'idle'>;
  async lockAndLoad(teamId: string, reviewId: string, ttlMs: number, token: string, only?: 'work'): Promise<LoadedReview | null | 'idle'> {
    const keys = this.keys(teamId, reviewId);
    const known = this.known.get(`${teamId}\u0000${reviewId}`);
    const reply = await this.scripts.lockAndLoad(
      [keys.lock, keys.state, keys.refs, keys.outbox, keys.inbox, keys.inputs],
      [token, Math.max(1, Math.round(ttlMs)), known ? String(known.version) : '', only === 'work' ? '1' : ''],
    );
    if (reply === 0 && only === 'work') return 'idle';
    const parsed = lockAndLoadReply.safeParse(reply);
    if (!parsed.success) throw new StoreDataError('lock-and-load returned an unexpected reply');
    return parsed.data === null ? null : this.loadedFrom(teamId, reviewId, token, parsed.data);
  }

  /** A drain's starting point from loadReview's reply, the state taken from this store's own copy when Redis left it out. */
  private loadedFrom(teamId: string, reviewId: string, token: string, reply: z.infer<typeof loadedReply>): LoadedReview {
    const knownKey = `${teamId}\u0000${reviewId}`;
    const known = this.known.get(knownKey);
    const [versionBytes, packed, placementBytes, refList, outbox, first, takenOver] = reply;
    const refs: Record<string, string> = {};
    for (let i = 0; i + 1 < refList.length; i += 2) refs[refList[i]!.toString('utf8')] = refList[i + 1]!.toString('utf8');
    let record: ReviewRecord | null = null;
    if (versionBytes && placementBytes) {
      const version = Number(versionBytes.toString('utf8'));
      const state = packed ? unpackState(packed) : known?.version === version ? known.state : null;
      if (!state) throw new StoreDataError('the review was read without its state');
      record = { placement: parsePlacement(placementBytes.toString('utf8')), state, version };
      this.remember(teamId, reviewId, version, state);
    } else {
      this.known.delete(knownKey);
    }
    return {
      token,
      record,
      refs,
      outbox: outbox.map((item) => parseOutboxItem(item.toString('utf8'))),
      first: first ? parseQueuedInput(first.toString('utf8')) : null,
      takenOver: takenOver === 1,
    };
  }

  /** Keeps the state of a review at a version for the next lockAndLoad (the engine never changes a state in place). */
  private remember(teamId: string, reviewId: string, version: number, state: ReviewState): void {
    const key = `${teamId}\u0000${reviewId}`;
    this.known.delete(key);
    this.known.set(key, { version, state });
    if (this.known.size > KNOWN_STATES) this.known.delete(this.known.keys().next().value!);
  }

  async unlock(teamId: string, reviewId: string, token: string, performed: PerformedItems = NOTHING_PERFORMED): Promise<number> {
    const keys = this.keys(teamId, reviewId);
    return Number(await this.scripts.unlock([keys.lock, keys.inbox, keys.outbox, keys.refs, keys.state], [token, this.retentionSeconds, ...performedArgs(performed)]));
  }

  listByChannel(teamId: string, channelId: string, limit: number): Promise<ReviewListEntry[]> {
    return this.list(teamId, channelListKey(this.prefix, teamId, channelId), limit);
  }

  listByTeam(teamId: string, limit: number): Promise<ReviewListEntry[]> {
    return this.list(teamId, teamKeys(this.prefix, teamId).all, limit);
  }

  /**
   * Newest first, from the index zset plus each review's small list fields.
   * Ids whose review has expired are dropped from the index on the way.
   */
  private async list(teamId: string, indexKey: string, limit: number): Promise<ReviewListEntry[]> {
    const entries: ReviewListEntry[] = [];
    const listed = new Set<string>();
    const batch = Math.max(limit, 10);
    let offset = 0;
    while (entries.length < limit) {
      const page = await this.listPage(teamId, indexKey, offset, batch);
      for (const entry of page.entries) {
        if (listed.has(entry.reviewId)) continue;
        listed.add(entry.reviewId);
        entries.push(entry);
      }
      if (page.read < batch) break;
      offset += page.read - page.gone;
    }
    return entries.slice(0, limit);
  }

  /**
   * As list, with a quota per kind, and a bound on the index entries read
   * (one small HMGET each) rather than on the entries kept: a team whose
   * newest reviews are all of one kind costs `maxRead` reads, not a walk of
   * its whole index.
   */
  async listByTeamPerKind(teamId: string, kinds: readonly StatusKind[], limit: number, maxRead: number): Promise<ReviewListEntry[]> {
    const indexKey = teamKeys(this.prefix, teamId).all;
    const quota = kindQuota(kinds, limit);
    const entries: ReviewListEntry[] = [];
    const listed = new Set<string>();
    let offset = 0;
    for (let read = 0; read < maxRead && !quota.full(); ) {
      const batch = Math.min(Math.max(limit, 10), maxRead - read);
      const page = await this.listPage(teamId, indexKey, offset, batch);
      for (const entry of page.entries) {
        if (listed.has(entry.reviewId)) continue;
        listed.add(entry.reviewId);
        if (quota.take(entry.status)) entries.push(entry);
      }
      if (page.read < batch) break;
      read += page.read;
      offset += page.read - page.gone;
    }
    return entries;
  }

  /** One page of an index, newest first: the entries of the reviews still there; those gone are dropped from the index. */
  private async listPage(teamId: string, indexKey: string, offset: number, count: number): Promise<{ entries: ReviewListEntry[]; read: number; gone: number }> {
    const ids = await this.redis.zrevrange(indexKey, offset, offset + count - 1);
    // One command per review: they sit in different cluster slots, so no multi-key command can fetch them together.
    const rows = await Promise.all(ids.map((id) => this.redis.hmget(this.keys(teamId, id).state, 'e', 'p')));
    const entries: ReviewListEntry[] = [];
    const gone: string[] = [];
    ids.forEach((reviewId, i) => {
      const [fields, placement] = rows[i] ?? [];
      if (!fields || !placement) {
        gone.push(reviewId);
        return;
      }
      entries.push({ reviewId, teamId, channelId: parsePlacement(placement).channelId, ...parseJson(listFieldsSchema, fields, 'list fields') });
    });
    if (gone.length > 0) await this.redis.zrem(indexKey, ...gone);
    return { entries, read: ids.length, gone: gone.length };
  }

  async delete(teamId: string, reviewId: string, deletion: Deletion): Promise<DeleteResult> {
    this.known.delete(`${teamId}\u0000${reviewId}`);
    const keys = this.keys(teamId, reviewId);
    const { premise } = deletion;
    const reply = await this.scripts.delete(
      [...reviewKeyList(keys), keys.deleted],
      [
        this.deadline(),
        deletion.id,
        JSON.stringify({ by: deletion.by, at: deletion.at }),
        DELETION_NOTE_SECONDS,
        premise ? '1' : '',
        premise?.version ?? '',
        premise ? decisionMark(premise.decision) : '',
        premise?.decisionInputPrefix ?? '',
      ],
    );
    const parsed = deleteReply.safeParse(reply);
    if (!parsed.success) throw new StoreDataError(`delete returned an unexpected reply: ${JSON.stringify(reply)}`);
    const [status, byAndAt, placementJson, refsJson] = parsed.data;
    if (status === 0) return { outcome: 'gone' };
    if (status === 3) return { outcome: 'changed' };
    const placement = parsePlacement(placementJson!);
    // Every time, not only the first: a run whose index removal failed is finished by the next (the note is still there).
    await this.removeFromIndexes(teamId, reviewId, placement, byAndAt!);
    if (status === 2) return { outcome: 'gone' };
    return { outcome: 'deleted', placement, refs: parseJson(refsSchema, refsJson!, 'refs of a deleted review'), ...parseJson(deletionNoteSchema, byAndAt!, 'deletion note') };
  }

  /**
   * A separate step: the index entries are in the team's cluster slot, and the reminder in its own, which the delete script may not touch.
   * The thread's tombstone goes first: a reply read between the two finds the thread key, then the review gone and the tombstone there.
   */
  private async removeFromIndexes(teamId: string, reviewId: string, placement: ReviewPlacement, byAndAt: string): Promise<void> {
    await this.leaveThreadTombstone(placement, byAndAt);
    const [thread, channelList, teamList] = this.indexKeys(placement);
    await this.scripts.indexRemove([thread, channelList, teamList], [reviewId]);
    await this.scheduleReminder(teamId, reviewId, null);
  }

  /**
   * The deletion's by and at, as its note keeps them, under the thread's own key: nothing else of the review, as a
   * deletion is meant to remove what it held. Written again by each run of the deletion, with the same words.
   */
  private async leaveThreadTombstone(placement: ReviewPlacement, byAndAt: string): Promise<void> {
    const key = deletedThreadKey(this.prefix, placement.teamId, placement.channelId, placement.threadTs);
    await this.redis.set(key, byAndAt, 'EX', DELETED_THREAD_SECONDS);
  }

  async findThreadDeletion(teamId: string, channelId: string, threadTs: string): Promise<ThreadDeletion | null> {
    const byAndAt = await this.redis.get(deletedThreadKey(this.prefix, teamId, channelId, threadTs));
    return byAndAt === null ? null : parseJson(deletionNoteSchema, byAndAt, 'deleted thread');
  }

  async markDeletedThreadNote(teamId: string, channelId: string, inputId: string): Promise<boolean> {
    const taken = await this.redis.set(deletedThreadNoteKey(this.prefix, teamId, channelId, inputId), '1', 'EX', DELETED_THREAD_NOTE_MARK_SECONDS, 'NX');
    return taken === 'OK';
  }

  async findDeletion(teamId: string, reviewId: string): Promise<ThreadDeletion | null> {
    const byAndAt = await this.redis.hget(this.keys(teamId, reviewId).deleted, 'd');
    return byAndAt === null ? null : parseJson(deletionNoteSchema, byAndAt, 'deletion note');
  }

  async getSettings(teamId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(teamKeys(this.prefix, teamId).settings);
  }

  async setSetting(teamId: string, name: string, value: string): Promise<void> {
    await this.scripts.setSetting([teamKeys(this.prefix, teamId).settings], [name, value, this.indexSeconds, this.deadline()]);
  }

  async getUserSettings(teamId: string, userId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(userSettingsKey(this.prefix, teamId, userId));
  }

  async setUserSetting(teamId: string, userId: string, name: string, value: string): Promise<void> {
    await this.scripts.setSetting([userSettingsKey(this.prefix, teamId, userId)], [name, value, this.indexSeconds, this.deadline()]);
  }

  async scheduleReminder(teamId: string, reviewId: string, dueAtMs: number | null): Promise<void> {
    const due = dueAtMs === null ? '' : Math.round(dueAtMs);
    await this.scripts.scheduleReminder([remindersKey(this.prefix)], [reminderMember(teamId, reviewId), due, this.indexSeconds]);
  }

  async claimDueReminders(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    if (limit <= 0) return [];
    const { lease, members } = await this.claimLeased(remindersKey(this.prefix), nowMs, limit, leaseMs);
    const claimed: ClaimedReminder[] = [];
    for (const member of members) {
      const ids = parseReminderMember(member);
      if (ids) claimed.push({ ...ids, lease });
    }
    return claimed;
  }

  /** The reminders' scripts serve the jobs zset too: both are members leased by a score in ms. */
  async startJob(job: RunningJob, leaseUntilMs: number): Promise<void> {
    await this.scripts.scheduleReminder([jobsKey(this.prefix)], [jobMember(job), Math.round(leaseUntilMs), this.indexSeconds]);
  }

  async claimStalledJobs(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const { lease, members } = await this.claimLeased(jobsKey(this.prefix), nowMs, limit, leaseMs);
    const claimed: ClaimedJob[] = [];
    for (const member of members) {
      const job = parseJobMember(member);
      if (job) claimed.push({ ...job, lease });
      // A member no version of the app could run: dropped, not claimed again every look.
      else await this.scripts.finishReminder([jobsKey(this.prefix)], [member, lease]);
    }
    return claimed;
  }

  /** The members of a leased zset (reminders, jobs) due at `nowMs`, each now leased to the caller until `lease`. */
  private async claimLeased(key: string, nowMs: number, limit: number, leaseMs: number): Promise<{ lease: number; members: string[] }> {
    const reply = await this.scripts.claimReminders([key], [Math.round(nowMs), Math.floor(limit), Math.max(1, Math.round(leaseMs))]);
    const parsed = claimReply.safeParse(reply);
    if (!parsed.success) throw new StoreDataError(`claim-reminders returned an unexpected reply for ${key}: ${JSON.stringify(reply)}`);
    const [leaseText, ...members] = parsed.data;
    return { lease: Number(leaseText), members };
  }

  async finishJob(job: RunningJob, lease: number): Promise<void> {
    await this.scripts.finishReminder([jobsKey(this.prefix)], [jobMember(job), Math.round(lease)]);
  }

  async noteStart(teamId: string, startId: string, start: PendingStart, mode: 'new' | 'update'): Promise<boolean> {
    const key = startKey(this.prefix, teamId, startId);
    const json = JSON.stringify(start);
    if (mode === 'update') return (await this.redis.set(key, json, 'EX', START_RECORD_SECONDS, 'XX')) !== null;
    // The record and its index entry go in one round trip: the ack waits for it. Their order does not matter, as an
    // entry is claimed only once it is older than any start takes, when its record has long been written. NX on both:
    // a replay of the request leaves the first one's note and its time as they were.
    // Each new start also pushes back the index's expiry, so an index whose starts all went unclaimed (no replica left
    // running the lost-start loop) does not outlive its records by more than a day.
    const index = startsKey(this.prefix);
    const [written] = await Promise.all([
      this.redis.set(key, json, 'EX', START_RECORD_SECONDS, 'NX'),
      this.redis.zadd(index, 'NX', Math.round(start.notedAt), startMember(teamId, startId)),
      this.redis.expire(index, 2 * START_RECORD_SECONDS),
    ]);
    return written !== null;
  }

  async clearStart(teamId: string, startId: string): Promise<void> {
    const member = startMember(teamId, startId);
    try {
      await this.clearStartMember(member);
    } catch (error) {
      if (this.startsToClear.size < MAX_STARTS_TO_CLEAR) this.startsToClear.add(member);
      this.startClearTimer ??= setInterval(() => void this.clearRememberedStarts(), START_CLEAR_RETRY_MS).unref();
      throw error;
    }
  }

  /** Two slots (the index of all teams, and the team's key): two commands, sent together. */
  private async clearStartMember(member: string): Promise<void> {
    const ids = parseStartMember(member);
    await Promise.all([this.redis.zrem(startsKey(this.prefix), member), ids ? this.redis.del(startKey(this.prefix, ids.teamId, ids.startId)) : undefined]);
  }

  private async clearRememberedStarts(): Promise<void> {
    await Promise.all(
      [...this.startsToClear].map((member) =>
        this.clearStartMember(member).then(
          () => this.startsToClear.delete(member),
          () => undefined,
        ),
      ),
    );
    if (this.startsToClear.size === 0 && this.startClearTimer) {
      clearInterval(this.startClearTimer);
      this.startClearTimer = undefined;
    }
  }

  async claimLostStarts(notedBeforeMs: number, limit: number): Promise<ClaimedStart[]> {
    if (limit <= 0) return [];
    const reply = await this.scripts.claimLostStarts([startsKey(this.prefix)], [Math.round(notedBeforeMs), Math.floor(limit)]);
    const parsed = z.array(z.string()).safeParse(reply);
    if (!parsed.success) throw new StoreDataError(`claim-lost-starts returned an unexpected reply: ${JSON.stringify(reply)}`);
    const claimed: ClaimedStart[] = [];
    for (const member of parsed.data) {
      const ids = parseStartMember(member);
      if (!ids) continue;
      const key = startKey(this.prefix, ids.teamId, ids.startId);
      const json = await this.redis.get(key);
      await this.redis.del(key);
      // Cleared here while the store was away: its person was told already. Claimed, it is gone now.
      if (this.startsToClear.delete(member)) continue;
      claimed.push({ ...ids, start: json === null ? null : parsePendingStart(json) });
    }
    return claimed;
  }

  async reviewsWithWork(limit: number): Promise<ReviewRef[]> {
    if (limit <= 0) return [];
    const found = new Map<string, ReviewRef>();
    // A cluster's keys are spread over its masters: each is scanned in turn. A new connection knows
    // no masters until it has asked for the slots; any command waits for that.
    if (this.redis.isCluster && this.redis.status !== 'ready') await this.redis.ping();
    const nodes: Redis[] = this.redis.isCluster ? (this.redis as Cluster).nodes('master') : [this.redis as Redis];
    const pattern = workKeyPattern(this.prefix);
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
        cursor = next;
        for (const key of keys) {
          const review = reviewOfWorkKey(this.prefix, key);
          if (review) found.set(`${review.teamId} ${review.reviewId}`, review);
          if (found.size >= limit) return [...found.values()];
        }
      } while (cursor !== '0');
    }
    return [...found.values()];
  }

  async finishReminder(teamId: string, reviewId: string, lease: number): Promise<void> {
    await this.scripts.finishReminder([remindersKey(this.prefix)], [reminderMember(teamId, reviewId), lease]);
  }

  async saveInstallation(key: string, json: string): Promise<void> {
    await this.redis.set(installationKey(this.prefix, key), json, 'EX', this.retentionSeconds);
  }

  async fetchInstallation(key: string): Promise<string | null> {
    const json = await this.scripts.fetchInstallation([installationKey(this.prefix, key)], [this.retentionSeconds]);
    if (json === null || json === undefined) return null;
    if (typeof json !== 'string') throw new StoreDataError('fetch-installation returned a non-string reply');
    return json;
  }

  async deleteInstallation(key: string): Promise<boolean> {
    return (await this.redis.del(installationKey(this.prefix, key))) > 0;
  }

  async hit(key: string, windowSeconds: number): Promise<number> {
    const count = await this.scripts.hit([rateKey(this.prefix, key)], [Math.max(1, Math.ceil(windowSeconds))]);
    if (typeof count !== 'number') throw new StoreDataError('hit returned a non-number reply');
    return count;
  }

  async hitInTurn(teamId: string, counters: readonly TeamCounter[]): Promise<number> {
    if (counters.length === 0) return -1;
    const keys = counters.map((counter) => teamRateKey(this.prefix, teamId, counter.name));
    const args = counters.flatMap((counter) => [Math.max(1, Math.ceil(counter.windowSeconds)), counter.limit]);
    const over = await this.scripts.hitInTurn(keys, args);
    if (typeof over !== 'number') throw new StoreDataError('hit-in-turn returned a non-number reply');
    return over - 1;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      // Already closed or unreachable: drop the socket without waiting for a reply.
      this.redis.disconnect();
    }
  }
}
