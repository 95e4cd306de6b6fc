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

/** What a written answer looks like: the question's example when it has one, else how long it may be. */
export function writtenAnswerText(question: Question): string {
  return question.example ? `Reply in your own words, for example: “${question.example}”` : validAnswersText(question);
}

/** How much of a refused reply its refusal quotes: enough to recognise it; a long reply is not echoed back whole. */
const QUOTE_LENGTH = 40;

/**
 * The pieces a quote is cut between, never inside: a Slack control sequence
 * (`<@U0123ABC>`, `<!here>`, a link), an entity as Slack escapes `&`, `<` and
 * `>`, an emoji code (`:tada:`), or one character. A sequence cut in half
 * would show as raw markup ("&lt;@U01…"); a whole one is made safe and
 * readable where the message is shown, as any of people's text is.
 */
const QUOTE_PIECE = /<[^<>]*>|&(?:amp|lt|gt);|:[a-z0-9_+'-]+:|[\s\S]/giu;

/** Characters that turn the direction of the text after them: in a quote they would turn the rest of the message around. */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Half of a surrogate pair with no other half: shown as U+FFFD, as a browser shows it (Slack's client library cannot encode it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Slack's formatting marks, each as a look-alike that formats nothing: a
 * quoted "*" or "`" would otherwise pair with one after the quote and
 * format the rest of the message, or open a code block.
 */
const INERT_MARK: Readonly<Record<string, string>> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/**
 * A refused reply as its refusal quotes it: `"…"`, on one line (no new line,
 * list or block quote can start inside it), with no direction change and no
 * formatting that could reach past the closing quote, cut to QUOTE_LENGTH
 * between whole pieces (see QUOTE_PIECE). Mentions, broadcasts and links stay
 * as Slack sent them, whole: whoever shows the message neutralises them, as
 * for any of people's text (slack/blocks/text.ts).
 */
export function quoteReply(reply: string): string {
  const pieces = oneLine(reply).match(QUOTE_PIECE) ?? [];
  const kept = piecesThatFit(pieces);
  const quoted = kept.map((piece) => INERT_MARK[piece] ?? piece).join('');
  return `"${kept.length < pieces.length ? `${quoted.trimEnd()}…` : quoted}"`;
}

/** The reply on one line, without direction changes or halves of characters. */
function oneLine(reply: string): string {
  return reply.replace(BIDI_CONTROL, '').replace(LONE_SURROGATE, '\uFFFD').replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** All the pieces when they fit in QUOTE_LENGTH, else the first ones that leave room for "…". */
function piecesThatFit(pieces: readonly string[]): readonly string[] {
  // An entity shows as one character.
  const lengths = pieces.map((piece) => (piece.startsWith('&') && piece.length > 1 ? 1 : piece.length));
  if (lengths.reduce((sum, length) => sum + length, 0) <= QUOTE_LENGTH) return pieces;
  let used = 0;
  const first = lengths.findIndex((length) => (used += length) > QUOTE_LENGTH - 1);
  return pieces.slice(0, first);
}
