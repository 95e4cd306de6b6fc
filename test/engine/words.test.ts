import { describe, expect, it } from 'vitest';
import { interpretWord } from '../../src/engine/words.js';

describe('interpretWord', () => {
  it.each([
    ['skip', 'skip'],
    ['Skip', 'skip'],
    ['  BACK  ', 'back'],
    ['!pause', 'pause'],
    ['resume.', 'resume'],
    ['!Cancel.', 'cancel'],
    ['finish', 'finish'],
    ['status', 'status'],
    ['help', 'help'],
  ])('%j is %s', (text, word) => {
    expect(interpretWord(text)).toBe(word);
  });

  it.each(['skip it', 'go back', 'help me decide', 'skipping', '', '!!skip', 'skip..', 'Yes'])('%j is an answer, not a word', (text) => {
    expect(interpretWord(text)).toBeNull();
  });
});
