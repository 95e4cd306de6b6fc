/**
 * The way every input reaches a review: queue it (deduplicated, ordered by
 * Slack's timestamps), then drain the review's inbox under its lock, one
 * engine step and one atomic commit per input, flushing the outbox after
 * each. Any replica may receive any input; whichever holds the lock applies
 * everything queued, in order, exactly once.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { applyInput } from '../engine/index.js';
import type { ReviewInput } from '../engine/types.js';
import type { Enqueued, InputLimit, LoadedReview, OutboxItem, QueuedInput, ReviewRecord } from '../store/types.js';
import type { ReviewDeps } from './deps.js';
import { chatClientFor } from '../slack/chat-client.js';
import { errorMessage } from '../logger.js';
import { LateMessages, markIfDeleted, shownMessageOf } from './deleted-look.js';
import { flushOutbox, PerformedLedger, type JobRunner, type KnownRefs } from './outbox.js';
import type { ChatClient } from '../slack/chat-client.js';
import type { OutboxOp, OutboxOpInput } from './outbox-ops.js';
import { renderStep } from './render-step.js';
import { leadsChannelFor, threadLinkFor } from './placement.js';
import { latestRefTs, PostedLook } from './posted-look.js';
import { InboxRecovery } from './recovery.js';
import { SingleFlight } from './single-flight.js';

/** Slack retries within minutes; keep dedupe keys well past that. */
export const DEDUPE_SECONDS = 15 * 60;
const LOCK_MS = 15_000;
const LOCK_WAIT_MS = 20_000;
/** Waiting for another replica's lock: 20 ms, doubling up to 500 ms (it re-reads the inbox after unlocking anyway). */
const LOCK_POLL_MS = 20;
const LOCK_POLL_MAX_MS = 500;

const queuedPayloadSchema = z.object({
  input: z.looseObject({ type: z.string(), by: z.string(), at: z.string() }),
});

export interface QueuedInputSpec {
  /** Unique per input, e.g. "m:<message ts>". */
  id: string;
  /** Orders the inbox: the Slack ts of the message or action. */
  seq: string;
  input: ReviewInput;
}

export interface QueuedPayload {
  input: ReviewInput;
}

const CARD_EFFECTS = new Set<string>(['completed', 'edited', 'verdict_recorded', 'redteam_added', 'decided']);

/** Seconds since the epoch as Slack writes them, for inputs that have no Slack ts. */
export function nowSeq(now: Date): string {
  return (now.getTime() / 1000).toFixed(6);
}

/** One drain per review per process: the key of its flight. */
function flightKey(teamId: string, reviewId: string): string {
  return `${teamId}\u0000${reviewId}`;
}

/**
 * Outbox items with ids of their own. With `step`, the ids come from the
 * version the step applies to and the input it applies, not from chance: a
 * drain that takes over a review applies the same input at the same version
 * again and so gives its posts the same ids, which their marks carry (see
 * posted-look.ts), so it can tell which the old holder already sent. Such
 * items are only ever posted in the review's own thread, where no other
 * review's marks are.
 */
export function toOutboxItems(ops: unknown[], step?: { version: number; inputId: string }): OutboxItem[] {
  return ops.map((payload, index) => ({ id: step ? `${step.version}:${step.inputId}:${index}` : randomUUID(), payload }));
}

export class ReviewInbox {
  private readonly recovery: InboxRecovery;
  /** One drain per review at a time in this process; callers meanwhile join it. */
  private readonly draining = new SingleFlight();
  /** The lock token each running drain holds or last held, by review (flightKey). */
  private readonly holding = new Map<string, string>();

  constructor(
    private readonly deps: ReviewDeps,
    private readonly runJob: JobRunner,
    recovery?: InboxRecovery,
  ) {
    this.recovery = recovery ?? new InboxRecovery(deps);
  }

  /**
   * Whether a drain of the review runs in this process now. Its messages may
   * already be in Slack while its commit is on the way (see postingOrder).
   */
  isDraining(teamId: string, reviewId: string): boolean {
    return this.draining.isRunning(flightKey(teamId, reviewId));
  }

  /**
   * Queues an input and applies it (with anything else queued). Returns false
   * for a duplicate delivery. Rejects when the store cannot be reached, so
   * the caller can tell the person their answer was not saved.
   */
  async submit(teamId: string, reviewId: string, input: QueuedInputSpec, dedupeKeys: string[]): Promise<boolean> {
    const queued = await this.enqueue(teamId, reviewId, input, dedupeKeys);
    if (queued) await this.drain(teamId, reviewId);
    return queued;
  }

