import { describe, expect, it } from 'vitest';
import { conditionHolds, type AnswerLookup } from '../../src/engine/conditions.js';
import { applicableQuestions } from '../../src/engine/questions.js';
import type { AnswerValue } from '../../src/engine/types.js';
import { Driver, flowFrom } from './helpers.js';

const answers: Record<string, AnswerValue> = {
  kind: { kind: 'options', optionIds: ['b'] },
  tags: { kind: 'options', optionIds: ['x', 'y'] },
  single: { kind: 'options', optionIds: ['x'] },
  note: { kind: 'text', text: 'hello' },
  skipped: { kind: 'skipped' },
};
const lookup: AnswerLookup = (id) => answers[id];

describe('conditionHolds', () => {
  it('equals: the one option chosen', () => {
    expect(conditionHolds({ question: 'kind', equals: 'b' }, lookup)).toBe(true);
    expect(conditionHolds({ question: 'kind', equals: 'a' }, lookup)).toBe(false);
    // On a multi answer, equals means exactly that option.
    expect(conditionHolds({ question: 'tags', equals: 'x' }, lookup)).toBe(false);
    expect(conditionHolds({ question: 'single', equals: 'x' }, lookup)).toBe(true);
  });

  it('includes: among the options chosen', () => {
    expect(conditionHolds({ question: 'tags', includes: 'y' }, lookup)).toBe(true);
    expect(conditionHolds({ question: 'tags', includes: 'z' }, lookup)).toBe(false);
  });

  it('any_of: at least one of them chosen', () => {
    expect(conditionHolds({ question: 'tags', any_of: ['z', 'y'] }, lookup)).toBe(true);
    expect(conditionHolds({ question: 'kind', any_of: ['a', 'c'] }, lookup)).toBe(false);
  });

  it('answered: true needs a non-skipped answer; false holds for a skip', () => {
    expect(conditionHolds({ question: 'note', answered: true }, lookup)).toBe(true);
    expect(conditionHolds({ question: 'skipped', answered: true }, lookup)).toBe(false);
    expect(conditionHolds({ question: 'skipped', answered: false }, lookup)).toBe(true);
    expect(conditionHolds({ question: 'note', answered: false }, lookup)).toBe(false);
  });

  it('a leaf about a question with no answer is false, and not of it is true', () => {
    expect(conditionHolds({ question: 'missing', answered: true }, lookup)).toBe(false);
    expect(conditionHolds({ question: 'missing', answered: false }, lookup)).toBe(false);
    expect(conditionHolds({ question: 'missing', equals: 'a' }, lookup)).toBe(false);
    expect(conditionHolds({ not: { question: 'missing', equals: 'a' } }, lookup)).toBe(true);
    expect(conditionHolds({ question: 'skipped', includes: 'a' }, lookup)).toBe(false);
  });

  it('all, any and not combine, at any depth', () => {
    const yes = { question: 'kind', equals: 'b' };
    const no = { question: 'kind', equals: 'a' };
    expect(conditionHolds({ all: [yes, yes] }, lookup)).toBe(true);
    expect(conditionHolds({ all: [yes, no] }, lookup)).toBe(false);
    expect(conditionHolds({ any: [no, yes] }, lookup)).toBe(true);
    expect(conditionHolds({ any: [no, no] }, lookup)).toBe(false);
    expect(conditionHolds({ not: { any: [no, { all: [yes, { not: no }] }] } }, lookup)).toBe(false);
  });
});

describe('which questions apply', () => {
  const flow = flowFrom(`
id: branching
version: 1
title: Branching
description: Conditions over earlier answers.
questions:
  - { id: kind, kind: choice, prompt: Kind?, options: [{ id: a, label: Alpha }, { id: b, label: Beta }] }
  - { id: only-a, kind: text, prompt: About alpha?, when: { question: kind, equals: a } }
  - { id: after-only-a, kind: text, prompt: Follow-up to alpha?, when: { question: only-a, answered: true } }
  - { id: not-after-only-a, kind: text, prompt: Asked unless alpha was described, when: { not: { question: only-a, answered: true } } }
  - { id: last, kind: text, prompt: Anything else? }
`);

  it('follow the branch taken, in flow order', () => {
    const alpha = new Driver(flow);
    alpha.replies('alpha', 'details', 'more');
    expect(alpha.current).toBe('last');
    expect(applicableQuestions(flow, alpha.state).map((q) => q.id)).toEqual(['kind', 'only-a', 'after-only-a', 'last']);

    const beta = new Driver(flow);
    beta.reply('beta');
    // A condition on a question that does not apply is false, and `not` of it true.
    expect(beta.current).toBe('not-after-only-a');
    expect(applicableQuestions(flow, beta.state).map((q) => q.id)).toEqual(['kind', 'not-after-only-a', 'last']);
  });
});
