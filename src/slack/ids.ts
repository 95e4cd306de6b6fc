/**
 * Every Slack id this app uses, named once. Listeners and Block Kit builders
 * import these; no id string is written anywhere else.
 */
export const COMMAND = '/alignment-review';

export const ACTIONS = {
  /** A button for one option of a choice, yes/no or scale question. value: ActionValue JSON. */
  answerOption: 'ar_answer_option',
  /** The checkboxes of a multi question (selection only; nothing is stored until submit). */
  multiSelect: 'ar_multi_select',
  /** The submit button under a multi question's checkboxes. */
  multiSubmit: 'ar_multi_submit',
  skip: 'ar_skip',
  back: 'ar_back',
  suggestionRelevant: 'ar_suggestion_relevant',
  suggestionNotRelevant: 'ar_suggestion_not_relevant',
  exportReview: 'ar_export',
  signOff: 'ar_sign_off',
  openThread: 'ar_open_thread',
  homeFilterChannel: 'ar_home_filter_channel',
  homeFilterLevel: 'ar_home_filter_level',
  homeFilterShow: 'ar_home_filter_show',
  confirmDelete: 'ar_confirm_delete',
} as const;

/** Bolt matches action ids by prefix so one listener serves every option button of a message. */
export const ACTION_PATTERNS = {
  answerOption: new RegExp(`^${ACTIONS.answerOption}`),
} as const;

export const VIEWS = {
  startReview: 'ar_start_review',
  signOff: 'ar_sign_off_modal',
  confirmDelete: 'ar_confirm_delete_modal',
} as const;

/** block_id / action_id pairs of the modal inputs, read back from view.state.values. */
export const INPUTS = {
  flow: { block: 'ar_in_flow', action: 'ar_flow' },
  system: { block: 'ar_in_system', action: 'ar_system' },
  respondents: { block: 'ar_in_respondents', action: 'ar_respondents' },
  leadsChannel: { block: 'ar_in_leads', action: 'ar_leads_channel' },
  decision: { block: 'ar_in_decision', action: 'ar_decision' },
  conditions: { block: 'ar_in_conditions', action: 'ar_conditions' },
} as const;

export const BLOCKS = {
  questionActions: 'ar_q_actions',
  multiActions: 'ar_q_multi',
  suggestionActions: 'ar_sugg',
  cardActions: 'ar_card_actions',
  homeFilters: 'ar_home_filters',
} as const;

/** The "no filter" value of App Home's selects. */
export const HOME_ALL = 'all';