  /** Queues without applying. False for a duplicate delivery. */
  async enqueue(teamId: string, reviewId: string, input: QueuedInputSpec, dedupeKeys: string[]): Promise<boolean> {
    return (await this.enqueueCounted(teamId, reviewId, input, dedupeKeys)).outcome === 'queued';
  }

  /**
   * Queues a person's input without applying it, counting it against their
   * limit for the review (see ReviewStore.enqueueCounted); without a limit,
   * as `enqueue`. With a limit, when no drain of the review runs in this
   * process, the enqueue also takes the review's lock if it is free: pass
   * the result's `loaded` to `drain`, which starts from it.
   */
  async enqueueCounted(teamId: string, reviewId: string, input: QueuedInputSpec, dedupeKeys: string[], limit?: InputLimit): Promise<Enqueued> {
    // Inputs people were told were not saved leave the inbox before anything new joins it.
    await this.recovery.settle(teamId, reviewId);
    const payload: QueuedPayload = { input: input.input };
    const queued = { id: input.id, seq: input.seq, payload };
    let result: Enqueued;
    if (limit) {
      // A drain running here will apply the input; taking the lock would only make it wait.
      const token = this.draining.isRunning(flightKey(teamId, reviewId)) ? undefined : randomUUID();
      result = await this.deps.store.enqueueCounted(teamId, reviewId, queued, dedupeKeys, DEDUPE_SECONDS, limit, token ? { token, ttlMs: LOCK_MS } : undefined).catch((error: unknown) => {
        // The enqueue may have run in Redis, lock and all, though its answer never came.
        if (token) this.recovery.orphanedLock(teamId, reviewId, token);
        throw error;
      });
    } else {
      result = { outcome: (await this.deps.store.enqueue(teamId, reviewId, queued, dedupeKeys, DEDUPE_SECONDS)) ? 'queued' : 'duplicate', count: 0 };
    }
    if (result.outcome === 'duplicate') this.deps.logger.debug({ reviewId, teamId }, 'Duplicate delivery ignored');
    return result;
  }

  /**
   * An input whose queueing failed, so the person was told to send it again:
   * it must never be applied, even if the store runs the failed command late.
   */
  retract(teamId: string, reviewId: string, inputId: string): void {
    this.recovery.retract(teamId, reviewId, inputId);
    this.recovery.retryLater(teamId, reviewId, () => this.drainShared(teamId, reviewId));
  }

  /**
   * Applies every queued input of the review, in order, then performs the
   * outbox. When that fails part way (store or Slack down), it is tried
   * again in the background, so the review goes on once the failure passes.
   * `enqueued`: what queueing the input that calls for this drain said (the
   * lock it took, or who held the lock).
   */
  async drain(teamId: string, reviewId: string, enqueued?: Pick<Enqueued, 'loaded' | 'lockHolder'>): Promise<void> {
    // Queued while this process's drain held the lock: that drain looks at the inbox
    // again before it lets go, so waiting for it is enough; another round would only
    // take the lock to find nothing.
    const holder = enqueued?.lockHolder;
    const following = holder !== undefined && this.holding.get(flightKey(teamId, reviewId)) === holder ? this.draining.follow(flightKey(teamId, reviewId)) : undefined;
    if (following) return following;
    try {
      await this.drainShared(teamId, reviewId, enqueued?.loaded);
    } catch (error) {
      this.recovery.retryLater(teamId, reviewId, () => this.drainShared(teamId, reviewId));
      throw error;
    }
  }

  /** `loaded`: the review's lock, taken by the enqueue, and what it read; the first round starts from it. */
  private async drainShared(teamId: string, reviewId: string, loaded?: LoadedReview): Promise<void> {
    const key = flightKey(teamId, reviewId);
    let preloaded = loaded;
    if (preloaded && this.draining.isRunning(key)) {
      // A drain of this review started here meanwhile: hand the lock back, and that drain applies our input.
      const { token } = preloaded;
      preloaded = undefined;
      await this.deps.store.unlock(teamId, reviewId, token).catch(() => this.recovery.orphanedLock(teamId, reviewId, token));
    }
    return this.draining.run(key, async (covered) => {
      const first = preloaded;
      preloaded = undefined;
      try {
        return await this.drainOnce(teamId, reviewId, covered, first);
      } finally {
        this.holding.delete(key);
      }
    });
  }

