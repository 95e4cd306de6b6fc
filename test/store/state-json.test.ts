import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReviewState } from '../../src/engine/types.js';
import { stateJson } from '../../src/store/state-json.js';
import { answered, makeState } from './fixtures.js';

const sameValue = (state: unknown) => JSON.parse(JSON.stringify(state)) as unknown;

describe('stateJson', () => {
  it('gives JSON of the same value as JSON.stringify, step after step, as answers are added and replaced', () => {
    let state = makeState();
    for (let i = 0; i < 30; i++) {
      state = answered(state, `q${i % 12}`, `Answer ${i} “quoted”, with \\ and \n and ${'é'.repeat(i % 3)}`, `q${i + 1}`);
      expect(JSON.parse(stateJson(state))).toEqual(sameValue(state));
    }
  });

  it('leaves out what JSON.stringify leaves out and keeps nulls and optional fields as they are', () => {
    const state = makeState({
      finishedAt: undefined,
      currentQuestionId: null,
      answers: { a: { questionId: 'a', value: { kind: 'skipped' }, by: 'U1', at: 'now' }, gone: undefined } as unknown as ReviewState['answers'],
    });
    expect(JSON.parse(stateJson(state))).toEqual(sameValue(state));
    expect(stateJson(makeState({ history: [] }))).toContain('"history":[]');
  });

  it('matches JSON.stringify for any answers and history it is given', () => {
    const text = fc.string({ unit: 'grapheme-composite', maxLength: 40 });
    const answer = fc.record({ questionId: fc.string(), value: fc.record({ kind: fc.constant('text'), text }), by: fc.string(), at: fc.string() });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), answer), fc.array(fc.record({ at: fc.string(), by: fc.string(), action: fc.constant('answer') })), (answers, history) => {
        const state = makeState({ answers: answers as ReviewState['answers'], history: history as ReviewState['history'] });
        expect(JSON.parse(stateJson(state))).toEqual(sameValue(state));
        // Again, from the pieces written the first time (each checked against a fresh JSON.stringify under test).
        expect(JSON.parse(stateJson({ ...state, status: 'paused' }))).toEqual(sameValue({ ...state, status: 'paused' }));
      }),
    );
  });

  it('under test, refuses an answer changed in place after it was written, instead of storing its old JSON', () => {
    expect(process.env.NODE_ENV).toBe('test');
    const state = answered(makeState(), 'goal', 'Fewer repeat contacts', 'metric');
    stateJson(state);
    (state.answers.goal as { by: string }).by = 'U999';
    expect(() => stateJson(state)).toThrow(/changed in place/);
  });
});
