/**
 * The few words that steer a review instead of answering it. Only a message
 * that is exactly one of them counts (so "skip the cache" stays an answer).
 */
export type ReviewWord = 'skip' | 'back' | 'status' | 'pause' | 'resume' | 'cancel' | 'finish' | 'help';

const WORDS: ReadonlySet<string> = new Set<ReviewWord>(['skip', 'back', 'status', 'pause', 'resume', 'cancel', 'finish', 'help']);

/** The whole trimmed message, any case, with an optional leading "!" or trailing "." ("!skip", "Back."). */
export function interpretWord(text: string): ReviewWord | null {
  const word = text.trim().toLowerCase().replace(/^!/, '').replace(/\.$/, '');
  return WORDS.has(word) ? (word as ReviewWord) : null;
}