  /** `covered` is told when a last look at the inbox starts: deliveries that joined before it need no other round. */
  private async drainOnce(teamId: string, reviewId: string, covered: () => void = () => undefined, preloaded?: LoadedReview): Promise<void> {
    const late = new LateMessages(this.deps);
    try {
      await this.drainRounds(teamId, reviewId, covered, preloaded, late);
    } finally {
      // Only after the drain's last write, which stores the refs of what it sent late (see LateMessages).
      await late.markIfDeleted().catch((error: unknown) => this.deps.logger.warn({ reviewId, teamId, err: errorMessage(error) }, 'Could not look whether the review was deleted'));
    }
  }

  private async drainRounds(teamId: string, reviewId: string, covered: () => void, preloaded: LoadedReview | undefined, late: LateMessages): Promise<void> {
    const { store } = this.deps;
    // Holding a lock the enqueue took, settle has just run there.
    if (!preloaded) await this.recovery.settle(teamId, reviewId);
    const deadline = Date.now() + LOCK_WAIT_MS;
    let pollMs = LOCK_POLL_MS;
    for (;;) {
      // Our own token: should the lock call fail here but run in Redis anyway, we can still release it.
      const token = preloaded?.token ?? randomUUID();
      const loaded =
        preloaded ??
        (await store.lockAndLoad(teamId, reviewId, LOCK_MS, token, 'work').catch((error: unknown) => {
          this.recovery.orphanedLock(teamId, reviewId, token);
          throw error;
        }));
      preloaded = undefined;
      // Nothing queued and nothing to send: whoever held the lock applied it all before letting go.
      if (loaded === 'idle') return;
      if (loaded) this.holding.set(flightKey(teamId, reviewId), token);
      if (!loaded) {
        // Another worker holds the lock and will apply what we queued; wait
        // only in case it dies before it gets to it.
        if (Date.now() > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        pollMs = Math.min(pollMs * 2, LOCK_POLL_MAX_MS);
        continue;
      }
      if (!loaded.record) {
        // Otherwise the unlock would find the inputs still queued and this loop would take the lock again, for ever.
        await this.dropOrphanedWork(teamId, reviewId, loaded);
        return;
      }
      const ledger = new PerformedLedger();
      let end: DrainEnd;
      try {
        end = await this.drainLocked(teamId, reviewId, loaded, { ledger, late }, covered);
      } catch (error) {
        // Unreleased, the lease would hold the review up until it expires; what was
        // performed before the failure leaves the outbox with it, so it is not done twice.
        await store.unlock(teamId, reviewId, token, ledger.pending).catch(() => this.recovery.orphanedLock(teamId, reviewId, token));
        throw error;
      }
      // The last commit let the lock go with the inbox empty; or lost it with inputs queued, which need the lock again.
      if (end === 'released') return;
      if (end === 'lost') continue;
      // The unlock also looks at the inbox: something may have been queued between our last look and now.
      covered();
      const waiting = await store.unlock(teamId, reviewId, token, ledger.pending).catch((error: unknown) => {
        this.recovery.orphanedLock(teamId, reviewId, token);
        throw error;
      });
      if (waiting === 0) return;
    }
  }

  /**
   * Inputs and messages of a review that no longer exists (its state
   * expired or was removed under them) can never be applied or sent: they
   * go, and the lock with them.
   */
  private async dropOrphanedWork(teamId: string, reviewId: string, loaded: LoadedReview): Promise<void> {
    const { store, logger } = this.deps;
    let inputs = 0;
    try {
      for (let item = await store.peek(teamId, reviewId); item; item = await store.peek(teamId, reviewId)) {
        await store.dropInput(teamId, reviewId, item.id);
        inputs += 1;
      }
    } finally {
      await store.unlock(teamId, reviewId, loaded.token, { itemIds: loaded.outbox.map((item) => item.id) }).catch(() => this.recovery.orphanedLock(teamId, reviewId, loaded.token));
    }
    if (inputs > 0 || loaded.outbox.length > 0) logger.warn({ reviewId, teamId, inputs, messages: loaded.outbox.length }, 'Dropped the queued inputs and unsent messages of a review that no longer exists');
  }

  /** What a drain starts from when it must read it again while holding the lock. */
  private async reload(teamId: string, reviewId: string, token: string): Promise<LoadedReview> {
    const { store } = this.deps;
    const [record, refs, outbox, first] = await Promise.all([
      store.get(teamId, reviewId),
      store.refs(teamId, reviewId),
      store.outbox(teamId, reviewId),
      store.peek(teamId, reviewId),
    ]);
    return { token, record, refs, outbox, first, takenOver: false };
  }

  /**
   * Items performed here are left in `ledger`: each commit, and finally the
   * unlock, removes them from the outbox. Those sent after their commit that
   * a deletion marks are noted in `late`, for the look once the drain is
   * done (outbox.ts, LateMessages). Ends 'held' when the caller still
   * holds the lock and must unlock; 'released' when a commit let it go with
   * the inbox empty; 'lost' when a commit found inputs queued but the lock
   * gone (its lease ran out): the caller takes it again.
   */
  private async drainLocked(teamId: string, reviewId: string, loaded: LoadedReview, sent: { ledger: PerformedLedger; late: LateMessages }, covered: () => void): Promise<DrainEnd> {
    const { ledger, late } = sent;
    const { store, logger } = this.deps;
    let record = loaded.record;
    if (!record) return 'held';
    const web = await this.deps.clientFor(teamId, record.placement.enterpriseId);
    // The outbox's messages go through the lean client: Bolt's WebClient cost a quarter of the app's CPU per reply.
    const client = chatClientFor(web);
    // A copy: the posts of this drain add to it.
    const refs = { ...loaded.refs };
    // The holder before let its lease run out: what it posted without committing is looked for, not posted again.
    // Only until this drain's first commit: everything after is this drain's own.
    let look = loaded.takenOver ? new PostedLook(client, logger, { reviewId, teamId }, latestRefTs(loaded.refs)) : undefined;
    // Whatever a crashed worker committed but did not post goes out first.
    await flushOutbox(this.deps, client, record.placement, reviewId, this.runJob, { refs, items: loaded.outbox, ledger, look, late: late.holding(record.state, client, record.placement) });
    // Flushing a leftover outbox takes a while: look at the inbox again after it.
    let next: QueuedInput | null | undefined = loaded.outbox.length === 0 ? loaded.first : undefined;
    for (;;) {
      const item = next !== undefined ? next : await store.peek(teamId, reviewId);
      next = undefined;
      if (!item) return 'held';
      const parsed = queuedPayloadSchema.safeParse(item.payload);
      if (!parsed.success) {
        logger.warn({ reviewId, teamId }, 'Dropped a queued input of an unknown shape');
        await store.dropInput(teamId, reviewId, item.id);
        continue;
      }
      const flow = this.deps.flows.get(record.state.flowId);
      if (!flow) {
        logger.error({ reviewId, teamId, flowId: record.state.flowId }, 'The flow of this review is no longer loaded');
        await store.dropInput(teamId, reviewId, item.id);
        continue;
      }
      const input = parsed.data.input as unknown as ReviewInput;
      const step = applyInput(flow, record.state, input);
      // The leads' channel and the thread's link cost a lookup each: only for steps that show the cards.
      const showsCards = step.effects.some((effect) => CARD_EFFECTS.has(effect.type));
      // Both at once: the finished review's summary card waits on them.
      const [leadsChannel, threadLink] = showsCards ? await Promise.all([leadsChannelFor(this.deps, record.placement), threadLinkFor(web, record.placement)]) : [];
      const ops = renderStep({
        flow,
        placement: record.placement,
        before: record.state,
        step,
        actor: input.by,
        inputType: input.type,
        leadsChannel,
        threadLink,
        modelConfigured: this.deps.suggester.modelConfigured,
      });
      // What the person waits on goes out before the commit, the rest after it: see postingOrder.
      const order = ledger.isEmpty && !this.recovery.hasPending(teamId, reviewId) ? postingOrder(ops) : undefined;
      const early = order ? toOutboxItems(order.early, { version: record.version, inputId: item.id }) : [];
      const items = toOutboxItems(order ? order.late : ops);
      const postFirst = early.length > 0;
      const ahead = new PerformedLedger();
      let failure: unknown;
      if (postFirst) {
        await flushOutbox(this.deps, client, record.placement, reviewId, this.runJob, { refs, items: early, rendered: true, ledger: ahead, look }).catch((error: unknown) => {
          failure = error;
        });
        covered();
      }
      const committed = postFirst
        ? await store.commit(
            teamId,
            reviewId,
            record.version,
            step.state,
            item.id,
            // What a failure left unsent is committed like any outbox, ahead of the rest, for the retry to send.
            [...early.filter((queued) => !ahead.holds(queued.id)), ...items],
            ahead.refOnly,
            // With nothing left to send, the commit also lets the lock go (or keeps it for the next input).
            failure === undefined && items.length === 0 ? { token: loaded.token, ttlMs: LOCK_MS } : undefined,
          )
        : await store.commit(teamId, reviewId, record.version, step.state, item.id, items, ledger.pending);
      if (!committed) {
        if (postFirst) await this.sentAheadOfRefusal(client, record, refs, early, ahead);
        if (failure !== undefined) throw failure;
        // The version moved under us (a lock that expired mid-step): start over from what is stored, its outbox first.
        await ledger.removeWith(store, teamId, reviewId);
        return this.drainLocked(teamId, reviewId, await this.reload(teamId, reviewId, loaded.token), sent, covered);
      }
      ledger.clear();
      look = undefined;
      logger.info({ reviewId, teamId, channel: record.placement.channelId, input: input.type, effects: step.effects.map((effect) => effect.type) }, 'Input applied');
      record = { ...record, state: step.state, version: record.version + 1 } satisfies ReviewRecord;
      if (failure !== undefined) throw failure;
      // The last flush emptied the outbox, so it holds exactly these items now.
      if (items.length > 0) await flushOutbox(this.deps, client, record.placement, reviewId, this.runJob, { refs, items, rendered: true, ledger, late: late.holding(record.state, client, record.placement) });
      // After the reply is out: reminders and Home tabs follow the change.
      await this.deps.reviewChanged?.(record.placement, record.state);
      if (!committed.held) return committed.next ? 'lost' : 'released';
      // The commit said what was queued next; flushing takes a while, but only a later reply can join meanwhile.
      next = committed.next;
    }
  }

  /**
   * Messages sent ahead of a commit the store refused. Refused because the
   * review was deleted meanwhile, the deletion could not see them (a post's
   * ref comes with the commit) or marked them before they landed (an update
   * held up by a rate limit): they take its look now. Every update counts,
   * sent or not (Slack may have applied one whose answer failed): the
   * deletion gives the messages they update that same look. Otherwise they
   * were shown early, and the input is applied again.
   */
  private async sentAheadOfRefusal(client: ChatClient, record: ReviewRecord, refs: KnownRefs, early: OutboxItem[], sent: PerformedLedger): Promise<void> {
    const { placement } = record;
    const ops = early.filter((item) => sent.holds(item.id) || (item.payload as OutboxOp).op === 'update').map((item) => item.payload as OutboxOp);
    if (await markIfDeleted(this.deps, client, placement, record.state, refs, ops.flatMap((op) => shownMessageOf(op) ?? []))) return;
    if (!sent.isEmpty) this.deps.logger.warn({ reviewId: record.state.id, teamId: placement.teamId, channel: placement.channelId }, 'Sent the messages of an input whose commit was then refused');
  }
}

/** How a drain holding the lock ended: see drainLocked. */
type DrainEnd = 'held' | 'released' | 'lost';

/**
 * Which of a step's messages go out before its commit (`early`) and which
 * are committed to the outbox and sent after it (`late`); undefined when
 * none may go first. Early: the step's first post in the review's thread
 * (the next question, a note or the summary card: what the person waits
 * on), then its updates. Late: everything else, in order: cards for other
 * channels, private notes, background jobs, a second post in the thread.
 *
 * Posting first saves the person a round trip, and when nothing is late the
 * commit also releases the lock, so the drain's part of a reply takes one
 * round trip instead of two and the messages never travel to Redis and back.
 * Safe because a crash in between costs no more than the commit-first order
 * would: the input stays queued, so the next drain applies it again and
 * repeats only the early messages, as it would repeat an unsent outbox:
 * updates (the same content again) and one post in the thread, which that
 * drain, taking the review over, finds by its mark (the early items' ids come
 * from the version and the input: toOutboxItems) instead of posting it
 * twice. What a repeat could make worse (a private note shown twice, a job
 * run twice; a card in another channel, found only among its latest messages) is late,
 * committed first.
 */
function postingOrder(ops: OutboxOpInput[]): { early: OutboxOpInput[]; late: OutboxOpInput[] } | undefined {
  let post: OutboxOpInput | undefined;
  const updates: OutboxOpInput[] = [];
  const late: OutboxOpInput[] = [];
  for (const op of ops) {
    if (op.op === 'update') updates.push(op);
    else if (op.op === 'post' && !op.channel && op.inThread !== false && !post) post = op;
    else late.push(op);
  }
  const early = post ? [post, ...updates] : updates;
  return early.length > 0 ? { early, late } : undefined;
}
