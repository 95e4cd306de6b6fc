/** The modal a lead records a decision in: the outcome, and the conditions when approving with conditions. */
import type { ModalView } from '@slack/types';
import type { Decision } from '../../engine/types.js';
import { INPUTS, VIEWS } from '../ids.js';
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

/** `overall`: the overall level in words, e.g. "Level III" or "Not enough answered" (overallShort). */
export function signOffModal(input: { reviewId: string; systemName: string; overall: string; current?: Decision; channelId: string }): ModalView {
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
