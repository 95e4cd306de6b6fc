/** Pausing, resuming, cancelling and finishing a review early. */
import { applicableQuestions, currentQuestion } from './questions.js';
import { advance, changed, complete, withHistory, type Actor } from './review-step.js';
import type { Flow, ReviewState, Step } from './types.js';

export function pause(state: ReviewState, actor: Actor): Step {
  const paused = withHistory({ ...state, status: 'paused' }, actor, { action: 'pause', before: state.status, after: 'paused' });
  return changed({ state: paused, effects: [{ type: 'paused' }] });
}

/** Asks the waiting question again, or the next one if it stopped applying while paused. */
export function resume(flow: Flow, state: ReviewState, actor: Actor): Step {
  const active = withHistory({ ...state, status: 'active' }, actor, { action: 'resume', before: state.status, after: 'active' });
  const current = currentQuestion(flow, active);
  const stillApplies = current !== null && applicableQuestions(flow, active).some((question) => question.id === current.id);
  const next = stillApplies ? { state: active, effects: [{ type: 'ask' as const, questionId: current.id }] } : advance(flow, active, actor);
  return changed({ state: next.state, effects: [{ type: 'resumed' }, ...next.effects] });
}

/** How long a typed `cancel` waits for the same person's second `cancel`. */
export const CANCEL_CONFIRM_MS = 2 * 60_000;

/** Whether `actor`'s `cancel` confirms the one waiting: the same person, within CANCEL_CONFIRM_MS of it (times from the inputs, never the clock). */
function confirmsCancel(request: ReviewState['cancelRequest'], actor: Actor): boolean {
  if (!request || request.by !== actor.by) return false;
  const waited = Date.parse(actor.at) - Date.parse(request.at);
  return Number.isFinite(waited) && waited >= 0 && waited <= CANCEL_CONFIRM_MS;
}

/** The state without a `cancel` waiting to be confirmed. */
export function withoutCancelRequest(state: ReviewState): ReviewState {
  const rest = { ...state };
  delete rest.cancelRequest;
  return rest;
}

/**
 * A first `cancel` only asks to be confirmed: it is kept in the state (so any
 * replica, after any restart, sees it) and the review goes on. The same
 * person's `cancel` within CANCEL_CONFIRM_MS cancels; a later one asks again.
 */
export function cancel(state: ReviewState, actor: Actor): Step {
  if (!confirmsCancel(state.cancelRequest, actor)) {
    return changed({ state: { ...state, cancelRequest: { by: actor.by, at: actor.at } }, effects: [{ type: 'cancel_requested' }] });
  }
  const ended: ReviewState = { ...withoutCancelRequest(state), status: 'cancelled', finishedAt: actor.at, currentQuestionId: null };
  return changed({ state: withHistory(ended, actor, { action: 'cancel', before: state.status, after: 'cancelled' }), effects: [{ type: 'cancelled' }] });
}

/** Ends now: the applicable questions not yet answered are listed as open in the score. */
export function finish(state: ReviewState, actor: Actor): Step {
  return changed(complete(state, actor, 'finish'));
}
