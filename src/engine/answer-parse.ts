/**
 * Reading a person's reply (or a button click) as an answer to a question.
 * Option questions accept an option's number (1-based), id, label or alias,
 * an unambiguous prefix of a label or id, a run of words that only one
 * option's label has ("a person approves each action"), or one distinctive
 * word that only one option has ("informally"), in any case; yes/no
 * questions also take the everyday words for yes, no and "not sure".
 *
 * What people write after the answer ("Yes — the credit risk lead owns it",
 * "2, on last year's tickets", "no it just sends it") is kept with the
 * answer as its detail: nothing a person answered is dropped.
 *
 * A written question that asks for words refuses a reply that says nothing
 * about it ("yes", "ok", "n/a", "👍"; see asksForWords).
 */
import { NO, NOT_SURE, YES, type AnswerValue, type Option, type Question } from './types.js';
import { optionConflict } from './option-rules.js';
import { optionByLooseWords, optionsWithWords, optionWithWord, type Resolution } from './option-words.js';
import { clauseEnds, EMOJI_CODE, normalizeReply, replyWords, saysNotKnown, typedLength, withoutEmojiColons, withoutTrailingEmoji, wordsOf } from './reply-text.js';
import { notKnownYetText, quoteLabel, quoteReply, tooShortText, validAnswersText, writtenAnswerText } from './answer-text.js';

export { normalizeReply, typedLength } from './reply-text.js';

/**
 * How the text came: as a new reply, or as an edit of a reply that answered
 * an earlier question. A refusal of an edit never offers `skip`: typed now,
 * it would skip the question asked now, not the edited one.
 */
export type ReplySource = 'reply' | 'edit';

export type ParseResult =
  | { ok: true; value: AnswerValue }
  /** `stale`: the input refers to options the question does not have (an old button). */
  | { ok: false; message: string; stale?: boolean };

const YESNO_WORDS: ReadonlyMap<string, string> = new Map([
  ...['y', 'yes', 'yep', 'yeah', 'yup', 'yea'].map((word): [string, string] => [word, YES]),
  ...['n', 'no', 'nope', 'nah', 'not really', 'not yet', 'not at all'].map((word): [string, string] => [word, NO]),
  ...[
    'unsure',
    'not really sure',
    'not quite sure',
    'not entirely sure',
    'not sure',
    "don't know",
    'dont know',
    'do not know',
    "i don't know",
    'i dont know',
    'no idea',
    'idk',
    'dunno',
    'maybe',
    '?',
  ].map((word): [string, string] => [word, NOT_SURE]),
]);

/** The most a person may write after an option's answer, as for the longest written answer. */
export const MAX_DETAIL_LENGTH = 3000;

/**
 * `loose`: also read the token as a natural sentence made of one answer's
 * words (optionByLooseWords). Only for a clause of a single answer, where
 * what the reply says beside the answer is kept as its detail.
 */
function resolveOption(question: Question, token: string, allowPrefix: boolean, loose = false): Resolution {
  const wanted = normalizeReply(token);
  if (wanted === '') return { kind: 'none' };
  const options = question.options;
  if (/^\d+$/.test(wanted)) {
    const position = Number(wanted);
    const byPosition = options[position - 1];
    if (position >= 1 && byPosition) return { kind: 'found', option: byPosition };
    const byId = options.find((option) => option.id === wanted);
    return byId ? { kind: 'found', option: byId } : { kind: 'out_of_range', number: position };
  }
  const exact =
    options.find((option) => normalizeReply(option.id) === wanted) ??
    options.find((option) => normalizeReply(option.label) === wanted) ??
    options.find((option) => option.aliases.some((alias) => normalizeReply(alias) === wanted));
  if (exact) return { kind: 'found', option: exact };
  if (question.kind === 'yesno') {
    const option = yesNoOption(question, wanted);
    if (option) return { kind: 'found', option };
  }
  if (!allowPrefix) return { kind: 'none' };
  const byPrefix = options.filter((option) =>
    [option.id, option.label, ...option.aliases].some((name) => normalizeReply(name).startsWith(wanted)),
  );
  if (byPrefix.length === 1) return { kind: 'found', option: byPrefix[0]! };
  if (byPrefix.length > 1) return { kind: 'ambiguous', options: byPrefix };
  return byWords(question, wanted, loose);
}

