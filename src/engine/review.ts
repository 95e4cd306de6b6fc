/**
 * The review as a pure state machine: `startReview` begins one and
 * `applyInput` takes one input to the next state, with the effects the chat
 * should show. It never throws and never mutates its arguments: an input that
 * does not fit the review's state gives a `stale`, `invalid` or `not_active`
 * effect and `changed: false`.
 */
import { addQuestions, addRedTeam, addSuggestions, decide, verdict } from './review-additions.js';
import { back, choose, reply, skip } from './review-answering.js';
import { edit } from './review-edit.js';
import { reviewInputSchema } from './review-input.js';
import { cancel, finish, pause, resume, withoutCancelRequest, withoutCancelRequestOf } from './review-lifecycle.js';
import { advance, changed, unchanged } from './review-step.js';
import { REVIEW_SCHEMA_VERSION, type Flow, type ReviewInput, type ReviewState, type ReviewStatus, type Step } from './types.js';

export interface StartOptions {
  id: string;
  systemName: string;
  startedBy: string;
  at: string;
}

export function startReview(flow: Flow, { id, systemName, startedBy, at }: StartOptions): Step {
  const state: ReviewState = {
    schema: REVIEW_SCHEMA_VERSION,
    id,
    flowId: flow.id,
    flowVersion: flow.version,
    systemName,
    startedBy,
    startedAt: at,
    status: 'active',
    currentQuestionId: null,
    asked: [],
    answers: {},
    extraQuestions: [],
    suggestions: [],
    redTeam: [],
    history: [{ at, by: startedBy, action: 'start' }],
  };
  return changed(advance(flow, state, { by: startedBy, at }));
}

/** Which inputs each status accepts; the rest change nothing and say the review is not active. */
const ACCEPTS: Record<ReviewStatus, ReadonlySet<ReviewInput['type']>> = {
  active: new Set(['reply', 'choose', 'skip', 'back', 'edit', 'pause', 'cancel', 'finish', 'add_questions', 'add_suggestions', 'verdict', 'add_redteam']),
  paused: new Set(['edit', 'resume', 'cancel', 'finish', 'add_questions', 'add_suggestions', 'verdict', 'add_redteam']),
  // Suggestions only for a metric edited after the review finished (takesProxyFailures); the rest are refused as not_active.
  completed: new Set(['edit', 'add_suggestions', 'verdict', 'add_redteam', 'decide']),
  cancelled: new Set(['edit', 'verdict', 'add_redteam']),
};

/**
 * A `cancel` waiting to be confirmed lasts only until its author sends
 * anything else (an answer, another word, a click, even one refused) or the
 * review ends: then the review goes on as it was, and a later `cancel` asks
 * again. Other people's waiting requests are untouched by it.
 */
export function applyInput(flow: Flow, state: ReviewState, rawInput: ReviewInput): Step {
  const step = applyOne(flow, state, rawInput);
  if (!step.state.cancelRequest) return step;
  const ended = step.state.status === 'completed' || step.state.status === 'cancelled';
  if (ended) return { ...step, state: withoutCancelRequest(step.state), changed: true };
  // A `cancel` sets its author's request itself; any other input drops only its author's.
  if (step.state.cancelRequest !== state.cancelRequest) return step;
  const by = (rawInput as Partial<ReviewInput> | null)?.by;
  const kept = typeof by === 'string' ? withoutCancelRequestOf(step.state, by) : step.state;
  return kept === step.state ? step : { ...step, state: kept, changed: true };
}

function applyOne(flow: Flow, state: ReviewState, rawInput: ReviewInput): Step {
  const parsed = reviewInputSchema.safeParse(rawInput);
  if (!parsed.success) return unchanged(state, { type: 'stale', message: 'That input could not be read.' });
  if (state.flowId !== flow.id) return unchanged(state, { type: 'stale', message: `This review runs the "${state.flowId}" flow.` });
  const input = parsed.data;
  if (!ACCEPTS[state.status]?.has(input.type)) {
    if (input.type === 'resume' && state.status === 'active') return unchanged(state, { type: 'stale', message: 'The review is not paused.' });
    return unchanged(state, { type: 'not_active', status: state.status });
  }
  switch (input.type) {
    case 'reply':
      return reply(flow, state, input);
    case 'choose':
      return choose(flow, state, input);
    case 'skip':
      return skip(flow, state, input);
    case 'back':
      return back(flow, state, input);
    case 'edit':
      return edit(flow, state, input);
    case 'pause':
      return pause(state, input);
    case 'resume':
      return resume(flow, state, input);
    case 'cancel':
      return cancel(state, input);
    case 'finish':
      return finish(state, input);
    case 'add_questions':
      return addQuestions(flow, state, input);
    case 'add_suggestions':
      return addSuggestions(state, input);
    case 'verdict':
      return verdict(state, input);
    case 'add_redteam':
      return addRedTeam(state, input);
    case 'decide':
      return decide(state, input);
  }
}
