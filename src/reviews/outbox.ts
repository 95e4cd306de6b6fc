/**
 * Performs a review's outbox in order: posts and updates in Slack, private
 * notes, and background jobs. An item leaves the outbox only once performed
 * (or refused by Slack for good), so a crash never skips one; a post carries
 * its item's id as a mark, so the drain that takes the review over finds
 * what the dead one posted instead of posting it again (posted-look.ts).
 */
import { postMarkOf, type ChatClient } from '../slack/chat-client.js';
import { explainSlackError, isPermanentSlackError, slackErrorCode } from '../slack/api-errors.js';
import { blocksAsText } from '../slack/blocks/as-text.js';
import { wellFormed } from '../slack/blocks/text.js';
import type { OutboxItem, PerformedItems, ReviewPlacement, ReviewStore } from '../store/types.js';
import type { ReviewDeps } from './deps.js';
import { outboxOpSchema, type OutboxOp } from './outbox-ops.js';
import type { LateMessages } from './deleted-look.js';
import type { PostedLook } from './posted-look.js';

/** A background job started by this process, as the outbox sees it. */
export interface StartedJob {
  /** True once the job's result is queued in the review's inbox; false once it ended without one. Never rejects. */
  readonly handedIn: Promise<boolean>;
}

/**
 * Starts a background job (jobs.ts). Resolves once the job is noted as
 * running in the store, so its outbox item is let go only then: a process
 * that dies after that leaves the job for another to run, never lost.
 */
export type JobRunner = (job: Extract<OutboxOp, { op: 'job' }>, teamId: string, reviewId: string, itemId: string) => Promise<StartedJob | void>;

/**
 * How long the question after the metric waits for the proxy-failure
 * suggestions (a 'post_after_job'): ready by then (the offline library
 * always is, in milliseconds; a quick model too), they are posted above it
 * and the question once; later, the question goes out and they follow,
 * with it asked again below them. About as long as a reply in a chat may
 * take before it seems slow; the review's lock (15 s) is held meanwhile, so
 * replies sent in the wait are applied, in order, right after it.
 */
export const SUGGESTIONS_WAIT_MS = 2_000;

/** Refusals of a message's blocks: the same words still go through as plain text. */
const BLOCK_REFUSALS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long']);

/** Whether anything in the value is a string with a lone surrogate: a cheap look before any copying. */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed();
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasLoneSurrogate);
  return false;
}

/** Every string of a message made well-formed: a lone surrogate would make the client throw before Slack sees it. */
function wellFormedDeep<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map(wellFormedDeep) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, wellFormedDeep(inner)])) as T;
  return value;
}

/**
 * Errors raised here before Slack was asked (a message the client cannot
 * encode): retrying would fail the same way and hold up the review forever.
 */
function isLocalError(error: unknown): boolean {
  return error instanceof URIError || error instanceof RangeError || error instanceof SyntaxError;
}

/**
 * Refs hold "channel/ts" so an update can reach a message in any channel;
 * a message in the review's own channel (every question) may hold just its
 * ts, read back with that channel as `inChannel` (a third of a finished
 * review's refs were the same channel id, over and over).
 */
export function encodeRef(channel: string, ts: string, inChannel?: string): string {
  return channel === inChannel ? ts : `${channel}/${ts}`;
}

export function decodeRef(value: string | undefined, inChannel?: string): { channel: string; ts: string } | null {
  if (!value) return null;
  const slash = value.indexOf('/');
  if (slash > 0) return { channel: value.slice(0, slash), ts: value.slice(slash + 1) };
  return inChannel && slash < 0 ? { channel: inChannel, ts: value } : null;
}

async function postWithJoin(client: ChatClient, args: Parameters<ChatClient['chat']['postMessage']>[0]) {
  try {
    return await client.chat.postMessage(args);
  } catch (error) {
    // A public channel the bot is not in: join and try once more.
    if (slackErrorCode(error) !== 'not_in_channel') throw error;
    // A private channel cannot be joined: report the original refusal, which says to invite the app.
    await client.conversations.join({ channel: args.channel }).catch(() => {
      throw error;
    });
    return await client.chat.postMessage(args);
  }
}

/** A message reference a post produced, to store as the post leaves the outbox. */
interface NewRef {
  name: string;
  value: string;
}

/** What performing an item may call on besides the Slack client. */
interface PerformContext {
  refs: KnownRefs;
  runJob: JobRunner;
  /** A drain that took the review over: what the old holder posted (posted-look.ts). */
  look?: PostedLook;
  /** The job this flush performed just before this item: what a 'post_after_job' waits for. */
  jobBefore?: StartedJob;
}

/** What one item left behind: the ref its post produced, the job it started. */
export interface Performed {
  ref?: NewRef;
  job?: StartedJob;
}

/**
 * Whether the job handed in its result within `waitMs`. Without a job (its
 * item was performed by an earlier flush, perhaps in a process now gone)
 * there is nothing to wait for.
 */