function yesNoOption(question: Question, phrase: string): Option | undefined {
  const id = YESNO_WORDS.get(phrase);
  return id === undefined ? undefined : question.options.find((candidate) => candidate.id === id);
}

/** A reply read by its words alone: a run of a label's words, else one distinctive word, else (`loose`) a sentence made of one label's words. */
function byWords(question: Question, wanted: string, loose = false): Resolution {
  const inARow = optionsWithWords(question.options, wanted);
  if (inARow.length === 1) return { kind: 'found', option: inARow[0]! };
  if (inARow.length > 1) return { kind: 'ambiguous', options: inARow };
  const oneWord = optionWithWord(question, wanted);
  return oneWord.kind === 'none' && loose ? optionByLooseWords(question, wanted) : oneWord;
}

function problem(question: Question, resolution: Exclude<Resolution, { kind: 'found' }>, token: string): string {
  switch (resolution.kind) {
    case 'out_of_range':
      return `There is no answer ${resolution.number}`;
    case 'ambiguous':
      // Numbered and quoted as in the list of answers that follows: labels have commas and "or" of their own.
      return `${quoteReply(token)} could be ${resolution.options.map((option) => numbered(question, option)).join(' or ')}`;
    case 'none':
      return `${quoteReply(token)} is not one of the answers`;
  }
}

/** An answer as its refusals name it: `2. "Sends messages or emails"`. */
function numbered(question: Question, option: Option): string {
  return `${question.options.indexOf(option) + 1}. ${quoteLabel(option.label)}`;
}

/** What to reply instead of a refused one: the answers, after what to do when the reply says the person does not know yet ("n/a"). */
function answersAfter(question: Question, reply: string, source: ReplySource): string {
  return saysNotKnown(reply) ? notKnownText(question, source) : validAnswersText(question);
}

/** For a new reply, `skip`; for an edit, editing it again or leaving the earlier answer (see ReplySource). */
function notKnownText(question: Question, source: ReplySource): string {
  return source === 'reply' ? notKnownYetText(question) : notKnownEditText(question);
}

/**
 * The refusal of an edit that says the person does not know (yet). What an
 * answer looks like comes last, as for a new reply; the refusal's renderer
 * adds that the earlier answer stands (reviews/render-step.ts).
 */
function notKnownEditText(question: Question): string {
  const answer = question.kind === 'text' ? writtenAnswerText(question) : validAnswersText(question);
  return `To change the answer, edit your reply again with a real answer; if you don't know yet, leave it as it is. ${answer}`;
}


export function parseReply(question: Question, text: string, source: ReplySource = 'reply'): ParseResult {
  switch (question.kind) {
    case 'text':
      return parseText(question, text, source);
    case 'multi':
      return emojiAside(text, (reply) => parseMulti(question, reply, source));
    default:
      return emojiAside(text, (reply) => parseSingle(question, reply, source));
  }
}

/** A reply read as written, else without the emoji after its last word ("2 👍"); a refusal quotes it as written. */
function emojiAside(text: string, parse: (reply: string) => ParseResult): ParseResult {
  const asWritten = parse(text);
  if (asWritten.ok) return asWritten;
  const plain = withoutTrailingEmoji(text);
  if (plain === text) return asWritten;
  const retried = parse(plain);
  return retried.ok ? retried : asWritten;
}

/**
 * Where the line is between a short answer and no answer. Every written
 * question of the shipped flows asks *what* (what the system does, what
 * people want, what it is told, what number it is judged by) and asks for
 * at least 3 characters: 10 for descriptions, goals and objectives, 3 for
 * metrics. No word of assent, refusal or not knowing answers a what-question,
 * so a reply made only of such words ("yes", "ok", "nope", "n/a", "idk", "no
 * idea", "sure 👍"), or of no words at all ("👍", ":+1:", "..."), is refused,
 * whatever its length, with what an answer looks like. One word of its own
 * makes it an answer, however short ("CTR", "NPS", "p95 latency"), and so
 * does a sentence that starts with "no" ("No personal data is used").
 * "None" is an answer: to "What metric…?" it says there is none.
 * A question that takes any reply (`min_length` 1, the default, as the
 * model's follow-ups have, which may well ask for a yes or a no) takes these
 * words as its answer.
 */
function asksForWords(question: Question): boolean {
  return question.minLength > 1;
}

