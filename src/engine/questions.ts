/**
 * Which questions a review asks, in what order. The order is the flow's,
 * with each suggested question (state.extraQuestions) placed right after the
 * question it follows. A question applies when its `when` holds over the
 * answers of the questions before it that apply; a suggested question
 * applies while the question it follows applies.
 */
import { conditionHolds } from './conditions.js';
import type { AnswerValue, Flow, Question, ReviewState } from './types.js';

type Questions = Pick<ReviewState, 'extraQuestions'>;
type Answers = Pick<ReviewState, 'extraQuestions' | 'answers'>;

/** Every question of the review, applicable or not, in asking order. */
export function orderedQuestions(flow: Flow, state: Questions): Question[] {
  if (state.extraQuestions.length === 0) return flow.questions;
  const following = new Map<string, Question[]>();
  for (const extra of state.extraQuestions) {
    const anchor = extra.afterQuestionId ?? '';
    following.set(anchor, [...(following.get(anchor) ?? []), extra]);
  }
  const ordered: Question[] = [];
  const placed = new Set<string>();
  const place = (question: Question) => {
    if (placed.has(question.id)) return;
    placed.add(question.id);
    ordered.push(question);
    for (const next of following.get(question.id) ?? []) place(next);
  };
  flow.questions.forEach(place);
  // A suggested question whose anchor is gone (the flow changed) is still asked, last.
  state.extraQuestions.forEach(place);
  return ordered;
}

export function applicableQuestions(flow: Flow, state: Answers): Question[] {
  const applicable: Question[] = [];
  const applies = new Set<string>();
  const answerOf = (id: string): AnswerValue | undefined => (applies.has(id) ? state.answers[id]?.value : undefined);
  const ordered = orderedQuestions(flow, state);
  const known = ordered.length === flow.questions.length ? null : new Set(ordered.map((question) => question.id));
  for (const question of ordered) {
    const anchor = question.afterQuestionId;
    const anchorApplies = anchor === undefined || applies.has(anchor) || (known !== null && !known.has(anchor));
    if (anchorApplies && (question.when === undefined || conditionHolds(question.when, answerOf))) {
      applies.add(question.id);
      applicable.push(question);
    }
  }
  return applicable;
}

/** A lookup of answers restricted to the questions that apply: what conditions and scoring see. */
export function applicableAnswerLookup(applicable: readonly Question[], state: Pick<ReviewState, 'answers'>) {
  const ids = new Set(applicable.map((question) => question.id));
  return (id: string): AnswerValue | undefined => (ids.has(id) ? state.answers[id]?.value : undefined);
}

export function findQuestion(flow: Flow, state: Questions, id: string): Question | undefined {
  return flow.questions.find((question) => question.id === id) ?? state.extraQuestions.find((question) => question.id === id);
}

/** The question the review waits on, if it is active or paused and that question still exists. */
export function currentQuestion(flow: Flow, state: ReviewState): Question | null {
  if (state.currentQuestionId === null || (state.status !== 'active' && state.status !== 'paused')) return null;
  return findQuestion(flow, state, state.currentQuestionId) ?? null;
}

/** The first applicable question with no answer at all (a skip counts as an answer). */
export function firstUnanswered(applicable: readonly Question[], state: Pick<ReviewState, 'answers'>): Question | undefined {
  return applicable.find((question) => state.answers[question.id] === undefined);
}
