/**
 * Evaluating `when` conditions against answers. A leaf condition about a
 * question that does not apply, or has no answer, is false (so `not` of it is
 * true); `answered: true` needs a non-skipped answer and `answered: false`
 * holds for a skipped one.
 */
import type { Condition } from './flow-schema.js';
import type { AnswerValue } from './types.js';

/** The answer to a question, or undefined when it has none or does not apply. */
export type AnswerLookup = (questionId: string) => AnswerValue | undefined;

export type LeafCondition = Extract<Condition, { question: string }>;

export function conditionHolds(condition: Condition, answerOf: AnswerLookup): boolean {
  if ('not' in condition) return !conditionHolds(condition.not, answerOf);
  if ('all' in condition) return condition.all.every((part) => conditionHolds(part, answerOf));
  if ('any' in condition) return condition.any.some((part) => conditionHolds(part, answerOf));
  return leafHolds(condition, answerOf(condition.question));
}

function leafHolds(condition: LeafCondition, value: AnswerValue | undefined): boolean {
  if (value === undefined) return false;
  if ('answered' in condition) return (value.kind !== 'skipped') === condition.answered;
  if (value.kind !== 'options') return false;
  // On a multi question `equals` means exactly that one option was chosen.
  if ('equals' in condition) return value.optionIds.length === 1 && value.optionIds[0] === condition.equals;
  if ('includes' in condition) return value.optionIds.includes(condition.includes);
  return value.optionIds.some((id) => condition.any_of.includes(id));
}

/** Calls `visit` for every leaf of a condition with its path below the condition (`all[1].not`). */
export function forEachLeaf(
  condition: Condition,
  visit: (leaf: LeafCondition, path: (string | number)[]) => void,
  path: (string | number)[] = [],
): void {
  if ('not' in condition) forEachLeaf(condition.not, visit, [...path, 'not']);
  else if ('all' in condition) condition.all.forEach((part, i) => forEachLeaf(part, visit, [...path, 'all', i]));
  else if ('any' in condition) condition.any.forEach((part, i) => forEachLeaf(part, visit, [...path, 'any', i]));
  else visit(condition, path);
}
