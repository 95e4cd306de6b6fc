/**
 * Word matching for the offline library: lower-cased word tokens with a light
 * stemmer, so "hires", "hiring" and "hired" meet "hire". The stemmer only has
 * to be consistent (both sides go through it), not linguistically right.
 */

/** Splits text into lower-case word tokens; apostrophes are dropped so "customer's" stays one word. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

const UNDOUBLED = new Set(['l', 's', 'z']);

function undouble(stem: string): string {
  const last = stem.at(-1);
  if (stem.length > 3 && last !== undefined && last === stem.at(-2) && !UNDOUBLED.has(last) && !/[aeiou]/.test(last)) {
    return stem.slice(0, -1);
  }
  return stem;
}

/** Strips plural, -ing, -ed and a final -e. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && /(s|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);

  if (w.length >= 6 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length >= 5 && w.endsWith('ed')) w = undouble(w.slice(0, -2));

  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

export function stems(text: string): string[] {
  return words(text).map(stem);
}

/** True when `phrase` (already stemmed) occurs as consecutive whole words in `text` (already stemmed). */
export function containsPhrase(text: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0 || phrase.length > text.length) return false;
  for (let start = 0; start + phrase.length <= text.length; start++) {
    if (phrase.every((word, offset) => text[start + offset] === word)) return true;
  }
  return false;
}

/**
 * `text` (already stemmed) with every occurrence of the phrases (already stemmed) blanked out.
 * No word stems to "", so nothing matches inside a blanked phrase or joins words across it.
 */
export function withoutPhrases(text: readonly string[], phrases: readonly (readonly string[])[]): string[] {
  const kept = [...text];
  for (const phrase of phrases) {
    for (let start = 0; start + phrase.length <= text.length; start++) {
      if (phrase.every((word, offset) => text[start + offset] === word)) kept.fill('', start, start + phrase.length);
    }
  }
  return kept;
}
