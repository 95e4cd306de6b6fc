/**
 * A question in the thread, and the same message once answered: the buttons
 * give way to the recorded answer so nobody clicks a stale one.
 */
import type { KnownBlock } from '@slack/types';
import { normalizeReply, parseReply } from '../../engine/answer-parse.js';
import { totalText, type QuestionProgress } from '../../engine/question-count.js';
import type { Answer, Option, Question } from '../../engine/types.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import { LIMITS, plain, quoteAnswer, truncate } from './text.js';
import type { SlackMessage } from './message.js';

/** 1-based number of this question among those that apply now, and how many the review asks in all as far as its answers tell. */
export type QuestionPosition = QuestionProgress;

/** What a button carries back: enough to find the review and refuse stale clicks. */
export interface ActionValue {
  r: string;
  q: string;
  o?: string;
}

export function encodeActionValue(value: ActionValue): string {
  return JSON.stringify(value);
}

function heading(question: Question, position: QuestionPosition): string {
  const section = question.section ? ` · ${plain(question.section)}` : '';
  const suggested = question.suggested ? ' · _suggested follow-up_' : '';
  const optional = question.optional ? ' · optional' : '';
  return `*Question ${position.number} of ${totalText(position.total)}*${section}${optional}${suggested}`;
}

function promptBlock(question: Question, position: QuestionPosition): KnownBlock {
  const text = `${heading(question, position)}\n*${plain(question.prompt)}*`;
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

/**
 * A flow's example as the reader understands it. Option questions' examples
 * are often option numbers ("2", "2, 4"), which mean nothing on their own:
 * the options they stand for follow, read the way a reply would be. An
 * example already in its options' words ("Yes — we log…") is left as is.
 */
/**
 * The example as shown, by question: parsing it against the options is
 * the same for every message of a question, and a question's blocks are
 * built on every reply (asked, then answered), so it is worked out once per
 * question object. Flow questions live as long as the flow; a review's
 * added questions are new objects per load and go with them.
 */
const shownExamples = new WeakMap<Question, string>();

function exampleText(question: Question, example: string): string {
  let shown = shownExamples.get(question);
  if (shown === undefined) {
    shown = exampleShown(question, example);
    shownExamples.set(question, shown);
  }
  return shown;
}

function exampleShown(question: Question, example: string): string {
  if (question.options.length === 0) return example;
  const parsed = parseReply(question, example);
  if (!parsed.ok || parsed.value.kind !== 'options') return example;
  const chosen = parsed.value.optionIds;
  const labels = question.options.filter((option) => chosen.includes(option.id)).map((option) => option.label);
  const written = normalizeReply(example);
  // Labels may hold commas themselves, so several are set apart by semicolons.
  return labels.every((label) => written.includes(normalizeReply(label))) ? example : `${example} (${labels.join('; ')})`;
}

function helpBlock(question: Question): KnownBlock | null {
  const lines: string[] = [];
  if (question.help) lines.push(plain(question.help));
  if (question.example) lines.push(`_Example:_ ${plain(exampleText(question, question.example))}`);
  if (lines.length === 0) return null;
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(lines.join('\n'), LIMITS.contextText) }] };
}

/** How an option reads on its button or checkbox, and the most Slack shows there. */
function optionControlText(option: Option, index: number): string {
  return `${index + 1}. ${option.label}`;
}

function controlLimit(question: Question): number {
  return question.kind === 'multi' ? LIMITS.optionText : LIMITS.buttonText;
}

/** The most sections the full list of answers may take: a message holds 50 blocks, and the list is one part of it. */
const MAX_OPTION_LIST_SECTIONS = 10;

/**
 * The answers in full, numbered as on the buttons, when one of them would be
 * cut on its button or checkbox: Slack shows a button's first 75 characters
 * (fewer at phone width), and an answer that cannot be read in full cannot be
 * chosen knowingly. In as few sections as the lines fit, each within Slack's
 * limit. None when every answer fits its control.
 */
