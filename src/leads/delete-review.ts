/**
 * `/alignment-review delete <review>`: its starter, a lead or a workspace
 * admin confirms in a modal, then the review, its history and every index
 * entry pointing to it are removed (store.delete). Once a lead has signed a
 * review off, only a lead or an admin may delete it: the decision is the
 * leads', and its starter deleting it would take it away from them. The
 * thread's first message says it was deleted; other messages already in
 * Slack stay.
 */
import type { WebClient } from '@slack/web-api';
import type { ReviewState } from '../engine/types.js';
import type { ReviewDeps } from '../reviews/deps.js';
import { decodeRef } from '../reviews/outbox.js';
import { REF } from '../reviews/render-step.js';
import { writeWaitingForStore } from '../reviews/store-wait.js';
import { confirmDeleteModal, deletedRootMessage } from '../slack/blocks/confirm-delete.js';
import { isLeadOrAdmin } from './permissions.js';
import { errorMessage } from '../logger.js';

export const NOT_ALLOWED_TO_DELETE = 'Only the person who started this review, the review leads your admins named and workspace admins can delete it. Nothing was changed.';

/** Said to a review's starter (not a lead) who asks to delete it once a lead has recorded a decision on it. */
export const SIGNED_OFF_LEADS_ONLY =
  'A lead has recorded a decision on this review, so only the review leads your admins named and workspace admins can delete it now. Nothing was changed.';

/** Why `userId` may not delete the review, or null when they may: a lead or admin always may, its starter only until a decision is recorded. */
async function deleteRefusal(deps: ReviewDeps, client: WebClient, state: Pick<ReviewState, 'startedBy' | 'decision'>, userId: string): Promise<string | null> {
  if (state.startedBy === userId && !state.decision) return null;
  if (await isLeadOrAdmin(deps, client, userId)) return null;
  return state.startedBy === userId ? SIGNED_OFF_LEADS_ONLY : NOT_ALLOWED_TO_DELETE;
}

export interface DeleteRequest {
  teamId: string;
  /** Where the command was typed. */
  channelId: string;
  userId: string;
  triggerId: string;
  reviewId: string;
}

/** Opens the confirmation, or returns what to tell the person privately instead. */
export async function requestDelete(deps: ReviewDeps, client: WebClient, request: DeleteRequest): Promise<string | null> {
  const record = await deps.store.get(request.teamId, request.reviewId);
  if (!record) return `There is no review \`${request.reviewId}\` in this workspace.`;
  const refusal = await deleteRefusal(deps, client, record.state, request.userId);
  if (refusal) return refusal;
  await client.views.open({
    trigger_id: request.triggerId,
    view: confirmDeleteModal({
      reviewId: request.reviewId,
      systemName: record.state.systemName,
      channelId: record.placement.channelId,
      startedBy: record.state.startedBy,
      startedAt: record.state.startedAt,
      status: record.state.status,
      replyChannelId: request.channelId,
    }),
  });
  return null;
}

export type DeleteOutcome = { ok: true } | { ok: false; message: string };

/** What the person is told when the store failed them mid-deletion: the modal has closed, so a private note. */
export function deleteFailedMessage(reviewId: string): string {
  return `:warning: I could not delete review \`${reviewId}\`, so it is still there. Please try again in a minute.`;
}

/** Deletes after the confirmation, checking again who asks: the modal could have been open for a while. */
export async function deleteConfirmed(deps: ReviewDeps, client: WebClient, input: { teamId: string; userId: string; reviewId: string }): Promise<DeleteOutcome> {
  const { store } = deps;
  // The refs with the record: the deletion removes them, and the root message's is needed after it.
  const [record, refs] = await Promise.all([store.get(input.teamId, input.reviewId), store.refs(input.teamId, input.reviewId)]);
  if (!record) return { ok: false, message: `Review \`${input.reviewId}\` was already deleted.` };
  // A decision recorded while the confirmation was open counts too.
  const refusal = await deleteRefusal(deps, client, record.state, input.userId);
  if (refusal) return { ok: false, message: refusal };
  // Confirmed: a store away for a moment delays the deletion rather than failing it (deleting twice is harmless).
  await writeWaitingForStore(deps, () => store.delete(input.teamId, input.reviewId), {
    what: 'delete a review',
    context: { reviewId: input.reviewId, teamId: input.teamId, channel: record.placement.channelId },
  });
  deps.logger.info({ reviewId: input.reviewId, teamId: input.teamId, channel: record.placement.channelId, user: input.userId }, 'Review deleted');

  const root = decodeRef(refs[REF.root]);
  if (root) {
    const message = deletedRootMessage({ systemName: record.state.systemName, deletedBy: input.userId, at: deps.now().toISOString() });
    await client.chat.update({ channel: root.channel, ts: root.ts, text: message.text, blocks: message.blocks }).catch((error: unknown) => {
      deps.logger.warn({ reviewId: input.reviewId, err: errorMessage(error) }, 'Could not mark the deleted review in its thread');
    });
  }
  return { ok: true };
}
