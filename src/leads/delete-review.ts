/**
 * `/alignment-review delete <review>`: its starter, a lead or a workspace
 * admin confirms in a modal, then the review, its history and every index
 * entry pointing to it are removed (store.delete). Once a lead has signed a
 * review off, only a lead or an admin may delete it: the decision is the
 * leads', and its starter deleting it would take it away from them.
 *
 * Who asks is checked here (it takes Slack), what the review holds is
 * checked again by the store in the same atomic step as the deletion (its
 * premise): a decision recorded, or queued, after the check refuses the
 * deletion instead of vanishing with it. Once deleted, the thread's first
 * message and every message whose buttons act on the review (the summary in
 * the thread, the leads' card, the proxy-failure suggestion cards, the
 * question an open review waits on) say so, without their buttons; other
 * messages already in Slack (answered questions, notes) stay as they are.
 * A message a drain of the review sends meanwhile, which this deletion may
 * miss or mark too early, the drain marks itself (reviews/outbox.ts,
 * markIfDeleted), in the same words (deletedMessages).
 * A review deleted by someone other than its starter is told to the starter
 * in a direct message with the app (see tellStarter).
 */
import type { WebClient } from '@slack/web-api';
import type { ReviewState } from '../engine/types.js';
import type { ReviewDeps } from '../reviews/deps.js';
import { deletedMessages, isCardRef, isSuggestionCardRef } from '../reviews/deleted-look.js';
import { decodeRef } from '../reviews/outbox.js';
import { REF } from '../reviews/render-step.js';
import { writeWaitingForStore } from '../reviews/store-wait.js';
import { confirmDeleteModal, deletedForStarterMessage, heldBy } from '../slack/blocks/confirm-delete.js';
import type { SlackMessage } from '../slack/blocks/message.js';
import type { DeleteResult, Deletion, ReviewRecord } from '../store/types.js';
import { isPersonId } from './people.js';
import { isLeadOrAdmin } from './permissions.js';
import { DECISION_INPUT_PREFIX } from './sign-off.js';
import { directMessageChannel } from './upload.js';
import { errorMessage } from '../logger.js';

export const NOT_ALLOWED_TO_DELETE = 'Only the person who started this review, review leads and workspace admins can delete it. Nothing was changed.';

/** Said to a review's starter (not a lead) who asks to delete it once a lead has recorded a decision on it. */
export const SIGNED_OFF_LEADS_ONLY =
  'A lead has recorded a decision on this review, so only review leads and workspace admins can delete it now. Nothing was changed.';

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
      ...(record.state.decision ? { decision: record.state.decision } : {}),
      replyChannelId: request.channelId,
    }),
  });
  return null;
}

export type DeleteOutcome = { ok: true } | { ok: false; message: string };

/** Said when the store refused the deletion: a decision came in (or is on its way) between the check and the deletion. */
export const DECIDED_WHILE_DELETING =
  'A lead recorded a decision on this review just as you confirmed, so I did not delete it. Nothing was changed: ask again if it should still go.';

/** What the person is told when the store failed them mid-deletion: the modal has closed, so a private note. */
export function deleteFailedMessage(reviewId: string): string {
  return `:warning: I could not delete review \`${reviewId}\`, so it is still there. Please try again in a minute.`;
}

function alreadyDeletedText(reviewId: string): string {
  return `Review \`${reviewId}\` was already deleted.`;
}

function alreadyDeleted(reviewId: string): DeleteOutcome {
  return { ok: false, message: alreadyDeletedText(reviewId) };
}

export interface ConfirmedDeletion {
  teamId: string;
  userId: string;
  reviewId: string;
  /** Names the confirmation (its modal's view id): each try of its deletion carries it, so a retry is known as one. */
  deletionId: string;
}

type Deleted = Extract<DeleteResult, { outcome: 'deleted' }>;

/**
 * Deletes after the confirmation, checking again who asks (the modal could
 * have been open for a while) and, in the deletion's own atomic step, that
 * the review is still as that check read it.
 */
export async function deleteConfirmed(deps: ReviewDeps, client: WebClient, input: ConfirmedDeletion): Promise<DeleteOutcome> {
  const record = await deps.store.get(input.teamId, input.reviewId);
  if (!record) return alreadyDeleted(input.reviewId);
  // A decision recorded while the confirmation was open counts too.
  const refusal = await deleteRefusal(deps, client, record.state, input.userId);
  if (refusal) return { ok: false, message: refusal };
  const result = await deleteWaitingForStore(deps, input, record);
  if (result.outcome === 'gone') return alreadyDeleted(input.reviewId);
  if (result.outcome === 'changed') return { ok: false, message: await changedRefusal(deps, client, input) };
  deps.logger.info({ reviewId: input.reviewId, teamId: input.teamId, channel: result.placement.channelId, user: input.userId }, 'Review deleted');
  await markDeletedInSlack(deps, client, record.state, result);
  await tellStarter(deps, client, record.state, result);
  return { ok: true };
}

/**
 * Confirmed: a store away for a moment delays the deletion rather than
 * failing it. Each try is the same deletion (same id, by and at): one that
 * finds an earlier try's deletion done gets that try's answer, and finishes
 * what it left undone (the index entries).
 */
