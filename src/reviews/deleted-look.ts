/**
 * The look a deleted review's messages take (its thread's first message, and
 * every message whose buttons acted on it), shared by the deletion
 * (leads/delete-review.ts) and by a drain that sent messages as the review
 * was being deleted, so both write the same words. A deletion keeps nothing
 * of the review, so whoever marks the messages brings what they say of it
 * from the state it read.
 */
import type { ReviewState } from '../engine/types.js';
import { errorMessage } from '../logger.js';
import type { ChatClient } from '../slack/chat-client.js';
import { deletedRootMessage, heldBy } from '../slack/blocks/confirm-delete.js';
import type { SlackMessage } from '../slack/blocks/message.js';
import { deletedCardMessage } from '../slack/blocks/summary-card.js';
import type { ReviewPlacement, ThreadDeletion } from '../store/types.js';
import type { ReviewDeps } from './deps.js';
import type { OutboxOp } from './outbox-ops.js';
import { decodeRef, type KnownRefs, type Performed } from './outbox.js';
import { REF } from './render-step.js';

/**
 * Messages a drain sent after their commit (from the outbox) that a
 * deletion marks, which it may have missed: an update that landed after the
 * deletion's own (the card's buttons are back), or a post whose ref the
 * deletion did not read (stored with the drain's next write). The drain's
 * last write stores the last of their refs, so one look for the deletion
 * after it settles them all: a deletion before a ref's write is in its note
 * by then, and one after the write reads the ref and marks the message
 * itself. A drain that sent none makes no look.
 */
export class LateMessages {
  private readonly sent = new Map<string, { value: string; look: DeletedLook }>();
  private holder?: { review: DeletedReview; client: ChatClient; placement: ReviewPlacement };

  constructor(private readonly deps: ReviewDeps) {}

  /** The review as the drain holds it now (what the deleted look says of it), and how to reach its messages. */
  holding(review: DeletedReview, client: ChatClient, placement: ReviewPlacement): this {
    this.holder = { review, client, placement };
    return this;
  }

  /** After `op` was performed: noted when it showed a message the deletion marks. */
  note(op: OutboxOp | undefined, performed: Performed, refs: KnownRefs): void {
    const shown = shownMessageOf(op);
    const sent = op?.op === 'update' || performed.ref !== undefined;
    const value = shown ? refs[shown.ref] : undefined;
    if (shown && sent && value) this.sent.set(shown.ref, { value, look: shown.look });
  }

  /** Once the drain has made its last write: the messages noted take the deleted look if the review was deleted. */
  async markIfDeleted(): Promise<void> {
    if (!this.holder || this.sent.size === 0) return;
    const { review, client, placement } = this.holder;
    const refs = Object.fromEntries([...this.sent].map(([ref, { value }]) => [ref, value]));
    const shown = [...this.sent].map(([ref, { look }]) => ({ ref, look }));
    this.sent.clear();
    await markIfDeleted(this.deps, client, placement, review, refs, shown);
  }
}

/** What a deleted review's messages say of it: a deletion keeps none of it, so whoever marks them brings it from the state it read. */
export type DeletedReview = Pick<ReviewState, 'id' | 'systemName' | 'status' | 'decision'>;

/** The looks of a deleted review's messages: its thread's first message, and every message whose buttons acted on it. */
export type DeletedLook = 'root' | 'withoutButtons';

export function deletedMessages(review: DeletedReview, deletion: ThreadDeletion): Record<DeletedLook, SlackMessage> {
  const said = { systemName: review.systemName, deletedBy: deletion.by, at: deletion.at, held: heldBy(review) };
  return { root: deletedRootMessage(said), withoutButtons: deletedCardMessage({ ...said, reviewId: review.id }) };
}

/** Each message of the summary card, and the leads' card: their buttons act on the review. */
export function isCardRef(name: string): boolean {
  const summary = REF.summary(0);
  return name === REF.leads || name === summary || name.startsWith(`${summary}:`);
}

/** A proxy-failure suggestion card: it keeps its Relevant / Not relevant buttons while the review runs and after it ends. */
export function isSuggestionCardRef(name: string): boolean {
  return name.startsWith(REF.suggestions(''));
}

/** A message a drain sent that a deletion marks, by its ref, with the look it takes there. */
export interface ShownMessage {
  ref: string;
  look: DeletedLook;
}

/**
 * Whether the deletion marks the message this op posts or updates, as
 * markDeletedInSlack (leads/delete-review.ts) does: the first message, the
 * cards, and a question posted (the one the review waits on). An update of
 * a question shows its answer, or strikes it through, without buttons, as
 * the deletion leaves an answered question.
 */
export function shownMessageOf(op: OutboxOp | undefined): ShownMessage | undefined {
  if (!op || op.op === 'ephemeral' || op.op === 'job' || !op.ref) return undefined;
  if (op.ref === REF.root) return { ref: op.ref, look: 'root' };
  if (isCardRef(op.ref) || isSuggestionCardRef(op.ref)) return { ref: op.ref, look: 'withoutButtons' };
  return op.op !== 'update' && op.ref.startsWith(REF.question('')) ? { ref: op.ref, look: 'withoutButtons' } : undefined;
}

/**
 * Gives messages a drain sent the deleted look when the review was deleted
 * (its deletion's note says by whom and when); false, and nothing sent,
 * when it was not. Each update on its own, as the deletion's own: one Slack
 * refuses is logged.
 */
export async function markIfDeleted(deps: ReviewDeps, client: ChatClient, placement: ReviewPlacement, review: DeletedReview, refs: KnownRefs, shown: ShownMessage[]): Promise<boolean> {
  if (shown.length === 0) return false;
  const deletion = await deps.store.findDeletion(placement.teamId, review.id);
  if (!deletion) return false;
  const looks = deletedMessages(review, deletion);
  await Promise.all(shown.map(({ ref, look }) => updateAsDeleted(deps, client, placement, review.id, decodeRef(refs[ref], placement.channelId), looks[look], ref)));
  deps.logger.info({ reviewId: review.id, teamId: placement.teamId, channel: placement.channelId, refs: shown.map(({ ref }) => ref) }, 'Marked messages sent as the review was deleted');
  return true;
}

async function updateAsDeleted(
  deps: ReviewDeps,
  client: ChatClient,
  placement: ReviewPlacement,
  reviewId: string,
  target: { channel: string; ts: string } | null,
  message: SlackMessage,
  ref: string,
): Promise<void> {
  if (!target) return;
  await client.chat.update({ channel: target.channel, ts: target.ts, text: message.text, blocks: message.blocks as never }).catch((error: unknown) => {
    deps.logger.warn({ reviewId, teamId: placement.teamId, channel: target.channel, ref, err: errorMessage(error) }, 'Could not mark a message of the deleted review');
  });
}
