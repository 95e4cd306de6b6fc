/**
 * What the model and the team add around the questions: clarifying
 * questions, proxy-failure suggestions and the team's verdict on each,
 * red-team scenarios, and a lead's decision on the finished review.
 */
import { applicableQuestions, findQuestion, firstUnanswered } from './questions.js';
import { changed, unchanged, waitOn, withHistory } from './review-step.js';
import type { Effect, Flow, Question, ReviewInput, ReviewState, Step } from './types.js';

type Input<T extends ReviewInput['type']> = Extract<ReviewInput, { type: T }>;

/**
 * Suggested questions are optional text questions asked right after the
 * question they follow; if the review already waits on a later question,
 * they are asked first.
 */
export function addQuestions(flow: Flow, state: ReviewState, input: Input<'add_questions'>): Step {
  if (!findQuestion(flow, state, input.afterQuestionId)) {
    return unchanged(state, { type: 'stale', message: `There is no question "${input.afterQuestionId}" to add questions after.` });
  }
  const added: Question[] = [];
  for (const spec of input.questions) {
    if (findQuestion(flow, state, spec.id) || added.some((question) => question.id === spec.id)) continue;
    added.push({
      id: spec.id,
      kind: 'text',
      prompt: spec.prompt,
      ...(spec.help === undefined ? {} : { help: spec.help }),
      optional: true,
      minLength: 1,
      maxLength: 3000,
      options: [],
      suggested: true,
      afterQuestionId: input.afterQuestionId,
    });
  }
  if (added.length === 0) return unchanged(state, { type: 'stale', message: 'Those questions were already added.' });

  let next: ReviewState = { ...state, extraQuestions: [...state.extraQuestions, ...added] };
  for (const question of added) next = withHistory(next, input, { action: 'questions_added', questionId: question.id, after: question.prompt });
  const effects: Effect[] = [{ type: 'questions_added', questionIds: added.map((question) => question.id) }];

  const applicable = applicableQuestions(flow, next);
  const positionOf = (id: string | null) => applicable.findIndex((question) => question.id === id);
  const current = positionOf(next.currentQuestionId);
  const firstAdded = Math.min(...added.map((question) => positionOf(question.id)).filter((position) => position >= 0));
  if (current < 0 || firstAdded < current) {
    const waiting = firstUnanswered(applicable, next)?.id ?? null;
    if (waiting !== null && waiting !== next.currentQuestionId) {
      next = waitOn(next, waiting);
      if (next.status === 'active') effects.push({ type: 'ask', questionId: waiting });
    }
  }
  return changed({ state: next, effects });
}

export function addSuggestions(state: ReviewState, input: Input<'add_suggestions'>): Step {
  const fresh = input.suggestions.filter(
    (suggestion, i) =>
      !state.suggestions.some((known) => known.id === suggestion.id) && input.suggestions.findIndex((other) => other.id === suggestion.id) === i,
  );
  if (fresh.length === 0) return unchanged(state, { type: 'stale', message: 'Those suggestions were already added.' });
  let next: ReviewState = { ...state, suggestions: [...state.suggestions, ...fresh] };
  for (const suggestion of fresh) next = withHistory(next, input, { action: 'suggestions', suggestionId: suggestion.id, after: suggestion.title });
  return changed({ state: next, effects: [{ type: 'suggestions_added', suggestionIds: fresh.map((suggestion) => suggestion.id) }] });
}

/** Whether a suggested failure applies to this system; a changed verdict keeps the old one in the history. */
export function verdict(state: ReviewState, input: Input<'verdict'>): Step {
  // A cancelled review takes no more of the team's work: a verdict on it is refused as `stale`, which only the
  // clicker is told (not_active would be a note in the thread). A completed one still takes them: its summary shows them.
  if (state.status === 'cancelled') return unchanged(state, { type: 'stale', message: 'This review was cancelled, so its suggestions take no more verdicts.' });
  const existing = state.suggestions.find((suggestion) => suggestion.id === input.suggestionId);
  if (!existing) return unchanged(state, { type: 'stale', message: 'That suggestion is not part of this review.' });
  const suggestions = state.suggestions.map((suggestion) =>
    suggestion.id === input.suggestionId ? { ...suggestion, verdict: { relevant: input.relevant, by: input.by, at: input.at } } : suggestion,
  );
  const next = withHistory({ ...state, suggestions }, input, {
    action: 'verdict',
    suggestionId: input.suggestionId,
    before: existing.verdict?.relevant ?? null,
    after: input.relevant,
  });
  return changed({ state: next, effects: [{ type: 'verdict_recorded', suggestionId: input.suggestionId }] });
}

export function addRedTeam(state: ReviewState, input: Input<'add_redteam'>): Step {
  const next = withHistory({ ...state, redTeam: [...state.redTeam, ...input.scenarios] }, input, {
    action: 'redteam',
    after: `${input.scenarios.length} scenario${input.scenarios.length === 1 ? '' : 's'}`,
  });
  return changed({ state: next, effects: [{ type: 'redteam_added' }] });
}

export function decide(state: ReviewState, input: Input<'decide'>): Step {
  const decision = { outcome: input.outcome, ...(input.conditions === undefined ? {} : { conditions: input.conditions }), by: input.by, at: input.at };
  const next = withHistory({ ...state, decision }, input, {
    action: 'decision',
    before: state.decision?.outcome ?? null,
    after: input.outcome,
    ...(input.conditions === undefined ? {} : { conditions: input.conditions }),
  });
  return changed({ state: next, effects: [{ type: 'decided' }] });
}
