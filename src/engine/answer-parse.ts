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
 */
import { NO, NOT_SURE, YES, type AnswerValue, type Option, type Question } from './types.js';
import { optionConflict } from './option-rules.js';
import { validAnswersText } from './answer-text.js';

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

/**
 * How long a reply is as the person typed it: Slack delivers `&`, `<` and `>`
 * as `&amp;`, `&lt;` and `&gt;`, which must not count as five or four
 * characters each. The text itself is stored as Slack delivered it.
 */
export function typedLength(text: string): number {
  return text.replace(/&(?:amp|lt|gt);/g, '&').length;
}

/** The most a person may write after an option's answer, as for the longest written answer. */
export const MAX_DETAIL_LENGTH = 3000;

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
    const option = yesNoOption(question, wanted);
    if (option) return { kind: 'found', option };
  }
  if (!allowPrefix) return { kind: 'none' };
  const byPrefix = options.filter((option) =>
    [option.id, option.label, ...option.aliases].some((name) => normalizeReply(name).startsWith(wanted)),
  );
  if (byPrefix.length === 1) return { kind: 'found', option: byPrefix[0]! };
  if (byPrefix.length > 1) return { kind: 'ambiguous', options: byPrefix };
  return byWords(question, wanted);
}

function yesNoOption(question: Question, phrase: string): Option | undefined {
  const id = YESNO_WORDS.get(phrase);
  return id === undefined ? undefined : question.options.find((candidate) => candidate.id === id);
}

/** A reply read by its words alone: a run of a label's words, else one distinctive word. */
function byWords(question: Question, wanted: string): Resolution {
  const inARow = optionsWithWords(question.options, wanted);
  if (inARow.length === 1) return { kind: 'found', option: inARow[0]! };
  if (inARow.length > 1) return { kind: 'ambiguous', options: inARow };
  return optionWithWord(question, wanted);
}

/**
 * A reply matched by a run of its words needs at least two words and this
 * many letters; a single word goes by the stricter rule of optionWithWord.
 * Short replies are covered by numbers, prefixes and the yes/no words.
 */
const MIN_WORDS = 2;
const MIN_WORDS_LETTERS = 6;
/** A reply word this long may be the start of a label's word ("approve" for "approves"). */
const MIN_PARTIAL_WORD = 4;
/** A word that picks an answer on its own has at least this many letters. */
const MIN_WORD_LETTERS = 4;
/** Two words are forms of one when they share this many first letters, and all but the last two of the shorter. */
const MIN_STEM = 4;

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

/** Words that say nothing about which answer is meant; a one-word reply may come with them ("just informally"). */
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but so if of to in on at by for as is it its im we us our ours you your they them their i me my he she his her ' +
    'this that these those with from into onto about than then just only also very really quite mostly mainly partly rather ' +
    'be am are was were been being do does did done have has had will would could should shall may might must can ' +
    'some any each every all both either other such more most less much many few yes yeah yep well like perhaps maybe probably ' +
    'sure think guess say says said thing things what which who whom whose whoever when where why how there here still even ever always often sometimes ' +
    'first last next once again before after over under along around across within upon ' +
    'take takes make makes made look read real right wrong someone something anyone anything everyone everything including'
  ).split(' '),
);

/** Words that turn the words after them into their opposite: "not sure", "nothing protects it", "haven't decided". */
const NEGATIONS: ReadonlySet<string> = new Set(
  (
    'no not never nothing none nobody neither nor without cannot cant wont isnt arent wasnt werent dont doesnt didnt ' +
    'havent hasnt hadnt shouldnt couldnt wouldnt aint'
  ).split(' '),
);

/** Whether two words are forms of one: "informal" and "informally", "protects" and "protected". */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return common >= MIN_STEM && common >= Math.min(a.length, b.length) - 2;
}

/** Looser, for the question's own words: "act" in the prompt and "acts" in a reply are one word too. */
function sameWord(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return sameStem(a, b) || (shorter.length >= 3 && longer.startsWith(shorter));
}

