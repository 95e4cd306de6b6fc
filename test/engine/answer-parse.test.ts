import { describe, expect, it } from 'vitest';
import { parseChosenOptions, parseReply, type ParseResult } from '../../src/engine/answer-parse.js';
import { describeAnswer, validAnswersText } from '../../src/engine/answer-text.js';
import type { Question } from '../../src/engine/types.js';
import { flowFrom, loadFixture } from './helpers.js';

const flow = loadFixture('mini.yaml');
const question = (id: string): Question => flow.questions.find((candidate) => candidate.id === id)!;
const approval = question('approval');
const tested = question('tested');
const actions = question('actions');
const severity = question('severity');
const goal = question('goal');

function chosen(result: ParseResult): string[] | string {
  if (!result.ok) return `invalid: ${result.message}`;
  return result.value.kind === 'options' ? result.value.optionIds : `not options: ${result.value.kind}`;
}

describe('yes/no replies', () => {
  it.each([
    ['1', 'yes'],
    ['2', 'no'],
    ['3', 'not_sure'],
    ['yes', 'yes'],
    ['Y', 'yes'],
    ['YES', 'yes'],
    ['yep', 'yes'],
    ['Yes.', 'yes'],
    ['*yes*', 'yes'],
    ['n', 'no'],
    ['nope', 'no'],
    ['No', 'no'],
    ['not sure', 'not_sure'],
    ['Not Sure', 'not_sure'],
    ['unsure', 'not_sure'],
    ["don't know", 'not_sure'],
    ['Don’t know', 'not_sure'],
    ['?', 'not_sure'],
    ['not_sure', 'not_sure'],
    ['Yes, every action over $50', 'yes'],
    ['No - it only drafts', 'no'],
    ['Not sure, ask ops', 'not_sure'],
  ])('%j → %s', (text, id) => {
    expect(chosen(parseReply(approval, text))).toEqual([id]);
  });

  it('refuses anything else and lists the valid answers', () => {
    const result = parseReply(approval, 'perhaps later');
    expect(result).toEqual({
      ok: false,
      message: '"perhaps later" is not one of the answers. Reply with a number, or words from one answer: 1. Yes, 2. No, 3. Not sure',
    });
    expect(chosen(parseReply(approval, '4'))).toBe('invalid: There is no answer 4. Reply with a number, or words from one answer: 1. Yes, 2. No, 3. Not sure');
    expect(parseReply(approval, '').ok).toBe(false);
    // "no idea" is not sure, never "no".
    expect(chosen(parseReply(approval, 'no idea'))).toEqual(['not_sure']);
  });
});

describe('choice and scale replies', () => {
  it('accept the number, id, label, alias or an unambiguous prefix, in any case', () => {
    expect(chosen(parseReply(tested, '3'))).toEqual(['adversarial']);
    expect(chosen(parseReply(tested, 'basic'))).toEqual(['basic']);
    expect(chosen(parseReply(tested, 'A test set'))).toEqual(['basic']);
    expect(chosen(parseReply(tested, 'red team'))).toEqual(['adversarial']);
    expect(chosen(parseReply(tested, 'RED TEAM'))).toEqual(['adversarial']);
    expect(chosen(parseReply(tested, 'only'))).toEqual(['demo']);
    expect(chosen(parseReply(tested, 'adv'))).toEqual(['adversarial']);
    expect(chosen(parseReply(severity, 'sev'))).toEqual(['5']);
    expect(chosen(parseReply(severity, '4'))).toEqual(['4']);
    expect(chosen(parseReply(severity, 'mod'))).toEqual(['3']);
  });

  it('say which answers an ambiguous prefix could be', () => {
    expect(chosen(parseReply(severity, 'm'))).toBe(
      'invalid: "m" could be Minor or Moderate. Reply with a number, or words from one answer: 1. Trivial, 2. Minor, 3. Moderate, 4. Serious, 5. Severe',
    );
    expect(chosen(parseReply(severity, 'se'))).toMatch(/^invalid: "se" could be Serious or Severe\./);
  });

  it('take a leading number or exact name before an explanation', () => {
    expect(chosen(parseReply(tested, '2, on last year’s tickets'))).toEqual(['basic']);
    expect(chosen(parseReply(severity, '4 - it handles refunds'))).toEqual(['4']);
    // A decimal is not "2 then something".
    expect(parseReply(severity, '2.5').ok).toBe(false);
  });
});

