/** The modal a bare `/alignment-review` opens: flow, system, respondents, leads' channel. */
import type { ModalView } from '@slack/types';
import { questionCountText, type QuestionCountRange } from '../../engine/index.js';
import { INPUTS, VIEWS } from '../ids.js';
import { LIMITS, truncate } from './text.js';

/** A flow as the start modal and the help list it. */
export interface FlowChoice {
  id: string;
  title: string;
  questions: QuestionCountRange;
}

export interface StartModalMetadata {
  channelId: string;
}

export function startModal(flows: FlowChoice[], metadata: StartModalMetadata, defaultFlowId: string): ModalView {
  const options = flows.slice(0, 100).map((flow) => ({
    text: { type: 'plain_text' as const, text: truncate(`${flow.title} (${questionCountText(flow.questions, true)})`, LIMITS.optionText) },
    value: flow.id,
  }));
  const initial = options.find((option) => option.value === defaultFlowId) ?? options[0];
  return {
    type: 'modal',
    callback_id: VIEWS.startReview,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Alignment review' },
    submit: { type: 'plain_text', text: 'Start' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: INPUTS.flow.block,
        label: { type: 'plain_text', text: 'Flow' },
        element: { type: 'static_select', action_id: INPUTS.flow.action, options, ...(initial ? { initial_option: initial } : {}) },
      },
      {
        type: 'input',
        block_id: INPUTS.system.block,
        label: { type: 'plain_text', text: 'Name of the AI system' },
        element: { type: 'plain_text_input', action_id: INPUTS.system.action, max_length: 200, placeholder: { type: 'plain_text', text: 'e.g. Resume screener' } },
      },
      // Slack itself shows "(optional)" after an optional input's label.
      {
        type: 'input',
        block_id: INPUTS.respondents.block,
        optional: true,
        label: { type: 'plain_text', text: 'Who answers' },
        hint: { type: 'plain_text', text: 'Leave empty to let anyone in the channel answer.' },
        element: { type: 'multi_users_select', action_id: INPUTS.respondents.action },
      },
      {
        type: 'input',
        block_id: INPUTS.leadsChannel.block,
        optional: true,
        label: { type: 'plain_text', text: "Leads' channel for the summary" },
        element: { type: 'conversations_select', action_id: INPUTS.leadsChannel.action, filter: { include: ['public', 'private'], exclude_bot_users: true } },
      },
    ],
  };
}
