/** The modal a lead records a decision in: the outcome, and the conditions when approving with conditions. */
import { DECISION_TEXT } from '../../engine/markdown.js';
import { decisionText } from './decision-text.js';
import type { ModalView } from '@slack/types';
import type { Decision } from '../../engine/types.js';
import { INPUTS, VIEWS } from '../ids.js';
import type { SlackMessage } from './message.js';
import { LIMITS, fromSlack, plainTextFromSlack, truncate } from './text.js';

export const OUTCOMES: readonly { value: Decision['outcome']; label: string }[] = [
  { value: 'approved', label: 'Approved' },
  { value: 'approved_with_conditions', label: 'Approved with conditions' },
  { value: 'changes_needed', label: 'Changes needed' },
];

export const MAX_CONDITIONS = 3000;

export interface SignOffMetadata {
  /** The review. */
  r: string;
  /** Where the button was clicked, for private notes after the modal closes. */
  c: string;
}

/** Said in the modal of a review whose score covers fewer than half the risk areas (coverage `not_enough_answered`). */
export const NOT_ASSESSED_WARNING = 'Fewer than half the risk areas were assessed: an approval here is not backed by a score.';

/**
 * `overall`: the overall level in words, e.g. "Level III" or "Not enough answered" (overallShort).
 * `notAssessed`: too little was answered to assess the review; the modal says so, and still takes any decision.
 */
export function signOffModal(input: { reviewId: string; systemName: string; overall: string; notAssessed?: boolean; current?: Decision; channelId: string }): ModalView {
  const options = OUTCOMES.map((outcome) => ({ text: { type: 'plain_text' as const, text: outcome.label }, value: outcome.value }));
  const initial = options.find((option) => option.value === input.current?.outcome);
  const metadata: SignOffMetadata = { r: input.reviewId, c: input.channelId };
  const earlier = input.current ? `\n_Current decision: ${OUTCOMES.find((o) => o.value === input.current?.outcome)?.label ?? input.current.outcome} by <@${input.current.by}>. A new one replaces it; both stay in the history._` : '';
  return {
    type: 'modal',
    callback_id: VIEWS.signOff,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Record a decision' },
    submit: { type: 'plain_text', text: 'Record' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${truncate(fromSlack(input.systemName), 200)}* — ${input.overall} · review ${input.reviewId}${earlier}`, LIMITS.sectionText),
        },
      },
      ...(input.notAssessed ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: `:warning: ${NOT_ASSESSED_WARNING}` }] }] : []),
      {
        type: 'input',
        block_id: INPUTS.decision.block,
        label: { type: 'plain_text', text: 'Decision' },
        element: { type: 'radio_buttons', action_id: INPUTS.decision.action, options, ...(initial ? { initial_option: initial } : {}) },
      },
      {
        type: 'input',
        block_id: INPUTS.conditions.block,
        optional: true,
        label: { type: 'plain_text', text: 'Conditions' },
        hint: { type: 'plain_text', text: 'Required when approving with conditions: what must be true before or while it runs.' },
        element: {
          type: 'plain_text_input',
          action_id: INPUTS.conditions.action,
          multiline: true,
          max_length: MAX_CONDITIONS,
          ...(input.current?.conditions ? { initial_value: plainTextFromSlack(input.current.conditions, MAX_CONDITIONS) } : {}),
        },
      },
    ],
  };
}


/** How much of the conditions the note quotes: the card in the thread has them whole. */
export const NOTE_CONDITIONS = { chars: 400, lines: 6 } as const;

/** The conditions as a quote, cut to NOTE_CONDITIONS; they are people's text as Slack delivered it, so neutralised. */
function quotedConditions(conditions: string): string {
  const lines = fromSlack(conditions).trim().split('\n');
  const kept = lines.slice(0, NOTE_CONDITIONS.lines).join('\n');
  const cut = truncate(kept, NOTE_CONDITIONS.chars);
  const shortened = cut !== kept || lines.length > NOTE_CONDITIONS.lines;
  const quoted = `>${cut.replace(/\n/g, '\n>')}${shortened && !cut.endsWith('…') ? '\n>…' : ''}`;
  return shortened ? `${quoted}\n_The conditions in full are on the summary card._` : quoted;
}

/**
 * The note posted in the review's thread when a lead records a decision, or
 * changes it: who decided, the outcome and the conditions (cut to fit),
 * mentioning the person who started the review so they hear of it.
 * `before`: the decision it replaces, if any.
 */
export function decisionNoteMessage(input: { decision: Decision; before?: Decision; startedBy: string }): SlackMessage {
  const { decision, before, startedBy } = input;
  const outcome = decisionText(decision.outcome, true);
  const what = !before
    ? `recorded a decision on this review: ${outcome}`
    : before.outcome !== decision.outcome
      ? `changed the decision on this review to ${outcome} (it was ${DECISION_TEXT[before.outcome]})`
      : `recorded a new decision on this review: ${outcome}`;
  const starter = startedBy !== decision.by ? `<@${startedBy}> ` : '';
  const head = `${starter}<@${decision.by}> ${what}${decision.conditions ? ', on these conditions:' : '.'}`;
  const text = decision.conditions ? `${head}\n${quotedConditions(decision.conditions)}` : head;
  // The notification shows the fallback: it names the starter too, so the mention reaches them there as well.
  const fallback = `${starter}Decision ${before ? 'changed' : 'recorded'} by <@${decision.by}>: ${DECISION_TEXT[decision.outcome]}`;
  return { text: fallback, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } }] };
}