/** Where a label's clauses end: a negation reaches to the end of its clause ("We agree informally, but it isn't written down"). */
const CLAUSE_END = /[,;:.!?()—–]|\s-\s/;

/** Whether `name` has `word` (in some form) with no negation before it in its clause. */
function hasPlainly(name: string, word: string): boolean {
  return normalizeReply(name)
    .split(CLAUSE_END)
    .some((clause) => {
      const words = wordsOf(clause);
      return words.some((nameWord, i) => sameStem(nameWord, word) && !words.slice(0, i).some((before) => NEGATIONS.has(before)));
    });
}

/**
 * The option a reply of one meaningful word stands for ("informally" for
 * "We agree informally, but it isn't written down"): the word, in any of its
 * forms, is in that option's names and in no other option's. A word too
 * short, a word every label could have ("also"), a word of the question
 * itself ("acts" for "Can it act on its own?", which says yes to the
 * question rather than choosing "a person acts"), a negated reply ("not
 * informally"), or a label that negates the word ("protected" in "not sure
 * how well it's protected") picks nothing: the word could stand for its
 * opposite there.
 */
function optionWithWord(question: Question, wanted: string): Resolution {
  const words = wordsOf(wanted);
  if (words.some((word) => NEGATIONS.has(word))) return { kind: 'none' };
  const meaningful = words.filter((word) => !STOPWORDS.has(word));
  const word = meaningful[0];
  if (meaningful.length !== 1 || word === undefined || word.length < MIN_WORD_LETTERS || !/\p{L}/u.test(word)) return { kind: 'none' };
  if (wordsOf(normalizeReply(question.prompt)).some((promptWord) => sameWord(promptWord, word))) return { kind: 'none' };
  const options = question.options;
  const namesOf = (option: Option) => [option.id, option.label, ...option.aliases];
  const having = options.filter((option) => namesOf(option).some((name) => wordsOf(normalizeReply(name)).some((nameWord) => sameStem(nameWord, word))));
  if (having.length > 1) return { kind: 'ambiguous', options: having };
  const option = having[0];
  return option && namesOf(option).some((name) => hasPlainly(name, word)) ? { kind: 'found', option } : { kind: 'none' };
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
      return emojiAside(text, (reply) => parseMulti(question, reply));
    default:
      return emojiAside(text, (reply) => parseSingle(question, reply));
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

function parseText(question: Question, text: string): ParseResult {
  const trimmed = text.trim();
  const length = typedLength(trimmed);
  if (length < question.minLength) {
    const needed = question.minLength <= 1 ? 'Please write an answer' : `Please write at least ${question.minLength} characters`;
    return { ok: false, message: `${needed} (yours has ${length}).` };
  }
  if (length > question.maxLength) {
    return { ok: false, message: `Please keep it to ${question.maxLength} characters (yours has ${length}).` };
  }
  return { ok: true, value: { kind: 'text', text: trimmed } };
}

/** Where a sentence that starts with the answer ("Yes, we log everything") has its answer end. */
const LEAD_ENDS = /[,;:.!\n—–]|\s-\s/g;
/** Emoji as Slack sends them (`:+1:`): their colons end nothing, and on their own after an answer they add nothing to keep. */
const EMOJI_CODE = /:[a-z0-9_+'-]+:/gi;

/** The text with each emoji's colons hidden, at the same positions, so only real punctuation splits it. */
function withoutEmojiColons(text: string): string {
  return text.replace(EMOJI_CODE, (code) => 'x'.repeat(code.length));
}

/** Where each clause of a reply ends (`index`) and the next begins (`next`), the text's end last. */
function* clauseEnds(text: string): Generator<{ index: number; next: number }> {
  for (const end of withoutEmojiColons(text).matchAll(LEAD_ENDS)) yield { index: end.index, next: end.index + end[0].length };
  yield { index: text.length, next: text.length };
}
/** One emoji at the end of a reply (`:+1:` as Slack sends it, or the character), looked for in a short tail only. */
const LAST_EMOJI = /(?::[a-z0-9_+'-]+:|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f)\s*$/iu;
const EMOJI_TAIL = 100;
/** More trailing emoji than this are left alone (and refused as they are): a reply is not a wall of emoji. */
const MAX_TRAILING_EMOJI = 20;

/** The reply without emoji after its last word ("2 👍", "1, 3 :tada:"); as it is when it has none, or nothing else. */
function withoutTrailingEmoji(text: string): string {
  let cut = text.trimEnd();
  for (let count = 0; count < MAX_TRAILING_EMOJI; count++) {
    const emoji = LAST_EMOJI.exec(cut.slice(-EMOJI_TAIL));
    if (!emoji) return count === 0 || cut.trim() === '' ? text : cut;
    cut = cut.slice(0, cut.length - emoji[0].length).trimEnd();
  }
  return text;
}

/** A decimal ("2.5") is not "2, then something". */
const DECIMAL = /^\s*\d+[.,]\d/;

/** An answer found at the start of a reply, and what follows it (`rest`: the detail, before clean-up). */
type Led = { kind: 'found'; option: Option; rest: string } | { kind: 'ambiguous'; options: Option[] } | { kind: 'none' };

function parseSingle(question: Question, text: string): ParseResult {
  const whole = resolveOption(question, text, true);
  if (whole.kind === 'found') return chosen([whole.option.id]);
  const led = ledAnswer(question, text);
  if (led.kind === 'found') return withDetail([led.option.id], led.rest);
  // "Could be A or B" helps more than "not one of the answers" when the reply's start narrowed it to a few.
  const refusal = whole.kind === 'none' && led.kind === 'ambiguous' ? led : whole;
  return { ok: false, message: `${problem(refusal, text)}. ${validAnswersText(question)}` };
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
  for (const end of clauseEnds(text)) {
    const clause = text.slice(start, end.index);
    if (clause.trim() !== '') {
      if (read++ === MAX_ANSWER_CLAUSES) break;
      const matched = candidatesOf(candidates === undefined ? resolveOption(question, clause, true) : byWords(question, normalizeReply(clause)));
      if (matched.length === 0) break;
      const both: Option[] = candidates === undefined ? matched : candidates.filter((option) => matched.includes(option));
      if (both.length === 0) return { kind: 'ambiguous', options: question.options.filter((option) => candidates!.includes(option) || matched.includes(option)) };
      candidates = both;
    }
    start = end.next;
  }
  if (candidates === undefined) return { kind: 'none' };
  return candidates.length === 1 ? { kind: 'found', option: candidates[0]!, rest: text.slice(start) } : { kind: 'ambiguous', options: candidates };
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
function parseMulti(question: Question, text: string): ParseResult {
  const whole = parseList(question, text);
  if (whole.ok) return whole;
  const end = LIST_END.exec(withoutEmojiColons(text));
  if (!end) return whole;
  const head = parseList(question, text.slice(0, end.index));
  const rest = text.slice(end.index + end[0].length);
  if (!head.ok || head.value.kind !== 'options' || parseList(question, rest).ok) return whole;
  return withDetail(head.value.optionIds, rest);
}

function parseList(question: Question, reply: string): ParseResult {
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
  const conflict = optionConflict(options);
  const numbered = (option: Option) => `${question.options.indexOf(option) + 1}. “${option.label}”`;
  if (conflict?.kind === 'alone') return { ok: false, message: `${numbered(conflict.option)} rules out the other answers: choose it on its own, or leave it out.` };
  if (conflict) return { ok: false, message: `${numbered(conflict.first)} cannot go with ${numbered(conflict.second)}: choose the one that holds.` };
  return chosen(options.map((option) => option.id));
}

function chosen(optionIds: string[]): ParseResult {
  return { ok: true, value: { kind: 'options', optionIds } };
}