async function handedInWithin(job: StartedJob | undefined, waitMs: number): Promise<boolean> {
  if (!job) return false;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, waitMs, false);
  });
  try {
    return await Promise.race([job.handedIn.catch(() => false), waited]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One outbox item done. A post carries the item's id as its mark (see
 * posted-look.ts); with `look` (a drain that took the review over), a post
 * the old holder already sent is not sent again, and its ts is the answer.
 */
async function perform(client: ChatClient, placement: ReviewPlacement, reviewId: string, itemId: string, op: OutboxOp, context: PerformContext): Promise<Performed> {
  const { refs, runJob, look } = context;
  switch (op.op) {
    case 'post': {
      if (op.unlessPosted && op.ref && refs[op.ref]) return {};
      const channel = op.channel ?? placement.channelId;
      const threadTs = op.inThread !== false && !op.channel ? placement.threadTs : undefined;
      const posted = look ? await look.find(channel, threadTs, itemId) : undefined;
      const result = posted
        ? { ts: posted, channel }
        : await postWithJoin(client, {
            channel,
            thread_ts: threadTs,
            text: op.text,
            blocks: op.blocks as never,
            unfurl_links: false,
            unfurl_media: false,
            metadata: postMarkOf(itemId),
          });
      return op.ref && result.ts ? { ref: { name: op.ref, value: encodeRef(result.channel ?? channel, result.ts, placement.channelId) } } : {};
    }
    case 'post_after_job': {
      // Handed in: the step applying the result posts this below it, so it is posted once, after the result.
      if (await handedInWithin(context.jobBefore, SUGGESTIONS_WAIT_MS)) return {};
      return perform(client, placement, reviewId, itemId, { op: 'post', ref: op.ref, inThread: true, text: op.text, blocks: op.blocks }, context);
    }
    case 'update': {
      const target = decodeRef(refs[op.ref], placement.channelId);
      if (!target) return {};
      await client.chat.update({ channel: target.channel, ts: target.ts, text: op.text, blocks: op.blocks as never });
      return {};
    }
    case 'ephemeral':
      await client.chat.postEphemeral({
        channel: placement.channelId,
        thread_ts: placement.threadTs,
        user: op.user,
        text: op.text,
        blocks: op.blocks as never,
      });
      return {};
    case 'job': {
      const job = await runJob(op, placement.teamId, reviewId, itemId);
      return job ? { job } : {};
    }
  }
}

/**
 * A review's refs as the drain read them with its lock, kept current by the
 * posts that add to them: only the lock holder writes refs, so the next
 * question goes out without reading them again.
 */
export type KnownRefs = Record<string, string>;

/**
 * Outbox items performed but not yet removed. A drain holding the review's
 * lock removes them with its next write (the next commit, or the unlock),
 * saving a round trip per message. Only the lock holder performs items, so
 * nobody else sees them meanwhile; should the process die first, the next
 * drain performs them again. That is harmless for updates (the same
 * content again), and a post is found by its mark rather than posted twice
 * (posted-look.ts), but a private note or a job would happen twice, so at
 * most one post, ephemeral or job is ever left pending: before the next
 * one, the pending items are removed on their own.
 */
export class PerformedLedger {
  private itemIds: string[] = [];
  private ref?: NewRef;
  private repeatable = true;

  /** What is pending, for the next write; `clear()` once that write went through. */
  get pending(): PerformedItems {
    return this.ref ? { itemIds: [...this.itemIds], ref: this.ref } : { itemIds: [...this.itemIds] };
  }

  /** Nothing performed since the last write. */
  get isEmpty(): boolean {
    return this.itemIds.length === 0 && !this.ref;
  }

  /** Whether this item was performed (and not yet written away). */
  holds(itemId: string): boolean {
    return this.itemIds.includes(itemId);
  }

  /** The ref the pending post produced, alone: for items performed before they were ever committed. */
  get refOnly(): PerformedItems {
    return this.ref ? { itemIds: [], ref: this.ref } : { itemIds: [] };
  }

  clear(): void {
    this.itemIds = [];
    this.ref = undefined;
    this.repeatable = true;
  }

  /** Removes what is pending on its own. */
  async removeWith(store: ReviewStore, teamId: string, reviewId: string): Promise<void> {
    if (this.isEmpty) return;
    await store.outboxDone(teamId, reviewId, this.pending);
    this.clear();
  }

  /** Whether an item that must not be repeated is pending. */
  get holdsUnrepeatable(): boolean {
    return !this.repeatable;
  }

  /** At most one ref is ever pending: only posts make one, and a post never waits behind another. */
  add(itemId: string, repeatable: boolean, ref?: NewRef): void {
    this.itemIds.push(itemId);
    if (ref) this.ref = ref;
    if (!repeatable) this.repeatable = false;
  }
}

/** Updates show the same content if done again; posts, private notes and jobs would happen twice. */
function isRepeatable(op: OutboxOp | undefined): boolean {
  return op?.op === 'update';
}

/**
 * Performs every queued item. Transient failures stop the flush and leave the
 * item queued (the next drain performs it); permanent ones are logged with
 * the review id, explained in the thread where that can help, and dropped.
 *
 * Only a drain holding the review's lock flushes: `items` are the outbox as
 * it read it (or exactly what it just committed onto an empty one), `refs`
 * the review's refs, and performed items are left in `ledger` for the
 * drain's next write. `late`, for items already committed: the messages
 * among them that a deletion marks are noted there, for the drain's look
 * once it is done (LateMessages). Items sent ahead of their commit need no
 * look: the commit is refused once the review is deleted, and the drain
 * marks them then (inbox.ts).
 */
export async function flushOutbox(
  deps: ReviewDeps,
  client: ChatClient,
  placement: ReviewPlacement,
  reviewId: string,
  runJob: JobRunner,
  known: { refs: KnownRefs; items: OutboxItem[]; rendered?: boolean; ledger: PerformedLedger; look?: PostedLook; late?: LateMessages },
): Promise<void> {
  const { store, logger } = deps;
  const { items, refs, ledger } = known;
  let jobBefore: StartedJob | undefined;
  for (const item of items) {
    // Items this drain just rendered are ours and well typed; items read back from the store are checked.
    const payload = hasLoneSurrogate(item.payload) ? wellFormedDeep(item.payload) : item.payload;
    const parsed = known.rendered ? { success: true as const, data: payload as OutboxOp } : outboxOpSchema.safeParse(payload);
    const op = parsed.success ? parsed.data : undefined;
    if (!isRepeatable(op) && ledger.holdsUnrepeatable) await ledger.removeWith(store, placement.teamId, reviewId);
    let performed: Performed = {};
    if (op) {
      try {
        performed = await perform(client, placement, reviewId, item.id, op, { refs, runJob, look: known.look, jobBefore });
      } catch (error) {
        if (isLocalError(error)) {
          logger.error({ reviewId, teamId: placement.teamId, op: op.op, err: (error as Error).message }, 'Could not send a message; skipped it');
        } else {
          if (!isPermanentSlackError(error)) {
            // Slack may have applied the update though its answer failed.
            if (op.op === 'update') known.late?.note(op, {}, refs);
            throw error;
          }
          performed = { ref: await explainRefusal(deps, client, placement, reviewId, item.id, op, error, refs, runJob) };
        }
      }
    } else {
      logger.error({ reviewId, teamId: placement.teamId }, 'Dropped an outbox item of an unknown shape');
    }
    jobBefore = performed.job;
    ledger.add(item.id, isRepeatable(op), performed.ref);
    if (performed.ref) refs[performed.ref.name] = performed.ref.value;
    known.late?.note(op, performed, refs);
  }
}

/**
 * A message Slack refused for good: logged, sent as plain text when its
 * blocks were the trouble (returning the ref that post produced), and
 * explained in the thread where that helps.
 */
async function explainRefusal(
  deps: ReviewDeps,
  client: ChatClient,
  placement: ReviewPlacement,
  reviewId: string,
  itemId: string,
  op: OutboxOp,
  error: unknown,
  refs: KnownRefs,
  runJob: JobRunner,
): Promise<NewRef | undefined> {
  const { logger } = deps;
  const code = slackErrorCode(error);
  let ref: NewRef | undefined;
  // `channel` names the channel that refused: a post to another one (the leads' card) or an update there
  // was not refused by the review's own channel, which an operator would otherwise go and check.
  const refusedIn = op.op === 'post' ? op.channel : op.op === 'update' ? decodeRef(refs[op.ref], placement.channelId)?.channel : undefined;
  logger.error({ reviewId, teamId: placement.teamId, channel: refusedIn ?? placement.channelId, reviewChannel: placement.channelId, op: op.op, slackError: code }, 'Slack refused a message');
  if (code && BLOCK_REFUSALS.has(code) && op.op !== 'job' && op.blocks) {
    // The person still reads the question and its options, and can answer by typing.
    const asText = { ...op, text: blocksAsText(op.blocks, op.text), blocks: undefined };
    const sent = await perform(client, placement, reviewId, itemId, asText, { refs, runJob }).then(
      (made) => {
        ref = made.ref;
        return true;
      },
      () => false,
    );
    logger.warn({ reviewId, teamId: placement.teamId, op: op.op, sent }, 'Sent the refused message as plain text');
  }
  const target = op.op === 'post' ? op.channel : undefined;
  const explanation = target ? explainSlackError(code, target) : undefined;
  if (explanation) {
    await client.chat.postMessage({ channel: placement.channelId, thread_ts: placement.threadTs, text: explanation }).catch(() => undefined);
  }
  return ref;
}