function optionListBlocks(question: Question): KnownBlock[] {
  const limit = controlLimit(question);
  if (!question.options.some((option, index) => optionControlText(option, index).length > limit)) return [];
  const sections: string[] = [];
  question.options.forEach((option, index) => {
    const line = truncate(`${index + 1}. ${plain(option.label)}`, LIMITS.sectionText);
    const last = sections.length - 1;
    if (last >= 0 && sections[last]!.length + 1 + line.length <= LIMITS.sectionText) sections[last] += `\n${line}`;
    else sections.push(line);
  });
  return sections.slice(0, MAX_OPTION_LIST_SECTIONS).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function optionButtons(reviewId: string, question: Question): KnownBlock {
  return {
    type: 'actions',
    block_id: BLOCKS.questionActions,
    elements: question.options.slice(0, LIMITS.buttonsPerActions - 1).map((option, index) => ({
      type: 'button' as const,
      // Action ids must be unique within a message; the prefix is what the listener matches.
      action_id: `${ACTIONS.answerOption}_${index}`,
      text: { type: 'plain_text' as const, text: truncate(optionControlText(option, index), LIMITS.buttonText), emoji: true },
      value: encodeActionValue({ r: reviewId, q: question.id, o: option.id }),
    })),
  };
}

function multiChoice(reviewId: string, question: Question): KnownBlock[] {
  const options = question.options.slice(0, LIMITS.checkboxOptions);
  return [
    {
      type: 'actions',
      block_id: BLOCKS.multiActions,
      elements: [
        {
          type: 'checkboxes',
          action_id: ACTIONS.multiSelect,
          options: options.map((option, index) => ({
            text: { type: 'plain_text', text: truncate(optionControlText(option, index), LIMITS.optionText), emoji: true },
            value: option.id,
          })),
        },
        {
          type: 'button',
          action_id: ACTIONS.multiSubmit,
          style: 'primary',
          text: { type: 'plain_text', text: 'Submit' },
          value: encodeActionValue({ r: reviewId, q: question.id }),
        },
      ],
    },
  ];
}

function replyHint(question: Question): KnownBlock {
  const how =
    question.kind === 'text'
      ? 'Reply in this thread.'
      : question.kind === 'multi'
        ? 'Tick the boxes and press Submit, or reply with numbers, or words from the answers, separated by commas.'
        : 'Click a button, or reply with a number, or words from one answer.';
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${how} You can also type *skip*, *back*, *status*, *pause* or *help*.` }],
  };
}

export function questionMessage(reviewId: string, question: Question, position: QuestionPosition): SlackMessage {
  const blocks: KnownBlock[] = [promptBlock(question, position), ...optionListBlocks(question)];
  const help = helpBlock(question);
  if (help) blocks.push(help);
  if (question.kind === 'multi') blocks.push(...multiChoice(reviewId, question));
  else if (question.options.length > 0) blocks.push(optionButtons(reviewId, question));
  blocks.push(replyHint(question));
  // The fallback text is mrkdwn too (notifications): a suggested question's prompt is model text.
  return { text: truncate(`Question ${position.number}: ${plain(question.prompt)}`, LIMITS.fallbackText), blocks };
}

/** The question message after it was answered (or skipped): no buttons, the answer and who gave it. */
export function answeredQuestionMessage(question: Question, position: QuestionPosition, answer: Answer, answerText: string): SlackMessage {
  // A skip is not an answer: no green tick, so the thread does not read as answered.
  // (:arrow_right: rather than :fast_forward:, which the local playground cannot show.)
  const skipped = answer.value.kind === 'skipped';
  const shown = skipped ? ':arrow_right: Skipped' : `:white_check_mark: ${quoteAnswer(answerText, LIMITS.sectionText - 600)}`;
  const blocks: KnownBlock[] = [
    promptBlock(question, position),
    { type: 'section', text: { type: 'mrkdwn', text: truncate(shown, LIMITS.sectionText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${skipped ? 'Skipped' : 'Answered'} by <@${answer.by}>` }] },
  ];
  return { text: truncate(`Question ${position.number}: ${skipped ? 'skipped' : 'answered'}`, LIMITS.fallbackText), blocks };
}
