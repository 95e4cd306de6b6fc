/**
 * Small building blocks shared by the review's input handlers: recording an
 * answer, moving on to the next question, completing, and the "nothing
 * changed" step. Each returns new objects; none mutates its arguments.
 */
import { applicableQuestions, firstUnanswered } from './questions.js';
import type { AnswerValue, Effect, Flow, HistoryEntry, Question, ReviewState, Step } from './types.js';

/** Who did it and when: every input carries both. */
export interface Actor {
  by: string;
  at: string;
}

export interface Change {
  state: ReviewState;
  effects: Effect[];
}

export function unchanged(state: ReviewState, ...effects: Effect[]): Step {
  return { state, effects, changed: false };
}

export function changed({ state, effects }: Change): Step {
  return { state, effects, changed: true };
}

export function withHistory(state: ReviewState, actor: Actor, entry: Omit<HistoryEntry, 'at' | 'by'>): ReviewState {
  return { ...state, history: [...state.history, { at: actor.at, by: actor.by, ...entry }] };
}

/** Stores an answer (replacing any earlier one, which the history keeps as `before`). */
export function storeAnswer(
  state: ReviewState,
  question: Question,
  value: AnswerValue,
  actor: Actor,
  messageTs: string | undefined,
): ReviewState {
  const before = state.answers[question.id]?.value ?? null;
  const answer = { questionId: question.id, value, by: actor.by, at: actor.at, ...(messageTs === undefined ? {} : { messageTs }) };
  const stored = { ...state, answers: { ...state.answers, [question.id]: answer } };
  return withHistory(stored, actor, { action: value.kind === 'skipped' ? 'skip' : 'answer', questionId: question.id, before, after: value });
}

/** Makes `question` the one the review waits on, remembering it was asked (for `back`). */
export function waitOn(state: ReviewState, questionId: string | null): ReviewState {
  const asked = questionId === null || state.asked.includes(questionId) ? state.asked : [...state.asked, questionId];
  return { ...state, currentQuestionId: questionId, asked };
}

/** Asks the first applicable question without an answer, or completes the review when none is left. */
export function advance(flow: Flow, state: ReviewState, actor: Actor): Change {
  const next = firstUnanswered(applicableQuestions(flow, state), state);
  if (next) return { state: waitOn(state, next.id), effects: [{ type: 'ask', questionId: next.id }] };
  return complete(state, actor, 'complete');
}

/** Ends the review: 'complete' when every question was answered, 'finish' when someone ended it early. */
export function complete(state: ReviewState, actor: Actor, action: 'complete' | 'finish'): Change {
  const ended: ReviewState = { ...state, status: 'completed', finishedAt: actor.at, currentQuestionId: null };
  return { state: withHistory(ended, actor, { action, before: state.status, after: 'completed' }), effects: [{ type: 'completed' }] };
}