function parseText(question: Question, text: string, source: ReplySource): ParseResult {
  const trimmed = text.trim();
  const length = typedLength(trimmed);
  if (length > 0 && asksForWords(question) && replyWords(trimmed) !== 'words') return notAnAnswer(question, trimmed, source);
  if (length < question.minLength) return { ok: false, message: tooShortText(question, length) };
  if (length > question.maxLength) {
    return { ok: false, message: `Please keep it to ${question.maxLength} characters (yours has ${length}).` };
  }
  return { ok: true, value: { kind: 'text', text: trimmed } };
}

/**
 * A reply that says nothing about a written question (see asksForWords),
 * refused with what an answer looks like; one that says the person does not
 * know yet ("idk", "n/a", "TBD") also says what to do then (see notKnownText).
 */
function notAnAnswer(question: Question, reply: string, source: ReplySource): ParseResult {
  const instead = saysNotKnown(reply) ? notKnownText(question, source) : writtenAnswerText(question);
  return { ok: false, message: `${quoteReply(reply)} is not an answer to this question. ${instead}` };
}

/** A decimal ("2.5") is not "2, then something". */
const DECIMAL = /^\s*\d+[.,]\d/;

/** An answer found at the start of a reply, and what follows it (`rest`: the detail, before clean-up). */
type Led = { kind: 'found'; option: Option; rest: string } | { kind: 'ambiguous'; options: Option[] } | { kind: 'none' };

function parseSingle(question: Question, text: string, source: ReplySource): ParseResult {
  const whole = resolveOption(question, text, true);
  if (whole.kind === 'found') return chosen([whole.option.id]);
  const led = ledAnswer(question, text);
  if (led.kind === 'found') return withDetail([led.option.id], led.rest);
  // "Could be A or B" helps more than "not one of the answers" when the reply's start narrowed it to a few.
  const refusal = whole.kind === 'none' && led.kind === 'ambiguous' ? led : whole;
  return { ok: false, message: `${problem(question, refusal, text)}. ${answersAfter(question, text, source)}` };
}

/**
 * A reply that starts with its answer and goes on: "Yes — the credit risk
 * lead", "2, on last year's tickets", "yes 👍", "yes on its own, every action
 * can be undone". The first way that finds an answer decides. A rest that is
 * itself another answer ("Yes, no", "2, 4") makes the reply ambiguous.
 */
function ledAnswer(question: Question, text: string): Led {
  if (DECIMAL.test(text)) return { kind: 'none' };
  for (const read of [afterLeadingName, afterYesNoWord, byClauses]) {
    const led = read(question, text);
    if (led.kind === 'ambiguous') return led;
    if (led.kind === 'found') {
      const other = resolveOption(question, led.rest, false);
      if (other.kind !== 'found') return led;
      // "Yes, yes": the same answer again adds nothing to keep.
      return other.option === led.option ? { ...led, rest: '' } : { kind: 'ambiguous', options: [led.option, other.option] };
    }
  }
  return { kind: 'none' };
}

/** A number or exact name before the first punctuation: "2, on last year's tickets", "Not sure — ask ops". */
function afterLeadingName(question: Question, text: string): Led {
  const end = clauseEnds(text).next().value;
  if (!end || end.index === text.length) return { kind: 'none' };
  const lead = text.slice(0, end.index);
  const leading = lead.trim() === '' ? undefined : resolveOption(question, lead, false);
  return leading?.kind === 'found' ? { kind: 'found', option: leading.option, rest: text.slice(end.next) } : { kind: 'none' };
}

/** The longest yes/no phrase ("i don't know") has this many words. */
const MAX_YESNO_WORDS = 4;
/** Shorthand that means an answer only when it is the whole reply ("y"), never the start of a sentence ("n of them"). */
const SHORTHAND: ReadonlySet<string> = new Set(['y', 'n', '?']);
/** "No" that starts a phrase rather than answering: "no one checks it", "no more than ten a day", "no doubt". */
const NO_STARTS_A_PHRASE: ReadonlySet<string> = new Set(['one', 'more', 'less', 'fewer', 'longer', 'later', 'earlier', 'sooner', 'matter', 'doubt', 'problem']);

/**
 * A yes/no question's answer word followed by anything, with no punctuation
 * between: "yes 👍", "not really it just sends it". Refused when the next
 * words make the word something else ("no one checks it") or add the other
 * answer ("yes and no").
 */
