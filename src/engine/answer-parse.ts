/**
 * Reading a person's reply (or a button click) as an answer to a question.
 * Option questions accept an option's number (1-based), id, label or alias,
 * an unambiguous prefix of a label or id, or a run of words that only one
 * option's label has ("a person approves each action"), in any case; yes/no
 * questions also take the everyday words for yes, no and "not sure".
 */
import { NO, NOT_SURE, YES, type AnswerValue, type Option, type Question } from './types.js';
import { validAnswersText } from './answer-text.js';

export type ParseResult =
  | { ok: true; value: AnswerValue }
  /** `stale`: the input refers to options the question does not have (an old button). */
  | { ok: false; message: string; stale?: boolean };

const YESNO_WORDS: ReadonlyMap<string, string> = new Map([
  ...['y', 'yes', 'yep', 'yeah', 'yup', 'yea'].map((word): [string, string] => [word, YES]),
  ...['n', 'no', 'nope', 'nah'].map((word): [string, string] => [word, NO]),
  ...[
    'unsure',
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

/** Lower case, one space between words, straight quotes, no Slack emphasis or closing full stop. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/^[\s*_~"'>([]+/, '')
    .replace(/[\s*_~"'.!)\]]+$/, '');
}

type Resolution =
  | { kind: 'found'; option: Option }
  | { kind: 'none' }
  | { kind: 'out_of_range'; number: number }
  | { kind: 'ambiguous'; options: Option[] };

function resolveOption(question: Question, token: string, allowPrefix: boolean): Resolution {
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
    const id = YESNO_WORDS.get(wanted);
    const option = id === undefined ? undefined : options.find((candidate) => candidate.id === id);
    if (option) return { kind: 'found', option };
  }
  if (!allowPrefix) return { kind: 'none' };
  const byPrefix = options.filter((option) =>
    [option.id, option.label, ...option.aliases].some((name) => normalizeReply(name).startsWith(wanted)),
  );
  if (byPrefix.length === 1) return { kind: 'found', option: byPrefix[0]! };
  if (byPrefix.length > 1) return { kind: 'ambiguous', options: byPrefix };
  const byWords = optionsWithWords(options, wanted);
  if (byWords.length === 1) return { kind: 'found', option: byWords[0]! };
  return byWords.length > 1 ? { kind: 'ambiguous', options: byWords } : { kind: 'none' };
}

/**
 * A reply matched by its words needs at least two words and this many
 * letters: a single word ("protected") too easily stands for its opposite in
 * another context ("we're not sure how well it's protected"); short replies
 * are covered by numbers, prefixes and the yes/no words.
 */
const MIN_WORDS = 2;
const MIN_WORDS_LETTERS = 6;
/** A reply word this long may be the start of a label's word ("approve" for "approves"). */
const MIN_PARTIAL_WORD = 4;

/** The words of a reply or label: letters and digits only, apostrophes dropped ("can't" → "cant"). */
function wordsOf(text: string): string[] {
  return text
    .replace(/'/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * The options one of whose names (label, alias or id) has the reply's words
 * in a row, ignoring case and punctuation: people type the part of a long
 * label they remember ("a person approves each action" for "Yes, but a
 * person approves each action first"). In a row, not scattered, so "not
 * protected" cannot pick "not sure how well it's protected".
 */
function optionsWithWords(options: readonly Option[], wanted: string): Option[] {
  const words = wordsOf(wanted);
  if (words.length < MIN_WORDS || words.join('').length < MIN_WORDS_LETTERS) return [];
  const same = (nameWord: string, word: string) => nameWord === word || (word.length >= MIN_PARTIAL_WORD && nameWord.startsWith(word));
  const inARow = (nameWords: string[]) =>
    nameWords.some((_, start) => start + words.length <= nameWords.length && words.every((word, i) => same(nameWords[start + i]!, word)));
  return options.filter((option) => [option.id, option.label, ...option.aliases].some((name) => inARow(wordsOf(normalizeReply(name)))));
}

function problem(resolution: Exclude<Resolution, { kind: 'found' }>, token: string): string {
  switch (resolution.kind) {
    case 'out_of_range':
      return `There is no answer ${resolution.number}`;
    case 'ambiguous':
      return `${quote(token)} could be ${resolution.options.map((option) => option.label).join(' or ')}`;
    case 'none':
      return `${quote(token)} is not one of the answers`;
  }
}

/** Short, so a long reply is not echoed back whole. */
function quote(token: string): string {
  const trimmed = token.trim();
  return JSON.stringify(trimmed.length > 40 ? `${trimmed.slice(0, 39)}…` : trimmed);
}

export function parseReply(question: Question, text: string): ParseResult {
  switch (question.kind) {
    case 'text':
      return parseText(question, text);
    case 'multi':
      return parseMulti(question, text);
    default:
      return parseSingle(question, text);
  }
}

function parseText(question: Question, text: string): ParseResult {
  const trimmed = text.trim();
  if (trimmed.length < question.minLength) {
    const needed = question.minLength <= 1 ? 'Please write an answer' : `Please write at least ${question.minLength} characters`;
    return { ok: false, message: `${needed} (yours has ${trimmed.length}).` };
  }
  if (trimmed.length > question.maxLength) {
    return { ok: false, message: `Please keep it to ${question.maxLength} characters (yours has ${trimmed.length}).` };
  }
  return { ok: true, value: { kind: 'text', text: trimmed } };
}

/** Where a sentence that starts with the answer ("Yes, we log everything") has its answer end. */
const LEAD_END = /[,;:.!\n—–]|\s-\s/;

function parseSingle(question: Question, text: string): ParseResult {
  const whole = resolveOption(question, text, true);
  if (whole.kind === 'found') return chosen([whole.option.id]);
  const lead = text.split(LEAD_END)[0] ?? '';
  if (lead.trim() !== '' && lead !== text && !/^\s*\d+[.,]\d/.test(text)) {
    const leading = resolveOption(question, lead, false);
    if (leading.kind === 'found') return chosen([leading.option.id]);
  }
  return { ok: false, message: `${problem(whole, text)}. ${validAnswersText(question)}` };
}

const LIST_SEPARATOR = /(\s*[,;\n&]\s*|\s+and\s+)/i;
/** More items than any option list has is not an answer; the bound keeps a pasted essay cheap to refuse. */
const MAX_LIST_ITEMS = 60;
/** The most list items one label may span ("Spend money, make purchases and pay invoices"). */
const MAX_LABEL_PIECES = 6;

function parseMulti(question: Question, text: string): ParseResult {
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
    else problems.push(problem(single, pieces[i]!));
  }
  if (problems.length > 0) return { ok: false, message: `${problems.join('; ')}. ${validAnswersText(question)}` };
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
  const alone = options.length > 1 ? options.find((option) => option.exclusive) : undefined;
  if (alone) {
    const number = question.options.indexOf(alone) + 1;
    return { ok: false, message: `${number}. “${alone.label}” rules out the other answers: choose it on its own, or leave it out.` };
  }
  return chosen(options.map((option) => option.id));
}

function chosen(optionIds: string[]): ParseResult {
  return { ok: true, value: { kind: 'options', optionIds } };
}
