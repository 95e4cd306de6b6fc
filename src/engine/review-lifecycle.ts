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

export function cancel(state: ReviewState, actor: Actor): Step {
  const ended: ReviewState = { ...state, status: 'cancelled', finishedAt: actor.at, currentQuestionId: null };
  return changed({ state: withHistory(ended, actor, { action: 'cancel', before: state.status, after: 'cancelled' }), effects: [{ type: 'cancelled' }] });
}

/** Ends now: the applicable questions not yet answered are listed as open in the score. */
export function finish(state: ReviewState, actor: Actor): Step {
  return changed(complete(state, actor, 'finish'));
}
