/**
 * Which proxy-failure suggestions share a card in the thread, and what each
 * card says about the metric it was made for. One run of the suggestions job
 * makes one card; when the metric is edited, a new run makes a new card below,
 * and the earlier one says so. Pure, like the rendering that uses it.
 */
import { answerFingerprint, suggestionCounts } from '../engine/review-additions.js';
import type { AnswerValue, HistoryEntry, ReviewState, Suggestion } from '../engine/types.js';
import type { SlackMessage } from '../slack/blocks/message.js';
import { suggestionsMessage } from '../slack/blocks/suggestions.js';

/**
 * Made by the same run: the same question and batch. Suggestions stored
 * before batches existed have none, so all of a question's share one card,
 * as they always did.
 */
function sameCard(one: Suggestion, other: Suggestion): boolean {
  return one.afterQuestionId === other.afterQuestionId && one.batch === other.batch;
}

/** The suggestions on the card of `item`, in the order they were added. */
export function cardOf(state: ReviewState, item: Suggestion): Suggestion[] {
  return state.suggestions.filter((other) => sameCard(other, item));
}

/** A suggestion on the card posted for the same question just before the card of `item`, if there is one. */
export function cardBefore(state: ReviewState, item: Suggestion): Suggestion | undefined {
  const first = state.suggestions.findIndex((other) => sameCard(other, item));
  return state.suggestions.slice(0, Math.max(first, 0)).findLast((other) => other.afterQuestionId === item.afterQuestionId && !sameCard(other, item));
}

/** Whether a card for the same question was posted after the card of `item`. */
function hasCardAfter(state: ReviewState, item: Suggestion): boolean {
  const last = state.suggestions.findLastIndex((other) => sameCard(other, item));
  return state.suggestions.slice(last + 1).some((other) => other.afterQuestionId === item.afterQuestionId && !sameCard(other, item));
}

/**
 * Whether `item` was made for an answer other than the first one given to
 * its question: the metric edited, or answered again after `back`. Read from
 * the history, which only grows, so the card says the same on every update.
 */
function madeForEditedAnswer(state: ReviewState, item: Suggestion): boolean {
  if (item.forAnswer === undefined) return false;
  const first = state.history.find((entry) => entry.action === 'answer' && entry.questionId === item.afterQuestionId);
  const value = first?.after;
  return typeof value === 'object' && value !== null && answerFingerprint(value) !== item.forAnswer;
}

function answerValue(entry: HistoryEntry): AnswerValue | undefined {
  const value = entry.after;
  return typeof value === 'object' && value !== null ? value : undefined;
}

/**
 * The metric the card of `item` was made for, as the team wrote it, read from
 * the history: the answer with the card's fingerprint or, for a card stored
 * before fingerprints, the answer that stood when the card was added.
 * Undefined when it was no text (or the history does not show it).
 */
export function metricMadeFor(state: ReviewState, item: Suggestion): string | undefined {
  const given = (entries: HistoryEntry[]) =>
    entries.filter((entry) => (entry.action === 'answer' || entry.action === 'edit') && entry.questionId === item.afterQuestionId);
  let value: AnswerValue | undefined;
  if (item.forAnswer !== undefined) {
    value = given(state.history)
      .map(answerValue)
      .findLast((candidate) => candidate !== undefined && answerFingerprint(candidate) === item.forAnswer);
  } else {
    const ids = new Set(cardOf(state, item).map((other) => other.id));
    const added = state.history.findIndex((entry) => entry.action === 'suggestions' && entry.suggestionId !== undefined && ids.has(entry.suggestionId));
    const before = given(added < 0 ? state.history : state.history.slice(0, added)).at(-1);
    value = before && answerValue(before);
  }
  return value?.kind === 'text' ? value.text : undefined;
}

/**
 * The card of `item` as it should read now. A card that no longer counts (one
 * for the same question came below it, made for the metric as it stands: see
 * the rule at countedSuggestions) names the metric it was made for, says its
 * verdicts no longer count and loses its buttons: a button there would take a
 * click that changes nothing the team sees on the summary, and the same
 * failure is on the card below to be judged there.
 */
export function suggestionsCard(state: ReviewState, item: Suggestion, modelConfigured: boolean): SlackMessage {
  const outdated = hasCardAfter(state, item) || !suggestionCounts(state, item);
  const metric = outdated ? metricMadeFor(state, item) : undefined;
  return suggestionsMessage(state.id, cardOf(state, item), {
    modelConfigured,
    forEditedMetric: madeForEditedAnswer(state, item),
    replacedBelow: outdated,
    ...(metric === undefined ? {} : { madeForMetric: metric }),
  });
}
