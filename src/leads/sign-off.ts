/**
 * A lead's decision on a finished review. The button opens a modal for those
 * allowed (leads and workspace admins; others get a private no); the
 * submitted decision goes through the review's inbox like any input, so it
 * is ordered, stored, kept in the history and shown on the cards in the
 * thread and the leads' channel by the same machinery as everything else.
 */
import type { ViewStateValue } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { overallShort, scoreReview } from '../engine/index.js';
import type { Decision } from '../engine/types.js';
import type { ReviewDeps } from '../reviews/deps.js';
import { nowSeq, type ReviewInbox } from '../reviews/inbox.js';
import { MAX_CONDITIONS, OUTCOMES, signOffModal } from '../slack/blocks/sign-off.js';
import { INPUTS } from '../slack/ids.js';
import { isLeadOrAdmin, LEADS_ONLY } from './permissions.js';
import { asSlackText } from './readable.js';

export interface SignOffRequest {
  teamId: string;
  userId: string;
  /** Where the button was clicked. */
  channelId: string;
  triggerId: string;
  reviewId: string;
}

/** Opens the modal, or returns what to tell the person privately instead. */
export async function openSignOff(deps: ReviewDeps, client: WebClient, request: SignOffRequest): Promise<string | null> {
  const record = await deps.store.get(request.teamId, request.reviewId);
  if (!record) return 'That review no longer exists.';
  if (record.state.status !== 'completed') return 'A decision can be recorded once the review is finished.';
  if (!(await isLeadOrAdmin(deps, client, request.userId))) return `Recording a decision: ${LEADS_ONLY}`;
  const flow = deps.flows.get(record.state.flowId);
  const score = flow ? scoreReview(flow, record.state) : undefined;
  await client.views.open({
    trigger_id: request.triggerId,
    view: signOffModal({
      reviewId: request.reviewId,
      systemName: record.state.systemName,
      overall: score ? overallShort(score) : 'Level ?',
      // Too little answered for a level (the card says so): the lead may still decide, warned that no score backs it.
      notAssessed: score?.coverage?.verdict === 'not_enough_answered',
      current: record.state.decision,
      channelId: request.channelId,
    }),
  });
  return null;
}

type Values = Record<string, Record<string, ViewStateValue>>;

export type SignOffForm = { ok: true; outcome: Decision['outcome']; conditions?: string } | { ok: false; errors: Record<string, string> };

/** Reads and checks the modal's fields: conditions are required with "approved with conditions", and belong to no plain approval. */
export function readSignOffForm(values: Values): SignOffForm {
  const chosen = values[INPUTS.decision.block]?.[INPUTS.decision.action]?.selected_option?.value;
  const outcome = OUTCOMES.find((candidate) => candidate.value === chosen)?.value;
  const conditions = (values[INPUTS.conditions.block]?.[INPUTS.conditions.action]?.value ?? '').trim();
  if (!outcome) return { ok: false, errors: { [INPUTS.decision.block]: 'Choose a decision.' } };
  if (outcome === 'approved_with_conditions' && !conditions) return { ok: false, errors: { [INPUTS.conditions.block]: 'Say what the conditions are.' } };
  if (outcome === 'approved' && conditions) {
    return { ok: false, errors: { [INPUTS.conditions.block]: 'Choose "Approved with conditions" to record conditions, or clear this box.' } };
  }
  if (conditions.length > MAX_CONDITIONS) return { ok: false, errors: { [INPUTS.conditions.block]: `Keep it under ${MAX_CONDITIONS} characters.` } };
  return { ok: true, outcome, ...(conditions ? { conditions: asSlackText(conditions) } : {}) };
}

/** Checks a submission before the modal closes: errors to show in it, or null when it may be recorded. */
export async function checkSignOff(deps: ReviewDeps, client: WebClient, teamId: string, reviewId: string, userId: string): Promise<string | null> {
  const record = await deps.store.get(teamId, reviewId);
  if (!record) return 'That review no longer exists.';
  if (record.state.status !== 'completed') return 'This review is not finished, so it cannot be decided.';
  if (!(await isLeadOrAdmin(deps, client, userId))) return LEADS_ONLY;
  return null;
}

/** What the modal says, keeping the lead's choices, when the decision could not be stored. */
export const DECISION_NOT_SAVED = 'I could not save this decision; please submit it again in a minute.';

/**
 * The start of every queued decision's input id: a deletion is refused
 * while one waits (delete-review.ts), as the lead was told it is recorded.
 */
export const DECISION_INPUT_PREFIX = 'decide:';

/**
 * Queues a lead's decision without applying it; false for a submission seen
 * before. Rejects when the store cannot be reached, so the caller can keep
 * the modal open and say so; the input is then retracted, so a late run of
 * the failed command is never applied (the lead submits again, and each
 * submission has its own id: Slack's trigger id of it).
 */
export async function queueDecision(
  deps: ReviewDeps,
  inbox: ReviewInbox,
  input: { teamId: string; reviewId: string; userId: string; viewId: string; submissionId: string; outcome: Decision['outcome']; conditions?: string },
): Promise<boolean> {
  const now = deps.now();
  const key = `${DECISION_INPUT_PREFIX}${input.viewId}:${input.submissionId}`;
  const spec = {
    id: key,
    seq: nowSeq(now),
    input: {
      type: 'decide' as const,
      outcome: input.outcome,
      ...(input.conditions ? { conditions: input.conditions } : {}),
      by: input.userId,
      at: now.toISOString(),
    },
  };
  try {
    return await inbox.enqueue(input.teamId, input.reviewId, spec, [key]);
  } catch (error) {
    inbox.retract(input.teamId, input.reviewId, key);
    throw error;
  }
}
