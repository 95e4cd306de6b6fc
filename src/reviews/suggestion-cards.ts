/**
 * Which proxy-failure suggestions share a card in the thread, and what each
 * card says about the metric it was made for. One run of the suggestions job
 * makes one card; when the metric is edited, a new run makes a new card below,
 * and the earlier one says so. Pure, like the rendering that uses it.
 */
import { answerFingerprint } from '../engine/review-additions.js';
import type { ReviewState, Suggestion } from '../engine/types.js';
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

/** The card of `item` as it should read now. */
export function suggestionsCard(state: ReviewState, item: Suggestion, modelConfigured: boolean): SlackMessage {
  return suggestionsMessage(state.id, cardOf(state, item), {
    modelConfigured,
    forEditedMetric: madeForEditedAnswer(state, item),
    replacedBelow: hasCardAfter(state, item),
  });
}
