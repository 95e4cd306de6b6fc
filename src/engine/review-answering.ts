/**
 * Inputs that answer or move between questions of an active review: a typed
 * reply, a button click, skip and back.
 */
import { parseChosenOptions, parseReply, type ParseResult } from './answer-parse.js';
import { applicableQuestions, currentQuestion } from './questions.js';
import { advance, changed, storeAnswer, unchanged, withHistory, type Actor } from './review-step.js';
import type { AnswerValue, Effect, Flow, Question, ReviewInput, ReviewState, Step } from './types.js';

type Input<T extends ReviewInput['type']> = Extract<ReviewInput, { type: T }>;

/**
 * The question an active review waits on. If it is gone or no longer applies
 * (the flow changed under a running review), the review first moves on.
 */
function waitingQuestion(flow: Flow, state: ReviewState, actor: Actor): { question: Question } | { step: Step } {
  const current = currentQuestion(flow, state);
  if (current && applicableQuestions(flow, state).some((question) => question.id === current.id)) return { question: current };
  const moved = advance(flow, state, actor);
  const notice: Effect = { type: 'stale', message: 'That question no longer applies; the review moved on.' };
  return { step: changed({ state: moved.state, effects: [notice, ...moved.effects] }) };
}

function answer(flow: Flow, state: ReviewState, question: Question, value: AnswerValue, actor: Actor, messageTs?: string): Step {
  const stored = storeAnswer(state, question, value, actor, messageTs);
  const next = advance(flow, stored, actor);
  const effects: Effect[] = [{ type: 'recorded', questionId: question.id }, ...next.effects];
  if (question.suggest && value.kind !== 'skipped') effects.push({ type: 'suggest', kind: question.suggest, afterQuestionId: question.id });
  return changed({ state: next.state, effects });
}

function answerParsed(flow: Flow, state: ReviewState, question: Question, parsed: ParseResult, actor: Actor, messageTs?: string): Step {
  if (parsed.ok) return answer(flow, state, question, parsed.value, actor, messageTs);
  if (parsed.stale) return unchanged(state, { type: 'stale', message: parsed.message });
  return unchanged(state, { type: 'invalid', questionId: question.id, message: parsed.message });
}

function staleQuestion(state: ReviewState): Step {
  return unchanged(state, { type: 'stale', message: 'That question is no longer the one being asked.' });
}

export function reply(flow: Flow, state: ReviewState, input: Input<'reply'>): Step {
  const waiting = waitingQuestion(flow, state, input);
  if ('step' in waiting) return waiting.step;
  const question = waiting.question;
  if (input.questionId !== undefined && input.questionId !== question.id) return staleQuestion(state);
  return answerParsed(flow, state, question, parseReply(question, input.text), input, input.messageTs);
}

export function choose(flow: Flow, state: ReviewState, input: Input<'choose'>): Step {
  const waiting = waitingQuestion(flow, state, input);
  if ('step' in waiting) return waiting.step;
  const question = waiting.question;
  if (input.questionId !== question.id) return staleQuestion(state);
  return answerParsed(flow, state, question, parseChosenOptions(question, input.optionIds), input);
}

/**
 * Any question may be skipped, so people can move on when they do not know;
 * a required question skipped stays an open question and is never scored as safe.
 */
export function skip(flow: Flow, state: ReviewState, input: Input<'skip'>): Step {
  const waiting = waitingQuestion(flow, state, input);
  if ('step' in waiting) return waiting.step;
  return answer(flow, state, waiting.question, { kind: 'skipped' }, input);
}

/** Re-asks the previous asked question that still applies; its answer stays until it is replaced. */
export function back(flow: Flow, state: ReviewState, input: Input<'back'>): Step {
  const waiting = waitingQuestion(flow, state, input);
  if ('step' in waiting) return waiting.step;
  const current = waiting.question;
  const applicable = new Set(applicableQuestions(flow, state).map((question) => question.id));
  const position = state.asked.lastIndexOf(current.id);
  const earlier = state.asked.slice(0, position < 0 ? state.asked.length : position);
  const target = earlier.reverse().find((id) => id !== current.id && applicable.has(id));
  if (target === undefined) return unchanged(state, { type: 'nothing_to_go_back_to' });
  const moved = withHistory({ ...state, currentQuestionId: target }, input, { action: 'back', questionId: target, before: current.id, after: target });
  return changed({
    state: moved,
    effects: [
      { type: 'went_back', questionId: target },
      { type: 'ask', questionId: target },
    ],
  });
}