function afterYesNoWord(question: Question, text: string): Led {
  if (question.kind !== 'yesno') return { kind: 'none' };
  const ends: number[] = [];
  for (const word of text.matchAll(/\S+/g)) {
    ends.push(word.index + word[0].length);
    if (ends.length > MAX_YESNO_WORDS) break;
  }
  // The longest phrase first ("not sure" before "not", "no idea" before "no"); something must follow it.
  for (let count = Math.min(MAX_YESNO_WORDS, ends.length - 1); count >= 1; count--) {
    const phrase = normalizeReply(text.slice(0, ends[count - 1]));
    const option = SHORTHAND.has(phrase) ? undefined : yesNoOption(question, phrase);
    if (!option) continue;
    const rest = text.slice(ends[count - 1]);
    const next = wordsOf(normalizeReply(rest));
    if (phrase === 'no' && next[0] !== undefined && NO_STARTS_A_PHRASE.has(next[0])) return { kind: 'none' };
    if (next[0] === 'and' || next[0] === 'or') {
      const other = [2, 1].map((length) => yesNoOption(question, next.slice(1, 1 + length).join(' '))).find((found) => found !== undefined);
      if (other && other !== option) return { kind: 'none' };
    }
    return { kind: 'found', option, rest };
  }
  return { kind: 'none' };
}

/** An answer is said in its reply's first few clauses; the clauses after these are read as the detail. */
const MAX_ANSWER_CLAUSES = 6;

/**
 * A reply in several clauses that together point at one answer: "yes on its
 * own, every action can be undone" is 3 or 4 by its first clause and only 3
 * by its second. The clauses are read until one matches no answer; that one
 * and the rest are the detail. A clause that points elsewhere makes the
 * reply ambiguous. After the first clause only words count (a number or a
 * prefix there is more likely part of the explanation).
 */
function byClauses(question: Question, text: string): Led {
  let candidates: Option[] | undefined;
  let start = 0;
  let read = 0;
  // A clause read loosely that says more than its answer is kept in the detail, as the person wrote it.
  let detailFrom: number | undefined;
  for (const end of clauseEnds(text)) {
    const clause = text.slice(start, end.index);
    if (clause.trim() !== '') {
      if (read++ === MAX_ANSWER_CLAUSES) break;
      const resolution = candidates === undefined ? resolveOption(question, clause, true, true) : byWords(question, normalizeReply(clause), true);
      const matched = candidatesOf(resolution);
      if (matched.length === 0) break;
      if (resolution.kind === 'found' && resolution.saysMore) detailFrom ??= start;
      const both: Option[] = candidates === undefined ? matched : candidates.filter((option) => matched.includes(option));
      if (both.length === 0) return { kind: 'ambiguous', options: question.options.filter((option) => candidates!.includes(option) || matched.includes(option)) };
      candidates = both;
    }
    start = end.next;
  }
  if (candidates === undefined) return { kind: 'none' };
  return candidates.length === 1 ? { kind: 'found', option: candidates[0]!, rest: text.slice(detailFrom ?? start) } : { kind: 'ambiguous', options: candidates };
}

function candidatesOf(resolution: Resolution): Option[] {
  return resolution.kind === 'found' ? [resolution.option] : resolution.kind === 'ambiguous' ? resolution.options : [];
}

