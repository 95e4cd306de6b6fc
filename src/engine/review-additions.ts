/**
 * What the model and the team add around the questions: clarifying
 * questions, proxy-failure suggestions and the team's verdict on each,
 * red-team scenarios, and a lead's decision on the finished review.
 */
import { applicableQuestions, findQuestion, firstUnanswered } from './questions.js';
import { changed, unchanged, waitOn, withHistory } from './review-step.js';
import type { AnswerValue, Effect, Flow, Question, ReviewInput, ReviewState, Step, Suggestion } from './types.js';

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

/**
 * Tells one answer's value from another: suggestions say which answer they
 * were made for, so that when the answer is edited (or given again after
 * `back`) a late result made for the old one is told apart. FNV-1a over the
 * value's JSON: short, pure, and the same in every replica.
 */
export function answerFingerprint(value: AnswerValue): string {
  const text = JSON.stringify(value);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The suggestions made last after this question (by the latest run that was shown), if any. */
function latestSuggestionAfter(state: ReviewState, questionId: string): Suggestion | undefined {
  return state.suggestions.findLast((suggestion) => suggestion.afterQuestionId === questionId);
}

/**
 * Whether the suggestions shown last after this question were made for the
 * answer with this fingerprint: a run for that answer then has nothing to add
 * (the same answer given again after `back`, or two runs for one edit).
 */
export function hasSuggestionsFor(state: ReviewState, questionId: string, forAnswer: string): boolean {
  return latestSuggestionAfter(state, questionId)?.forAnswer === forAnswer;
}

/**
 * Whether a suggestion fits the answer as it stands: made for it, and not
 * already shown for it. One that does not say which answer it was made for
 * (queued before answers were told apart) fits, as it always did.
 */
function madeForAnswerAsItStands(state: ReviewState, suggestion: Input<'add_suggestions'>['suggestions'][number]): boolean {
  if (suggestion.forAnswer === undefined) return true;
  const answer = state.answers[suggestion.afterQuestionId];
  if (!answer || answerFingerprint(answer.value) !== suggestion.forAnswer) return false;
  return !hasSuggestionsFor(state, suggestion.afterQuestionId, suggestion.forAnswer);
}

/** Where in the history the review first finished, or -1 while it never has. */
function firstFinish(state: ReviewState): number {
  return state.history.findIndex((entry) => entry.action === 'complete' || entry.action === 'finish');
}

/** Whether the answer to this question was last given or edited after the review first finished. */
function answeredAfterFinishing(state: ReviewState, questionId: string): boolean {
  const finished = firstFinish(state);
  if (finished < 0) return false;
  const given = state.history.findLastIndex((entry) => (entry.action === 'answer' || entry.action === 'edit') && entry.questionId === questionId);
  return given > finished;
}

/**
 * Whether the review takes proxy failures made after this question. A review
 * under way always does. A finished one only for an answer edited after it
 * finished: the team changed the metric on purpose and needs failures for
 * it, whereas a run for the metric as it stood at the end came too late, and
 * results after the review ended are dropped. "First finished", so an edit
 * that reopened the review, answered through again before the result came,
 * still gets its card. A cancelled review takes none.
 */
export function takesProxyFailures(state: ReviewState, questionId: string): boolean {
  if (state.status === 'active' || state.status === 'paused') return true;
  return state.status === 'completed' && answeredAfterFinishing(state, questionId);
}

export function addSuggestions(state: ReviewState, input: Input<'add_suggestions'>): Step {
  // Refused as any input a finished review does not take: a job's result is dropped without a word (render-step, shownTo).
  if (state.status === 'completed' && !input.suggestions.some((suggestion) => takesProxyFailures(state, suggestion.afterQuestionId))) {
    return unchanged(state, { type: 'not_active', status: state.status });
  }
  const fresh = input.suggestions.filter(
    (suggestion, i) =>
      !state.suggestions.some((known) => known.id === suggestion.id) && input.suggestions.findIndex((other) => other.id === suggestion.id) === i,
  );
  if (fresh.length === 0) return unchanged(state, { type: 'stale', message: 'Those suggestions were already added.' });
  // A run that was still thinking when the metric was edited: its result must not be shown as the edited metric's.
  const current = fresh.filter((suggestion) => madeForAnswerAsItStands(state, suggestion) && takesProxyFailures(state, suggestion.afterQuestionId));
  if (current.length === 0) return unchanged(state, { type: 'stale', message: 'Those suggestions were made for an answer since changed, or that answer already has its own.' });
  let next: ReviewState = { ...state, suggestions: [...state.suggestions, ...current] };
  for (const suggestion of current) next = withHistory(next, input, { action: 'suggestions', suggestionId: suggestion.id, after: suggestion.title });
  return changed({ state: next, effects: [{ type: 'suggestions_added', suggestionIds: current.map((suggestion) => suggestion.id) }] });
}

/*
 * Which suggestions count, in one rule. For each question, the card made for
 * the answer as it stands now counts for the summary, the score and the
 * exports: the card made last after that question, while the answer it was
 * made for is still the answer. A card made for a metric since edited (or
 * answered again after `back`) no longer counts, even before the edited
 * metric's card arrives: its verdicts stay on it and in the history, but the
 * team judges the failures afresh on the card below. A failure suggested on
 * several counted cards (same title) counts once, with the verdict given on
 * it last. Suggestions stored before cards had batches (no `batch` or
 * `forAnswer`) count as they always did while no newer card follows them.
 */

/** The latest suggestion after each question: the card it is on is the one made last after that question. */
function latestCards(state: ReviewState): Map<string, Suggestion> {
  const latest = new Map<string, Suggestion>();
  for (const suggestion of state.suggestions) latest.set(suggestion.afterQuestionId, suggestion);
  return latest;
}

function countsWith(state: ReviewState, latest: ReadonlyMap<string, Suggestion>, suggestion: Suggestion): boolean {
  const last = latest.get(suggestion.afterQuestionId);
  if (!last || last.batch !== suggestion.batch) return false;
  if (last.forAnswer === undefined) return true;
  const answer = state.answers[suggestion.afterQuestionId];
  return answer !== undefined && answerFingerprint(answer.value) === last.forAnswer;
}

/** Whether `suggestion` is on a card that counts: the latest after its question, made for the answer as it stands. */
export function suggestionCounts(state: ReviewState, suggestion: Suggestion): boolean {
  return countsWith(state, latestCards(state), suggestion);
}

/** The same failure, however its title is spaced or capitalised. */
function failureKey(suggestion: Suggestion): string {
  return suggestion.title.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The suggestions that count (see the rule above), each failure once: where
 * counted cards share a title, the one with the verdict given last stands for
 * it, in the place the failure was first suggested.
 */
export function countedSuggestions(state: ReviewState): Suggestion[] {
  const latest = latestCards(state);
  const byFailure = new Map<string, Suggestion>();
  for (const suggestion of state.suggestions) {
    if (!countsWith(state, latest, suggestion)) continue;
    const key = failureKey(suggestion);
    const known = byFailure.get(key);
    if (!known || (suggestion.verdict && (!known.verdict || suggestion.verdict.at >= known.verdict.at))) byFailure.set(key, suggestion);
  }
  return [...byFailure.values()];
}

/** The failures the team marked relevant, as they count for the summary, the score and the exports. */
export function relevantSuggestions(state: ReviewState): Suggestion[] {
  return countedSuggestions(state).filter((suggestion) => suggestion.verdict?.relevant === true);
}

/** What someone clicking a button on a card that no longer counts is told. */
export const OUTDATED_VERDICT_MESSAGE =
  'These suggestions were made for the metric before it was edited, so verdicts on them no longer count: only the card made for the metric as it stands counts.';

/**
 * Whether a suggested failure applies to this system; a changed verdict keeps the old one in the history.
 * Only suggestions that count take verdicts: a card made for an earlier metric has no buttons left, and a
 * click from a copy of it posted before the edit is refused (`stale`), which only the clicker is told.
 */
export function verdict(state: ReviewState, input: Input<'verdict'>): Step {
  // A cancelled review takes no more of the team's work: a verdict on it is refused as `stale`, which only the
  // clicker is told (not_active would be a note in the thread). A completed one still takes them: its summary shows them.
  if (state.status === 'cancelled') return unchanged(state, { type: 'stale', message: 'This review was cancelled, so its suggestions take no more verdicts.' });
  const existing = state.suggestions.find((suggestion) => suggestion.id === input.suggestionId);
  if (!existing) return unchanged(state, { type: 'stale', message: 'That suggestion is not part of this review.' });
  if (!suggestionCounts(state, existing)) return unchanged(state, { type: 'stale', message: OUTDATED_VERDICT_MESSAGE });
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
