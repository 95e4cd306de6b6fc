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
 * What a person may reply to this question. A written question: how long,
 * e.g. "Reply in your own words (at least 10 characters)." An option
 * question: its answers, one a line and numbered (labels have commas of
 * their own, "Yes, on its own — and every action can be undone", so a list
 * on one line separated by commas could not be read), then what counts:
 *
 *     The answers are:
 *     1. Yes
 *     2. No
 *     3. Not sure
 *     Reply with a number, or words from one answer.
 *
 * It says what counts (an answer's number or words from its label): "a
 * number or a name" left people guessing what a name was. It ends with a
 * sentence, not the list, because a refused edit goes on after it ("… The
 * earlier answer stands.", reviews/render-step.ts), which right after the
 * last answer would read as part of it. Slack shows the line breaks in a
 * mrkdwn section and in the plain-text fallback alike.
 */
export function validAnswersText(question: Question): string {
  if (question.kind === 'text') return `Reply ${ownWords(question)}`;
  const list = question.options.map((option, i) => `${i + 1}. ${option.label}`).join('\n');
  const how = question.kind === 'multi' ? 'Reply with one or more numbers, or words from the answers, separated by commas.' : 'Reply with a number, or words from one answer.';
  return `The answers are:\n${list}\n${how}`;
}

/** How long a written answer may be: "in your own words (at least 10 characters)." */
function ownWords(question: Question): string {
  if (question.maxLength < 3000) return `in your own words (${question.minLength}–${question.maxLength} characters).`;
  return question.minLength > 1 ? `in your own words (at least ${question.minLength} characters).` : 'in your own words.';
}

/** What a written answer looks like: the question's example when it has one, else how long it may be. */
export function writtenAnswerText(question: Question): string {
  return question.example ? `Reply in your own words, for example: ${quoteExample(question.example)}` : validAnswersText(question);
}

/**
 * The refusal of a written reply that says the person does not know (yet):
 * "idk", "n/a", "TBD". They may well not know yet, so it offers `skip` (the
 * question then stays open in the summary) before what an answer looks like.
 */
export function notKnownYetText(question: Question): string {
  const answer = question.kind === 'text' ? writtenAnswerText(question) : validAnswersText(question);
  return `${SKIP_HINT} Otherwise, ${answer.charAt(0).toLowerCase()}${answer.slice(1)}`;
}

/** `skip` as the word a person replies: in code, as the review's other words are shown. */
const SKIP_HINT = "If you don't know yet, reply `skip`: the question stays open in the summary.";

/**
 * A written reply that is too short, with the question's example when it has
 * one: "Please write at least 10 characters (yours has 9). For example: "…"".
 */
export function tooShortText(question: Question, length: number): string {
  const needed = question.minLength <= 1 ? 'Please write an answer' : `Please write at least ${question.minLength} characters`;
  return `${needed} (yours has ${length}).${question.example ? ` For example: ${quoteExample(question.example)}` : ''}`;
}

/**
 * An answer's label as refusals name it: in curly quotes, as the flow's own
 * words, where a person's reply and the example are in straight ones.
 */
export function quoteLabel(label: string): string {
  return `“${label}”`;
}

/**
 * The question's example in the same quote marks as a quoted reply (see
 * quoteReply), so the two read alike in one refusal. It is the flow's own
 * text, shown whole.
 */
function quoteExample(example: string): string {
  return `${QUOTE}${example}${QUOTE}`;
}

/** The quote mark around a quoted reply and an example: a straight one, which Slack never formats. */
const QUOTE = '"';

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
 * Slack's formatting marks, each with a look-alike that formats nothing. A
 * quoted mark could pair with one inside the quote ("*now*") or after it (the
 * backticks around `skip`, another quoted reply, a label) and format or turn
 * into code everything between.
 *
 * Only the marks that could do so are replaced, so a quote still shows
 * "snake_case", "2*3" and "a ~ b" as typed. Slack's mrkdwn opens bold,
 * italic or strike only at a mark not preceded by a letter or digit and
 * followed by something other than a space, and closes one only at a mark
 * preceded by something other than a space and not followed by a letter or
 * digit. So a `*`, `_` or `~` between two letters or digits, or between two
 * spaces, can neither open nor close anything and is kept; every other one,
 * including one next to the quote's ends, is replaced. A backtick opens code
 * wherever it is, so every backtick is replaced. Escaping is no way out:
 * mrkdwn has no escape for these marks, and a zero-width character beside a
 * mark is not reliably read as a word boundary by every client.
 */
const INERT_MARK: Readonly<Record<string, string>> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function inertMarks(pieces: readonly string[]): string[] {
  return pieces.map((piece, i) => {
    const lookAlike = INERT_MARK[piece];
    if (lookAlike === undefined) return piece;
    if (piece === '`') return lookAlike;
    // At the quote's ends the neighbour is the quote mark.
    const before = Array.from(pieces[i - 1] ?? '"').at(-1) ?? '"';
    const after = Array.from(pieces[i + 1] ?? '"')[0] ?? '"';
    const between = (test: (char: string) => boolean) => test(before) && test(after);
    return between((char) => LETTER_OR_DIGIT.test(char)) || between((char) => char === ' ') ? piece : lookAlike;
  });
}

/**
 * A refused reply as its refusal quotes it: `"…"`, on one line (no new line,
 * list or block quote can start inside it), with no direction change and no
 * formatting that could reach past the closing quote (see INERT_MARK), cut to
 * QUOTE_LENGTH between whole pieces (see QUOTE_PIECE). Mentions, broadcasts
 * and links stay as Slack sent them, whole: whoever shows the message
 * neutralises them, as for any of people's text (slack/blocks/text.ts).
 */
export function quoteReply(reply: string): string {
  const pieces = oneLine(reply).match(QUOTE_PIECE) ?? [];
  const kept = [...piecesThatFit(pieces)];
  if (kept.length < pieces.length) {
    while (kept.at(-1) === ' ') kept.pop();
    kept.push('…');
  }
  return `${QUOTE}${inertMarks(kept).join('')}${QUOTE}`;
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
