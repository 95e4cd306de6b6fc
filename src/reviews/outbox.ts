/**
 * Performs a review's outbox in order: posts and updates in Slack, private
 * notes, and background jobs. An item leaves the outbox only once performed
 * (or refused by Slack for good), so a crash re-posts at most one message
 * and never skips one.
 */
import type { WebClient } from '@slack/web-api';
import { explainSlackError, isPermanentSlackError, slackErrorCode } from '../slack/api-errors.js';
import { blocksAsText } from '../slack/blocks/as-text.js';
import { wellFormed } from '../slack/blocks/text.js';
import type { OutboxItem, ReviewPlacement } from '../store/types.js';
import type { ReviewDeps } from './deps.js';
import { outboxOpSchema, type OutboxOp } from './outbox-ops.js';

export type JobRunner = (job: Extract<OutboxOp, { op: 'job' }>, teamId: string, reviewId: string) => void;

/** Refusals of a message's blocks: the same words still go through as plain text. */
const BLOCK_REFUSALS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long']);

/** Every string of a message made well-formed: a lone surrogate would make the client throw before Slack sees it. */
/** Whether anything in the value is a string with a lone surrogate: a cheap look before any copying. */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed();
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasLoneSurrogate);
  return false;
}

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

async function postWithJoin(client: WebClient, args: Parameters<WebClient['chat']['postMessage']>[0]) {
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

async function perform(
  deps: ReviewDeps,
  client: WebClient,
  placement: ReviewPlacement,
  reviewId: string,
  op: OutboxOp,
  refs: RefsReader,
  runJob: JobRunner,
): Promise<void> {
  const { store } = deps;
  switch (op.op) {
    case 'post': {
      const channel = op.channel ?? placement.channelId;
      const threadTs = op.inThread !== false && !op.channel ? placement.threadTs : undefined;
      const result = await postWithJoin(client, {
        channel,
        thread_ts: threadTs,
        text: op.text,
        blocks: op.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
      });
      if (op.ref && result.ts) {
        const value = encodeRef(result.channel ?? channel, result.ts, placement.channelId);
        await store.setRef(placement.teamId, reviewId, op.ref, value);
        refs.set(op.ref, value);
      }
      return;
    }
    case 'update': {
      const target = decodeRef(await refs.get(op.ref), placement.channelId);
      if (!target) return;
      await client.chat.update({ channel: target.channel, ts: target.ts, text: op.text, blocks: op.blocks as never });
      return;
    }
    case 'ephemeral':
      await client.chat.postEphemeral({
        channel: placement.channelId,
        thread_ts: placement.threadTs,
        user: op.user,
        text: op.text,
        blocks: op.blocks as never,
      });
      return;
    case 'job':
      runJob(op, placement.teamId, reviewId);
      return;
  }
}

/**
 * A review's refs, read from the store only when an update needs one, then
 * kept current by the posts that add to them. A drain holding the review's
 * lock keeps one for as long as it holds the lock (only the lock holder
 * writes refs), so the next question goes out without reading them first.
 */
export class RefsReader {
  private loaded?: Record<string, string>;

  constructor(private readonly load: () => Promise<Record<string, string>>) {}

  async get(ref: string): Promise<string | undefined> {
    this.loaded ??= await this.load();
    return this.loaded[ref];
  }

  /** A ref just stored by a post. */
  set(ref: string, value: string): void {
    if (this.loaded) this.loaded[ref] = value;
  }
}

export function refsReader(deps: ReviewDeps, teamId: string, reviewId: string): RefsReader {
  return new RefsReader(() => deps.store.refs(teamId, reviewId));
}

/**
 * Performs every queued item. Transient failures stop the flush and leave the
 * item queued (the next drain performs it); permanent ones are logged with
 * the review id, explained in the thread where that can help, and dropped.
 */
export async function flushOutbox(
  deps: ReviewDeps,
  client: WebClient,
  placement: ReviewPlacement,
  reviewId: string,
  runJob: JobRunner,
  known: { refs?: RefsReader; items?: OutboxItem[]; rendered?: boolean } = {},
): Promise<void> {
  const { store, logger } = deps;
  // A drain that just committed `items` onto an outbox its last flush emptied need not read it back.
  const items = known.items ?? (await store.outbox(placement.teamId, reviewId));
  if (items.length === 0) return;
  const refs = known.refs ?? refsReader(deps, placement.teamId, reviewId);
  for (const item of items) {
    // Items this drain just rendered are ours and well typed; items read back from the store are checked.
    const payload = hasLoneSurrogate(item.payload) ? wellFormedDeep(item.payload) : item.payload;
    const parsed = known.rendered ? { success: true as const, data: payload as OutboxOp } : outboxOpSchema.safeParse(payload);
    if (parsed.success) {
      try {
        await perform(deps, client, placement, reviewId, parsed.data, refs, runJob);
      } catch (error) {
        if (isLocalError(error)) {
          logger.error({ reviewId, teamId: placement.teamId, op: parsed.data.op, err: (error as Error).message }, 'Could not send a message; skipped it');
          await store.outboxDone(placement.teamId, reviewId, item.id);
          continue;
        }
        if (!isPermanentSlackError(error)) throw error;
        const code = slackErrorCode(error);
        logger.error({ reviewId, teamId: placement.teamId, channel: placement.channelId, op: parsed.data.op, slackError: code }, 'Slack refused a message');
        const op = parsed.data;
        if (code && BLOCK_REFUSALS.has(code) && op.op !== 'job' && op.blocks) {
          // The person still reads the question and its options, and can answer by typing.
          const asText = { ...op, text: blocksAsText(op.blocks, op.text), blocks: undefined };
          const sent = await perform(deps, client, placement, reviewId, asText, refs, runJob).then(
            () => true,
            () => false,
          );
          logger.warn({ reviewId, teamId: placement.teamId, op: op.op, sent }, 'Sent the refused message as plain text');
        }
        const target = parsed.data.op === 'post' ? parsed.data.channel : undefined;
        const explanation = target ? explainSlackError(code, target) : undefined;
        if (explanation) {
          await client.chat
            .postMessage({ channel: placement.channelId, thread_ts: placement.threadTs, text: explanation })
            .catch(() => undefined);
        }
      }
    } else {
      logger.error({ reviewId, teamId: placement.teamId }, 'Dropped an outbox item of an unknown shape');
    }
    await store.outboxDone(placement.teamId, reviewId, item.id);
  }
}
