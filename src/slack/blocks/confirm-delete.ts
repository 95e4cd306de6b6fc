/** The confirmation before a review is deleted for good. */
import type { ModalView } from '@slack/types';
import type { SlackMessage } from './message.js';
import { VIEWS } from '../ids.js';
import { LIMITS, fromSlack, truncate } from './text.js';

export interface ConfirmDeleteMetadata {
  /** The review. */
  r: string;
  /** Where the command was typed, for the private note afterwards. */
  c: string;
}

export function confirmDeleteModal(input: { reviewId: string; systemName: string; channelId: string; startedBy: string; startedAt: string; status: string; replyChannelId: string }): ModalView {
  const metadata: ConfirmDeleteMetadata = { r: input.reviewId, c: input.replyChannelId };
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
              `Started by <@${input.startedBy}> on ${input.startedAt.slice(0, 10)} · ${input.status}`,
            LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            ':warning: This removes the review from the app for good: every answer, the scores, the decision and the history. ' +
            'It cannot be undone, and it can no longer be exported. Its first message, its cards and any question or suggestions still waiting for an answer ' +
            'will say it was deleted, without their buttons; other messages already posted in Slack stay where they are.',
        },
      },
    ],
  };
}

/** What the review's first message becomes once the review is deleted. */
export function deletedRootMessage(input: { systemName: string; deletedBy: string; at: string }): SlackMessage {
  const text = `Alignment review of ${truncate(fromSlack(input.systemName), 200)}: deleted by <@${input.deletedBy}> on ${input.at.slice(0, 10)}. Its answers and history are no longer stored.`;
  return { text: truncate(text, LIMITS.fallbackText), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:wastebasket: ${text}` } }] };
}