describe('replies in words from one answer', () => {
  // The quick check's labels: long enough that people type the part they remember.
  const acts = flowFrom(`
id: words
version: 1
title: Words
description: Replies in words from an answer.
questions:
  - id: acts
    kind: choice
    prompt: Can it act on its own?
    options:
      - { id: suggests, label: "No — it only suggests or drafts; a person acts" }
      - { id: approved, label: "Yes, but a person approves each action first" }
      - { id: undoable, label: "Yes, on its own — and every action can be undone" }
      - { id: unchecked, label: "Yes, on its own — and some actions can't be undone" }
`).questions[0]!;
  const hint = 'Reply with a number, or words from one answer: 1. No — it only suggests or drafts; a person acts, 2. Yes, but a person approves each action first, 3. Yes, on its own — and every action can be undone, 4. Yes, on its own — and some actions can\'t be undone';

  it('choose the one answer whose label has them in a row, in any case and punctuation', () => {
    expect(chosen(parseReply(acts, 'a person approves each action'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'A PERSON approves each action!'))).toEqual(['approved']);
    // A word of four letters or more may be the start of the label's word.
    expect(chosen(parseReply(acts, 'approve each action'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'every action can be undone'))).toEqual(['undoable']);
    expect(chosen(parseReply(acts, 'cant be undone'))).toEqual(['unchecked']);
    expect(chosen(parseReply(acts, 'it only suggests'))).toEqual(['suggests']);
  });

  it('list the answers when several labels have them', () => {
    expect(chosen(parseReply(acts, 'a person'))).toBe(
      `invalid: "a person" could be No — it only suggests or drafts; a person acts or Yes, but a person approves each action first. ${hint}`,
    );
    expect(chosen(parseReply(acts, 'on its own'))).toMatch(/^invalid: "on its own" could be Yes, on its own — and every action can be undone or Yes, on its own — and some actions can't be undone\./);
  });

  it('need two words or more, in the label’s order; a refusal says a number or words from an answer will do', () => {
    // One word too easily stands for its opposite elsewhere ("protected" in "not sure how well it's protected").
    expect(chosen(parseReply(acts, 'approves'))).toBe(`invalid: "approves" is not one of the answers. ${hint}`);
    expect(parseReply(acts, 'action each approves').ok).toBe(false);
    expect(parseReply(acts, 'a person approves every action').ok).toBe(false);
  });

  it('come after numbers, exact labels and prefixes, which work as before', () => {
    expect(chosen(parseReply(acts, '2'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'Yes, but a person approves each action first'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'yes, but'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'yes'))).toMatch(/^invalid: "yes" could be Yes, but a person approves each action first or Yes, on its own — and every action can be undone or Yes, on its own — and some actions can't be undone\./);
    expect(chosen(parseReply(approval, 'Not sure, ask ops'))).toEqual(['not_sure']);
  });

  it('work for each item of a list', () => {
    expect(chosen(parseReply(actions, 'messages or emails; makes purchases'))).toEqual(['messages', 'money']);
  });
});

describe('multi replies', () => {
  it('read lists separated by commas, semicolons, "and", "&" or new lines', () => {
    expect(chosen(parseReply(actions, '2, 4'))).toEqual(['messages', 'code']);
    expect(chosen(parseReply(actions, '2 4'))).toEqual(['messages', 'code']);
    expect(chosen(parseReply(actions, 'email; runs code'))).toEqual(['messages', 'code']);
    expect(chosen(parseReply(actions, 'runs code and sends'))).toEqual(['messages', 'code']);
    expect(chosen(parseReply(actions, 'code\nmessages'))).toEqual(['messages', 'code']);
    expect(chosen(parseReply(actions, 'code & 2'))).toEqual(['messages', 'code']);
  });

  it('keep a label that itself contains "and" whole', () => {
    expect(chosen(parseReply(actions, 'Spends money and makes purchases, runs code'))).toEqual(['money', 'code']);
  });

  it('fold duplicates and keep the options’ order', () => {
    expect(chosen(parseReply(actions, '4, 2, runs code, 4'))).toEqual(['messages', 'code']);
  });

  it('refuse a list with any item that is not an answer, naming it', () => {
    expect(chosen(parseReply(actions, '2, teleports'))).toBe(
      'invalid: "teleports" is not one of the answers. Reply with one or more numbers, or words from the answers, separated by commas: 1. Only suggests or drafts, 2. Sends messages or emails, 3. Spends money and makes purchases, 4. Runs code',
    );
    expect(chosen(parseReply(actions, '2, 9'))).toMatch(/^invalid: There is no answer 9\./);
    expect(parseReply(actions, 'none').ok).toBe(false);
    expect(parseReply(actions, ' , ').ok).toBe(false);
  });

  it('accept "none" when an option is called that', () => {
    const withNone: Question = { ...actions, options: [...actions.options, { id: 'nothing', label: 'None', aliases: [], signals: [], impact: 0 }] };
    expect(chosen(parseReply(withNone, 'none'))).toEqual(['nothing']);
  });

  it('refuse an answer that rules out the others ("None") chosen with them, typed or ticked', () => {
    const withNone: Question = { ...actions, options: [...actions.options, { id: 'nothing', label: 'None of these', aliases: [], signals: [], impact: 0, exclusive: true }] };
    const refusal = 'invalid: 5. “None of these” rules out the other answers: choose it on its own, or leave it out.';
    expect(chosen(parseReply(withNone, '2, 5'))).toBe(refusal);
    expect(chosen(parseReply(withNone, 'none of these and runs code'))).toBe(refusal);
    expect(chosen(parseChosenOptions(withNone, ['messages', 'nothing']))).toBe(refusal);
    expect(chosen(parseReply(withNone, '5'))).toEqual(['nothing']);
    expect(chosen(parseChosenOptions(withNone, ['nothing']))).toEqual(['nothing']);
    expect(chosen(parseReply(withNone, '2, 4'))).toEqual(['messages', 'code']);
  });
});

describe('text replies', () => {
  it('are trimmed and must fit the length limits', () => {
    expect(parseReply(goal, '  Fast, correct answers  ')).toEqual({ ok: true, value: { kind: 'text', text: 'Fast, correct answers' } });
    expect(parseReply(goal, 'abc')).toEqual({ ok: false, message: 'Please write at least 5 characters (yours has 3).' });
    expect(parseReply(goal, 'x'.repeat(201))).toEqual({ ok: false, message: 'Please keep it to 200 characters (yours has 201).' });
    expect(parseReply(question('system'), '   ')).toEqual({ ok: false, message: 'Please write an answer (yours has 0).' });
  });
});

describe('buttons and checkboxes', () => {
  it('take option ids, one for single answers and at least one for multi', () => {
    expect(chosen(parseChosenOptions(tested, ['basic']))).toEqual(['basic']);
    expect(chosen(parseChosenOptions(actions, ['code', 'messages', 'code']))).toEqual(['messages', 'code']);
    expect(parseChosenOptions(tested, ['basic', 'demo'])).toMatchObject({ ok: false });
    expect(parseChosenOptions(actions, [])).toMatchObject({ ok: false });
    expect(parseChosenOptions(goal, ['x'])).toEqual({ ok: false, message: 'This question takes a written answer.' });
  });

  it('call unknown option ids stale', () => {
    expect(parseChosenOptions(tested, ['ghost'])).toMatchObject({ ok: false, stale: true });
  });
});

describe('how answers read', () => {
  it('describes each kind of answer', () => {
    const base = { by: 'U1', at: '2025-01-01T00:00:00.000Z' };
    expect(describeAnswer(approval, { questionId: 'approval', value: { kind: 'options', optionIds: ['yes'] }, ...base })).toBe('Yes');
    expect(describeAnswer(actions, { questionId: 'actions', value: { kind: 'options', optionIds: ['money', 'messages'] }, ...base })).toBe(
      'Spends money and makes purchases, Sends messages or emails',
    );
    expect(describeAnswer(goal, { questionId: 'goal', value: { kind: 'skipped' }, ...base })).toBe('(skipped)');
    expect(describeAnswer(goal, { questionId: 'goal', value: { kind: 'text', text: 'Quick help' }, ...base })).toBe('Quick help');
    expect(describeAnswer(goal, undefined)).toBe('(unanswered)');
  });

  it('lists the valid answers for each kind', () => {
    expect(validAnswersText(approval)).toBe('Reply with a number, or words from one answer: 1. Yes, 2. No, 3. Not sure');
    expect(validAnswersText(actions)).toMatch(/^Reply with one or more numbers, or words from the answers, separated by commas: 1\. Only suggests/);
    expect(validAnswersText(goal)).toBe('Reply in your own words (5–200 characters).');
    expect(validAnswersText(question('system'))).toBe('Reply in your own words.');
  });
});

describe('long replies', () => {
  it('refuse a list with more items than any option list has, before parsing the items', () => {
    const essay = Array.from({ length: 5000 }, (_, i) => `item ${i}`).join(', ');
    expect(parseReply(actions, essay)).toMatchObject({ ok: false, message: expect.stringMatching(/^That is more items than there are answers\./) });
    expect(parseReply(actions, Array.from({ length: 40 }, () => 'runs code').join(', '))).toEqual({ ok: true, value: { kind: 'options', optionIds: ['code'] } });
  });
});
