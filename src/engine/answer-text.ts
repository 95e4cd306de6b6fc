/**
 * How answers and the accepted replies read to people: shown in the thread,
 * in the summary and under buttons. An option's answer reads with what the
 * person wrote after it: "Yes — the credit risk lead owns it".
 */
import type { Answer, Question } from './types.js';

export function describeAnswer(question: Question, answer: Answer | undefined): string {
  if (answer === undefined) return '(unanswered)';
  const value = answer.value;
  switch (value.kind) {
    case 'skipped':
      return '(skipped)';
    case 'text':
      return value.text;
    case 'options': {
      // An id the question no longer has (the flow changed) is shown as it was stored.
      const labels = value.optionIds.map((id) => question.options.find((option) => option.id === id)?.label ?? id).join(', ');
      return value.detail ? `${labels} — ${value.detail}` : labels;
    }
  }
}

/**
 * What a person may reply to this question, e.g. "Reply with a number, or words
 * from one answer: 1. Yes, 2. No, 3. Not sure". It says what counts (an answer's
 * number or words from its label): "a number or a name" left people guessing
 * what a name was.
 */
export function validAnswersText(question: Question): string {
  if (question.kind === 'text') {
    if (question.maxLength < 3000) return `Reply in your own words (${question.minLength}–${question.maxLength} characters).`;
    return question.minLength > 1 ? `Reply in your own words (at least ${question.minLength} characters).` : 'Reply in your own words.';
  }
  const list = question.options.map((option, i) => `${i + 1}. ${option.label}`).join(', ');
  if (question.kind === 'multi') return `Reply with one or more numbers, or words from the answers, separated by commas: ${list}`;
  return `Reply with a number, or words from one answer: ${list}`;
}
