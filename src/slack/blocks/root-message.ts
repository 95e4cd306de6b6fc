/** The channel message a review's thread hangs from. */
import type { Flow } from '../../engine/types.js';
import type { SlackMessage } from './message.js';
import { LIMITS, fromSlack, plain, plainTextFromSlack, truncate } from './text.js';

export function rootMessage(input: {
  systemName: string;
  startedBy: string;
  flow: Flow;
  questionCount: number;
  reviewId: string;
  respondents?: string[];
  status?: 'active' | 'paused' | 'completed' | 'cancelled';
}): SlackMessage {
  const system = truncate(fromSlack(input.systemName), 200);
  const who = input.respondents?.length ? `\nAnswering: ${input.respondents.map((id) => `<@${id}>`).join(', ')}` : '';
  const statusLine =
    input.status === 'completed'
      ? '*Finished* — the summary is in the thread.'
      : input.status === 'cancelled'
        ? '*Cancelled.*'
        : input.status === 'paused'
          ? '*Paused* — type *resume* in the thread to go on.'
          : ':thread: *Answer in the thread*, one question at a time.';
  return {
    text: truncate(`Alignment review of ${fromSlack(input.systemName)} started by <@${input.startedBy}>`, LIMITS.fallbackText),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: plainTextFromSlack(`Alignment review: ${input.systemName}`, LIMITS.headerText) } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `*System:* ${system}\n*Started by:* <@${input.startedBy}>\n*Flow:* ${plain(input.flow.title)} (v${input.flow.version}), about ${input.questionCount} questions${who}\n${statusLine}`,
            LIMITS.sectionText,
          ),
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Review ${input.reviewId} · _${plain(truncate(input.flow.description, 400))}_` }] },
    ],
  };
}