function deleteWaitingForStore(deps: ReviewDeps, input: ConfirmedDeletion, checked: ReviewRecord): Promise<DeleteResult> {
  const deletion: Deletion = {
    id: input.deletionId,
    by: input.userId,
    at: deps.now().toISOString(),
    premise: { version: checked.version, decision: checked.state.decision ?? null, decisionInputPrefix: DECISION_INPUT_PREFIX },
  };
  return writeWaitingForStore(deps, () => deps.store.delete(input.teamId, input.reviewId, deletion), {
    what: 'delete a review',
    context: { reviewId: input.reviewId, teamId: input.teamId, channel: checked.placement.channelId },
  });
}

/** Why a deletion the store refused did not happen, as the check would say it now: usually the decision that came in. */
async function changedRefusal(deps: ReviewDeps, client: WebClient, input: ConfirmedDeletion): Promise<string> {
  const record = await deps.store.get(input.teamId, input.reviewId);
  if (!record) return alreadyDeletedText(input.reviewId);
  return (await deleteRefusal(deps, client, record.state, input.userId)) ?? DECIDED_WHILE_DELETING;
}

/** The refs of the review's cards, whose buttons act on it: each message of the summary card, and the leads' card. */
function cardRefNames(refs: Record<string, string>): string[] {
  return Object.keys(refs).filter(isCardRef);
}

/** Every proxy-failure suggestion card: each keeps its Relevant / Not relevant buttons while the review runs and after it ends. */
function suggestionCardRefNames(refs: Record<string, string>): string[] {
  return Object.keys(refs).filter(isSuggestionCardRef);
}

/**
 * The questions that may still show buttons: the one an open review waits
 * on. An answered question shows its answer, and one the review left was
 * struck through, so those are not worth a Web API call each. The state was
 * read before the deletion's atomic step, and a reply may have moved the
 * review on in between: a question asked since that read may be the one
 * waiting now, so it counts too. A paused review's question has lost its
 * buttons already, but says it will be asked again on resume, which no
 * longer holds.
 */
function waitingQuestionRefNames(refs: Record<string, string>, read: Pick<ReviewState, 'status' | 'currentQuestionId' | 'asked'>): string[] {
  if (read.status !== 'active' && read.status !== 'paused') return [];
  const prefix = REF.question('');
  return Object.keys(refs).filter((name) => {
    if (!name.startsWith(prefix)) return false;
    const questionId = name.slice(prefix.length);
    return questionId === read.currentQuestionId || !read.asked.includes(questionId);
  });
}

/** The refs of the messages whose buttons act on the review, which would only answer that it no longer exists. */
function refNamesWithButtons(refs: Record<string, string>, read: ReviewState): string[] {
  return [...cardRefNames(refs), ...suggestionCardRefNames(refs), ...waitingQuestionRefNames(refs, read)];
}

/**
 * The thread's first message and the messages with buttons say the review
 * was deleted, by whom and when (as the deletion first stored them: a
 * retried deletion writes the same words), and lose their buttons. Each
 * update on its own: one Slack refuses is logged, and the deletion stands.
 */
async function markDeletedInSlack(deps: ReviewDeps, client: WebClient, read: ReviewState, deleted: Deleted): Promise<void> {
  const reviewId = read.id;
  const { root, withoutButtons } = deletedMessages(read, deleted);
  const updates = [{ ref: REF.root, message: root }, ...refNamesWithButtons(deleted.refs, read).map((ref) => ({ ref, message: withoutButtons }))];
  await Promise.all(updates.map(({ ref, message }) => updateDeletedMessage(deps, client, reviewId, deleted, ref, message)));
}

async function updateDeletedMessage(deps: ReviewDeps, client: WebClient, reviewId: string, deleted: Deleted, ref: string, message: SlackMessage): Promise<void> {
  const target = decodeRef(deleted.refs[ref], deleted.placement.channelId);
  if (!target) return;
  await client.chat.update({ channel: target.channel, ts: target.ts, text: message.text, blocks: message.blocks }).catch((error: unknown) => {
    deps.logger.warn({ reviewId, teamId: deleted.placement.teamId, channel: target.channel, ref, err: errorMessage(error) }, 'Could not mark a message of the deleted review');
  });
}

/**
 * Someone else deleted the review: its starter is told in a direct message
 * with the app. Not an ephemeral in the review's channel: that reaches only
 * someone in the channel and looking at it then, and is gone when Slack
 * reloads, while the starter may be neither; the direct message stays, and
 * is where the app's exports go already (im:write). A message Slack refuses
 * is logged, and the deletion stands.
 */
async function tellStarter(deps: ReviewDeps, client: WebClient, read: ReviewState, deleted: Deleted): Promise<void> {
  const starter = read.startedBy;
  if (starter === deleted.by || !isPersonId(starter)) return;
  const message = deletedForStarterMessage({
    systemName: read.systemName,
    reviewId: read.id,
    channelId: deleted.placement.channelId,
    deletedBy: deleted.by,
    at: deleted.at,
    held: heldBy(read),
  });
  try {
    const channel = await directMessageChannel(client, starter);
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  } catch (error) {
    deps.logger.warn({ reviewId: read.id, teamId: deleted.placement.teamId, user: starter, err: errorMessage(error) }, 'Could not tell the starter their review was deleted');
  }
}
