/** A lead's decision as Slack messages show it: the engine's words with a mark, the same on cards, Home and the thread's note. */
import { DECISION_TEXT } from '../../engine/markdown.js';
import type { Decision } from '../../engine/types.js';

const DECISION_MARK: Record<Decision['outcome'], string> = {
  approved: ':white_check_mark:',
  approved_with_conditions: ':ballot_box_with_check:',
  changes_needed: ':no_entry:',
};

/** "Approved with conditions" (`bold`: "*Approved with conditions*") after its mark. */
export function decisionText(outcome: Decision['outcome'], bold = false): string {
  return `${DECISION_MARK[outcome]} ${bold ? `*${DECISION_TEXT[outcome]}*` : DECISION_TEXT[outcome]}`;
}
