/** The confirmation before a review is deleted for good, and what its messages and its starter are told afterwards. */
import type { ModalView } from '@slack/types';
import { utcMinuteText } from '../../engine/time-text.js';
import type { Decision, ReviewStatus } from '../../engine/types.js';
import { decisionText } from './decision-text.js';
import type { SlackMessage } from './message.js';
import { VIEWS } from '../ids.js';
import { LIMITS, fromSlack, truncate } from './text.js';

export interface ConfirmDeleteMetadata {
  /** The review. */
  r: string;
  /** Where the command was typed, for the private note afterwards. */
  c: string;
}

/** What a review held besides its answers and history: scores once it finished, a decision once a lead recorded one. */
export interface DeletedReviewHeld {
  scores: boolean;
  decision: boolean;
}

export function heldBy(state: { status: ReviewStatus; decision?: Decision }): DeletedReviewHeld {
  return { scores: state.status === 'completed', decision: state.decision !== undefined };
}

/** "answers, scores, decision and history", naming only what the review had: an open review never had scores or a decision. */
function heldText(held: DeletedReviewHeld): string {
  const parts = ['answers', ...(held.scores ? ['scores'] : []), ...(held.decision ? ['decision'] : []), 'history'];
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

/** "Its answers and history are no longer stored." (or with its scores and decision, when it had them). */
export function noLongerStoredText(held: DeletedReviewHeld): string {
  return `Its ${heldText(held)} are no longer stored.`;
}


/** The decision on record, for the person about to delete it along with the review: what, who, when, and its conditions. */
function decisionOnRecord(decision: Decision): string {
  const conditions = decision.conditions ? `\n>${truncate(fromSlack(decision.conditions), 500).replace(/\n/g, '\n>')}` : '';
  const changed = decision.answersChangedAt ? `\n_Answers were edited on ${utcMinuteText(decision.answersChangedAt)}, after it: it needs a decision again._` : '';
  return `*Decision on record:* ${decisionText(decision.outcome)} by <@${decision.by}> on ${utcMinuteText(decision.at)}${conditions}${changed}`;
}

export interface ConfirmDeleteInput {
  reviewId: string;
  systemName: string;
  channelId: string;
  startedBy: string;
  startedAt: string;
  status: ReviewStatus;
  decision?: Decision;
  replyChannelId: string;
}

export function confirmDeleteModal(input: ConfirmDeleteInput): ModalView {
  const metadata: ConfirmDeleteMetadata = { r: input.reviewId, c: input.replyChannelId };
  const held = heldBy(input);
  return {
    type: 'modal',
    callback_id: VIEWS.confirmDelete,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Delete this review?' },
    submit: { type: 'plain_text', text: 'Delete for good' },
    close: { type: 'plain_text', text: 'Keep it' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `*${truncate(fromSlack(input.systemName), 200)}* in <#${input.channelId}> · review ${input.reviewId}\n` +
              `Started by <@${input.startedBy}> on ${input.startedAt.slice(0, 10)} · ${input.status}` +
              (input.decision ? `\n${decisionOnRecord(input.decision)}` : ''),
            LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `:warning: This removes the review from the app for good: its ${heldText(held)}. ` +
            'It cannot be undone, and it can no longer be exported. Its first message, its cards and any question or suggestions still waiting for an answer ' +
            'will say it was deleted, without their buttons; other messages already posted in Slack stay where they are.',
        },
      },
    ],
  };
}

export interface DeletedInput {
  systemName: string;
  deletedBy: string;
  /** When it was deleted (ISO). */
  at: string;
  held: DeletedReviewHeld;
}

/** What the review's first message becomes once the review is deleted. */
export function deletedRootMessage(input: DeletedInput): SlackMessage {
  const text = `Alignment review of ${truncate(fromSlack(input.systemName), 200)}: deleted by <@${input.deletedBy}> on ${utcMinuteText(input.at)}. ${noLongerStoredText(input.held)}`;
  return { text: truncate(text, LIMITS.fallbackText), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:wastebasket: ${text}` } }] };
}

/** The start of the private note to someone who writes in a deleted review's thread, where nothing else would answer them. */
export function deletedThreadNoteText(deletion: { by: string; at: string }): string {
  return `:wastebasket: This review was deleted by <@${deletion.by}> on ${utcMinuteText(deletion.at)}, so there is nothing left to answer.`;
}

/** The private note to a review's starter when someone else deleted it: nothing in Slack would otherwise tell them. */
export function deletedForStarterMessage(input: DeletedInput & { reviewId: string; channelId: string }): SlackMessage {
  const text =
    `<@${input.deletedBy}> deleted your alignment review of *${truncate(fromSlack(input.systemName), 200)}* (review ${input.reviewId}) in <#${input.channelId}> ` +
    `on ${utcMinuteText(input.at)}. ${noLongerStoredText(input.held)}`;
  return { text: truncate(text, LIMITS.fallbackText), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:wastebasket: ${text}` } }] };
}
