/** The channel message a review's thread hangs from. */
import { questionCountRange, questionCountText } from '../../engine/index.js';
import { utcMinuteText } from '../../engine/time-text.js';
import type { Flow } from '../../engine/types.js';
import type { SlackMessage } from './message.js';
import { LIMITS, fromSlack, plain, plainTextFromSlack, truncate } from './text.js';

/**
 * Text cut to `max` characters at the last word that fits, ending with "…"
 * when cut: a flow's description is read, and a word cut in half reads as a typo.
 */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = truncate(text, max).slice(0, -1);
  const endsAtWord = /^\s/.test(text.slice(cut.length));
  const lastSpace = cut.search(/\s\S*$/);
  // One word longer than `max` is cut in the middle after all: better than nothing.
  const words = endsAtWord || lastSpace <= 0 ? cut : cut.slice(0, lastSpace);
  return `${words.trimEnd()}…`;
}

/** The review id and the flow's description, which is shown whole whenever it fits the context's limit. */
function reviewContext(reviewId: string, description: string): string {
  const opening = `Review ${reviewId} · _`;
  const closing = '_';
  return `${opening}${cutAtWord(plain(description), LIMITS.contextText - opening.length - closing.length)}${closing}`;
}

/** "*Cancelled* by @Ann on 2026-11-27 21:40 UTC." — each part only when known. */
function cancelledLine(cancelled: { by?: string; at?: string } | undefined): string {
  const by = cancelled?.by ? ` by <@${cancelled.by}>` : '';
  const at = cancelled?.at && Number.isFinite(Date.parse(cancelled.at)) ? ` on ${utcMinuteText(new Date(cancelled.at).toISOString())}` : '';
  return `*Cancelled*${by}${at}.`;
}

export function rootMessage(input: {
  systemName: string;
  startedBy: string;
  flow: Flow;
  /** The questions the review applies now: its count once the review is finished, when the flow's range no longer says anything. */
  questionCount: number;
  reviewId: string;
  respondents?: string[];
  status?: 'active' | 'paused' | 'completed' | 'cancelled';
  /** A cancelled review: who cancelled it and when (ISO), as far as its state tells. */
  cancelled?: { by?: string; at?: string };
}): SlackMessage {
  const system = truncate(fromSlack(input.systemName), 200);
  const questions = input.status === 'completed' ? questionCountText({ fewest: input.questionCount, most: input.questionCount }) : questionCountText(questionCountRange(input.flow));
  const who = input.respondents?.length ? `\nAnswering: ${input.respondents.map((id) => `<@${id}>`).join(', ')}` : '';
  const statusLine =
    input.status === 'completed'
      ? '*Finished* — the summary is in the thread.'
      : input.status === 'cancelled'
        ? cancelledLine(input.cancelled)
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
            `*System:* ${system}\n*Started by:* <@${input.startedBy}>\n*Flow:* ${plain(input.flow.title)} (v${input.flow.version}), ${questions}${who}\n${statusLine}`,
            LIMITS.sectionText,
          ),
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: reviewContext(input.reviewId, input.flow.description) }] },
    ],
  };
}
