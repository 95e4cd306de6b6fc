/** Pausing, resuming, cancelling and finishing a review early. */
import { applicableQuestions, currentQuestion } from './questions.js';
import { advance, changed, complete, withHistory, type Actor } from './review-step.js';
import type { CancelRequest, Flow, ReviewState, Step } from './types.js';

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

/**
 * How many people's `cancel`s may wait at once: more than a thread ever sees,
 * and it keeps the stored state small whatever is sent.
 */
export const MAX_CANCEL_REQUESTS = 20;

/** Whether `request` is still waiting at `at`: within CANCEL_CONFIRM_MS of it (times from the inputs, never the clock). */
function stillWaiting(request: CancelRequest, at: string): boolean {
  const waited = Date.parse(at) - Date.parse(request.at);
  return Number.isFinite(waited) && waited >= 0 && waited <= CANCEL_CONFIRM_MS;
}

/** Every `cancel` waiting to be confirmed, oldest first, at most one per person. */
export function cancelRequestsOf(state: ReviewState): CancelRequest[] {
  const latest = state.cancelRequest;
  if (!latest) return [];
  return [...(latest.earlier ?? []), { by: latest.by, at: latest.at }];
}

/** The state with exactly `requests` waiting (oldest first); none leaves no trace. */
export function withCancelRequests(state: ReviewState, requests: readonly CancelRequest[]): ReviewState {
  const rest = { ...state };
  delete rest.cancelRequest;
  const latest = requests.at(-1);
  if (!latest) return rest;
  const earlier = requests.slice(0, -1).map(({ by, at }) => ({ by, at }));
  return { ...rest, cancelRequest: earlier.length > 0 ? { by: latest.by, at: latest.at, earlier } : { by: latest.by, at: latest.at } };
}

/** The state without a `cancel` waiting to be confirmed. */
export function withoutCancelRequest(state: ReviewState): ReviewState {
  return withCancelRequests(state, []);
}

/** The state without `by`'s waiting `cancel`, if any; the same object when they had none. */
export function withoutCancelRequestOf(state: ReviewState, by: string): ReviewState {
  const requests = cancelRequestsOf(state);
  const kept = requests.filter((request) => request.by !== by);
  return kept.length === requests.length ? state : withCancelRequests(state, kept);
}

/**
 * A first `cancel` only asks to be confirmed: it is kept in the state (so any
 * replica, after any restart, sees it) and the review goes on. The same
 * person's `cancel` within CANCEL_CONFIRM_MS cancels; a later one asks again.
 * Each person's request waits on its own: someone else's `cancel` in between
 * neither confirms nor resets it.
 */
export function cancel(state: ReviewState, actor: Actor): Step {
  const requests = cancelRequestsOf(state);
  const own = requests.find((request) => request.by === actor.by);
  if (!own || !stillWaiting(own, actor.at)) {
    // Expired ones go whenever the list is written, so it only holds live requests.
    const others = requests.filter((request) => request.by !== actor.by && stillWaiting(request, actor.at));
    const kept = [...others.slice(-(MAX_CANCEL_REQUESTS - 1)), { by: actor.by, at: actor.at }];
    return changed({ state: withCancelRequests(state, kept), effects: [{ type: 'cancel_requested' }] });
  }
  const ended: ReviewState = { ...withoutCancelRequest(state), status: 'cancelled', finishedAt: actor.at, currentQuestionId: null };
  return changed({ state: withHistory(ended, actor, { action: 'cancel', before: state.status, after: 'cancelled' }), effects: [{ type: 'cancelled' }] });
}

/** Ends now: the applicable questions not yet answered are listed as open in the score. */
export function finish(state: ReviewState, actor: Actor): Step {
  return changed(complete(state, actor, 'finish'));
}
