/**
 * Which option a reply names by its words alone, when it is neither a
 * number, a name nor a prefix of one: a run of words that only one option's
 * names have ("a person approves each action"), or one distinctive word that
 * only one option has ("informally").
 */
import type { Option, Question } from './types.js';
import { normalizeReply, wordsOf } from './reply-text.js';

/** How a reply token resolved to an option of the question. */
export type Resolution =
  /** `saysMore`: the reply has words of its own beside the answer's (see optionByLooseWords), kept with it as its detail. */
  | { kind: 'found'; option: Option; saysMore?: true }
  | { kind: 'none' }
  | { kind: 'out_of_range'; number: number }
  | { kind: 'ambiguous'; options: Option[] };

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

/**
 * The options one of whose names (label, alias or id) has the reply's words
 * in a row, ignoring case and punctuation: people type the part of a long
 * label they remember ("a person approves each action" for "Yes, but a
 * person approves each action first"). In a row, not scattered, so "not
 * protected" cannot pick "not sure how well it's protected".
 */
export function optionsWithWords(options: readonly Option[], wanted: string): Option[] {
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
export function optionWithWord(question: Question, wanted: string): Resolution {
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

/**
 * Words that tie a sentence together in any answer's label ("a", "the",
 * "on", "we"): a reply may have them where its answer does not without
 * pointing anywhere else. Quantities ("every", "some", "only") are not
 * among them: they are what tells "every action can be undone" from "some".
 */
const FILLER: ReadonlySet<string> = new Set(
  'a an the and or but to of in on at by for as is are was it its be been we our us they them their this that these those with from so'.split(' '),
);

/** A loosely read reply has at most this many words: a longer one is an explanation, not an answer, and reading it stays cheap. */
const MAX_LOOSE_WORDS = 24;
/** Words of the answer's label a loosely read reply must have, other than stopwords. */
const MIN_LOOSE_MATCHES = 2;

/** A word of a reply or a label, and whether a negation before it in its clause turns it round ("can't be undone"). */
interface Token {
  word: string;
  negated: boolean;
}

function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  for (const clause of normalizeReply(text).split(CLAUSE_END)) {
    let negated = false;
    for (const word of wordsOf(clause)) {
      if (NEGATIONS.has(word)) negated = true;
      else tokens.push({ word, negated });
    }
  }
  return tokens;
}

/**
 * Whether `reply` reads as the name `name`: the words they share (filler
 * aside) come in the name's order, none with its sense turned round by a
 * negation on one side only, and every other word of the reply is in no
 * other answer (`elsewhere`).
 * Returns the words shared, or undefined when it does not read so.
 */
function sharedInOrder(reply: readonly Token[], name: readonly Token[], elsewhere: (word: string) => boolean): Token[] | undefined {
  const shared: Token[] = [];
  let last = -1;
  for (const token of reply) {
    // Filler says nothing, and matched greedily it could skip past the words that do.
    if (FILLER.has(token.word)) continue;
    const at = name.findIndex((nameToken, i) => i > last && sameStem(nameToken.word, token.word));
    if (at >= 0 && name[at]!.negated === token.negated) {
      shared.push(token);
      last = at;
      continue;
    }
    // Out of order, turned round, or a word that belongs to another answer: this name is not what the reply says.
    if (at >= 0 || name.some((nameToken) => sameStem(nameToken.word, token.word)) || elsewhere(token.word)) return undefined;
  }
  return shared;
}

/**
 * The one answer a natural reply is made from when it is not a run of one
 * label's words: "lost money we can put right" for "Lost money or bad data
 * that we can put right", "yes, on its own and some can't be undone". The
 * reply's words that are in the label come in its order, at least
 * MIN_LOOSE_MATCHES of them say something (not stopwords) and one of those
 * is not the question's own; no word of the reply is in another answer
 * unless it is in this one too, or is negated here and not there. Two
 * answers that fit equally are ambiguous, never guessed between. Only for
 * single answers: a list of answers is read item by item.
 */
export function optionByLooseWords(question: Question, wanted: string): Resolution {
  if (question.kind === 'multi') return { kind: 'none' };
  const reply = tokensOf(wanted);
  if (reply.length < MIN_LOOSE_MATCHES || reply.length > MAX_LOOSE_WORDS) return { kind: 'none' };
  const names = question.options.map((option) => [option.label, ...option.aliases].map(tokensOf));
  const promptWords = wordsOf(normalizeReply(question.prompt));
  const fitting: { option: Option; saysMore: boolean }[] = [];
  question.options.forEach((option, index) => {
    const elsewhere = (word: string) => names.some((other, j) => j !== index && other.some((name) => name.some((token) => sameStem(token.word, word))));
    for (const name of names[index]!) {
      const shared = sharedInOrder(reply, name, elsewhere);
      const meaningful = shared?.filter((token) => !STOPWORDS.has(token.word)) ?? [];
      if (meaningful.length < MIN_LOOSE_MATCHES || meaningful.every((token) => promptWords.some((word) => sameWord(word, token.word)))) continue;
      const saysMore = reply.some((token) => !STOPWORDS.has(token.word) && !shared!.includes(token));
      fitting.push({ option, saysMore });
      return;
    }
  });
  if (fitting.length > 1) return { kind: 'ambiguous', options: fitting.map(({ option }) => option) };
  const [only] = fitting;
  if (!only) return { kind: 'none' };
  return only.saysMore ? { kind: 'found', option: only.option, saysMore: true } : { kind: 'found', option: only.option };
}