/** What follows the answer, without the separator; none when it has no letters or digits ("yes 👍", "Yes!! :tada:"). */
function detailOf(rest: string): string | undefined {
  const detail = rest.replace(/^(?:[\s,;.!—–-]|:(?![a-z0-9_+'-]+:))+/i, '').trim();
  return /[\p{L}\p{N}]/u.test(detail.replace(EMOJI_CODE, '')) ? detail : undefined;
}

function withDetail(optionIds: string[], rest: string): ParseResult {
  const detail = detailOf(rest);
  if (detail === undefined) return chosen(optionIds);
  const length = typedLength(detail);
  if (length > MAX_DETAIL_LENGTH) {
    return { ok: false, message: `Please keep what you write after the answer to ${MAX_DETAIL_LENGTH} characters (yours has ${length}).` };
  }
  return { ok: true, value: { kind: 'options', optionIds, detail } };
}

const LIST_SEPARATOR = /(\s*[,;\n&]\s*|\s+and\s+)/i;
/** Where a list of answers may end and its explanation begin: not a list separator, so the split is unambiguous. */
const LIST_END = /[:—–]|\s-\s/;
/** More items than any option list has is not an answer; the bound keeps a pasted essay cheap to refuse. */
const MAX_LIST_ITEMS = 60;
/** The most list items one label may span ("Spend money, make purchases and pay invoices"). */
const MAX_LABEL_PIECES = 6;

/**
 * A list of answers, or a list then an explanation after a colon or dash
 * ("2, 4 — it emails customers and runs SQL"). The explanation is taken only
 * when the list before it is whole and it is no list of answers itself.
 */
function parseMulti(question: Question, text: string, source: ReplySource): ParseResult {
  const whole = parseList(question, text, source);
  if (whole.ok) return whole;
  const end = LIST_END.exec(withoutEmojiColons(text));
  if (!end) return whole;
  const head = parseList(question, text.slice(0, end.index), source);
  const rest = text.slice(end.index + end[0].length);
  if (!head.ok || head.value.kind !== 'options' || parseList(question, rest, source).ok) return whole;
  return withDetail(head.value.optionIds, rest);
}

function parseList(question: Question, reply: string, source: ReplySource): ParseResult {
  // One space for each run of spaces: LIST_SEPARATOR would try every start of a long run (seconds for a pasted page of them).
  const text = reply.replace(/[^\S\n]+/g, ' ');
  // "1 3 4" is a list too; labels with spaces are not split on spaces.
  const parts = /^\s*\d+(\s+\d+)+\s*$/.test(text) ? text.trim().split(/(\s+)/) : text.split(LIST_SEPARATOR);
  const pieces = parts.filter((_, i) => i % 2 === 0);
  if (pieces.length > MAX_LIST_ITEMS) return { ok: false, message: `That is more items than there are answers. ${validAnswersText(question)}` };
  const joinPieces = (from: number, to: number) => parts.slice(from * 2, to * 2 + 1).join('');
  const picked = new Set<string>();
  const problems: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i]!.trim() === '') continue;
    // A label may itself contain a separator ("Spend money and make purchases"): prefer the longest exact match.
    let end = -1;
    for (let j = Math.min(pieces.length - 1, i + MAX_LABEL_PIECES - 1); j > i && end < 0; j--) {
      const joined = resolveOption(question, joinPieces(i, j), false);
      if (joined.kind === 'found') {
        picked.add(joined.option.id);
        end = j;
      }
    }
    if (end >= 0) {
      i = end;
      continue;
    }
    const single = resolveOption(question, pieces[i]!, true);
    if (single.kind === 'found') picked.add(single.option.id);
    else problems.push(problem(question, single, pieces[i]!));
  }
  if (problems.length > 0) return { ok: false, message: `${problems.join('; ')}. ${answersAfter(question, reply, source)}` };
  if (picked.size === 0) return { ok: false, message: `Please choose at least one. ${validAnswersText(question)}` };
  return chosenMany(question, question.options.filter((option) => picked.has(option.id)));
}

/** A button or checkbox answer: option ids sent back by the chat client. */
export function parseChosenOptions(question: Question, optionIds: readonly string[]): ParseResult {
  if (question.kind === 'text') return { ok: false, message: 'This question takes a written answer.' };
  const unknown = optionIds.filter((id) => !question.options.some((option) => option.id === id));
  if (unknown.length > 0) return { ok: false, stale: true, message: 'Those buttons belong to an older version of this question.' };
  const ids = question.options.filter((option) => optionIds.includes(option.id)).map((option) => option.id);
  if (question.kind === 'multi') {
    return ids.length > 0 ? chosenMany(question, question.options.filter((option) => ids.includes(option.id))) : { ok: false, message: `Please choose at least one. ${validAnswersText(question)}` };
  }
  return ids.length === 1 ? chosen(ids) : { ok: false, message: `Please choose exactly one. ${validAnswersText(question)}` };
}

/** Several options of a multi question, unless one of them rules out the others ("Nothing else") and is not alone. */
function chosenMany(question: Question, options: readonly Option[]): ParseResult {
  const conflict = optionConflict(options);
  if (conflict?.kind === 'alone') return { ok: false, message: `${numbered(question, conflict.option)} rules out the other answers: choose it on its own, or leave it out.` };
  if (conflict) return { ok: false, message: `${numbered(question, conflict.first)} cannot go with ${numbered(question, conflict.second)}: choose the one that holds.` };
  return chosen(options.map((option) => option.id));
}

function chosen(optionIds: string[]): ParseResult {
  return { ok: true, value: { kind: 'options', optionIds } };
}
