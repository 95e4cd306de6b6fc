/**
 * A reply's text as the parser reads it: normalised for matching, its
 * length as typed, its words (and whether they say anything), where its
 * clauses end, and the emoji after its last word. Plain text work, shared by
 * answer-parse.ts and option-words.ts.
 */

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

/** The words of a reply or label: letters and digits only, apostrophes dropped ("can't" → "cant"). */
export function wordsOf(text: string): string[] {
  return text
    .replace(/'/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * Words that, on their own, say nothing about what a written question asks:
 * assent ("yes", "ok", "sure"), refusal ("no", "nope"), not knowing ("idk",
 * "no idea", "I don't know", "not sure", "n/a") and filler ("hmm", "thanks").
 * Some are common words only because those phrases are made of them ("n/a",
 * "not at all", "of course", "thank you"): a reply of nothing else says
 * nothing either. Not "none" or "nothing": to "What metric…?" they say
 * there is none, which is worth recording.
 */
const NO_ANSWER_WORDS: ReadonlySet<string> = new Set(
  (
    'y ye yes yeah yep yup yea ya yah aye ok okay okey k kk sure fine agree agreed correct right true indeed absolutely definitely certainly alright ' +
    'n no nope nah nay not never ' +
    'i do dont know idea idk dunno unsure unknown maybe perhaps possibly probably a na applicable tbd tbc tba yet really at all of course ' +
    'hmm hm um umm uh er erm lol haha thanks thank you thx ty please pls'
  ).split(' '),
);

/**
 * What a written reply says in words: `filler` when every word is one of
 * NO_ANSWER_WORDS ("Yes!", "ok 👍", "N/A", "I don't know"), `no_words` when
 * it has none at all (emoji, `:+1:`, punctuation), else `words`.
 */
export function replyWords(text: string): 'words' | 'filler' | 'no_words' {
  const words = replyWordList(text);
  if (words.length === 0) return 'no_words';
  return words.every((word) => NO_ANSWER_WORDS.has(word)) ? 'filler' : 'words';
}

function replyWordList(text: string): string[] {
  return wordsOf(normalizeReply(text.replace(EMOJI_CODE, ' ').replace(/&(?:amp|lt|gt);/g, ' ')));
}

/** Words and phrases (as wordsOf spells them) of not knowing, or not knowing yet: "idk", "n/a", "TBD", "no idea". */
const NOT_KNOWN_WORDS: ReadonlySet<string> = new Set(['idk', 'dunno', 'unsure', 'unknown', 'tbd', 'tbc', 'tba', 'na', 'applicable']);
const NOT_KNOWN_PHRASE = / (?:n a|not sure|not yet|dont know|do not know|no idea) /;

/**
 * Whether a reply says only that the person does not know (yet): "idk",
 * "N/A", "TBD", "no idea", "not sure yet". Such a reply is no answer, but the
 * person may well answer later: a refusal of it offers `skip` (of an edit,
 * leaving the earlier answer; see answer-parse.ts).
 */
export function saysNotKnown(text: string): boolean {
  const words = replyWordList(text);
  if (words.length === 0 || !words.every((word) => NO_ANSWER_WORDS.has(word))) return false;
  return words.some((word) => NOT_KNOWN_WORDS.has(word)) || NOT_KNOWN_PHRASE.test(` ${words.join(' ')} `);
}

/** Where a sentence that starts with the answer ("Yes, we log everything") has its answer end. */
const LEAD_ENDS = /[,;:.!\n—–]|\s-\s/g;
/** Emoji as Slack sends them (`:+1:`): their colons end nothing, and on their own after an answer they add nothing to keep. */
export const EMOJI_CODE = /:[a-z0-9_+'-]+:/gi;

/** The text with each emoji's colons hidden, at the same positions, so only real punctuation splits it. */
export function withoutEmojiColons(text: string): string {
  return text.replace(EMOJI_CODE, (code) => 'x'.repeat(code.length));
}

/** Where each clause of a reply ends (`index`) and the next begins (`next`), the text's end last. */
export function* clauseEnds(text: string): Generator<{ index: number; next: number }> {
  for (const end of withoutEmojiColons(text).matchAll(LEAD_ENDS)) yield { index: end.index, next: end.index + end[0].length };
  yield { index: text.length, next: text.length };
}
/** One emoji at the end of a reply (`:+1:` as Slack sends it, or the character), looked for in a short tail only. */
const LAST_EMOJI = /(?::[a-z0-9_+'-]+:|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f)\s*$/iu;
const EMOJI_TAIL = 100;
/** More trailing emoji than this are left alone (and refused as they are): a reply is not a wall of emoji. */
const MAX_TRAILING_EMOJI = 20;

/** The reply without emoji after its last word ("2 👍", "1, 3 :tada:"); as it is when it has none, or nothing else. */
export function withoutTrailingEmoji(text: string): string {
  let cut = text.trimEnd();
  for (let count = 0; count < MAX_TRAILING_EMOJI; count++) {
    const emoji = LAST_EMOJI.exec(cut.slice(-EMOJI_TAIL));
    if (!emoji) return count === 0 || cut.trim() === '' ? text : cut;
    cut = cut.slice(0, cut.length - emoji[0].length).trimEnd();
  }
  return text;
}
