import { describe, expect, it } from 'vitest';
import { MAX_DETAIL_LENGTH, parseChosenOptions, parseReply, typedLength, type ParseResult } from '../../src/engine/answer-parse.js';
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
      message: '"perhaps later" is not one of the answers. The answers are:\n1. Yes\n2. No\n3. Not sure\nReply with a number, or words from one answer.',
    });
    expect(chosen(parseReply(approval, '4'))).toBe('invalid: There is no answer 4. The answers are:\n1. Yes\n2. No\n3. Not sure\nReply with a number, or words from one answer.');
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
      'invalid: "m" could be 2. “Minor” or 3. “Moderate”. The answers are:\n1. Trivial\n2. Minor\n3. Moderate\n4. Serious\n5. Severe\nReply with a number, or words from one answer.',
    );
    expect(chosen(parseReply(severity, 'se'))).toMatch(/^invalid: "se" could be 4\. “Serious” or 5\. “Severe”\./);
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
  const hint =
    "The answers are:\n1. No — it only suggests or drafts; a person acts\n2. Yes, but a person approves each action first\n3. Yes, on its own — and every action can be undone\n4. Yes, on its own — and some actions can't be undone\nReply with a number, or words from one answer.";

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
      `invalid: "a person" could be 1. “No — it only suggests or drafts; a person acts” or 2. “Yes, but a person approves each action first”. ${hint}`,
    );
    expect(chosen(parseReply(acts, 'on its own'))).toMatch(/^invalid: "on its own" could be 3\. “Yes, on its own — and every action can be undone” or 4\. “Yes, on its own — and some actions can't be undone”\./);
  });

  it('need the label’s words in its order; a refusal says a number or words from an answer will do', () => {
    expect(parseReply(acts, 'action each approves').ok).toBe(false);
    expect(parseReply(acts, 'a person approves every action').ok).toBe(false);
    expect(chosen(parseReply(acts, 'teleports'))).toBe(`invalid: "teleports" is not one of the answers. ${hint}`);
    // One word that only one label has is that answer (see "one distinctive word" below); one that two labels have is neither.
    expect(chosen(parseReply(acts, 'approves'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'undone'))).toMatch(/^invalid: "undone" could be 3\. “Yes, on its own — and every action can be undone” or 4\. “Yes, on its own — and some actions can't be undone”\./);
  });

  it('come after numbers, exact labels and prefixes, which work as before', () => {
    expect(chosen(parseReply(acts, '2'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'Yes, but a person approves each action first'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'yes, but'))).toEqual(['approved']);
    expect(chosen(parseReply(acts, 'yes'))).toMatch(/^invalid: "yes" could be 2\. “Yes, but a person approves each action first” or 3\. “Yes, on its own — and every action can be undone” or 4\. “Yes, on its own — and some actions can't be undone”\./);
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
      'invalid: "teleports" is not one of the answers. The answers are:\n1. Only suggests or drafts\n2. Sends messages or emails\n3. Spends money and makes purchases\n4. Runs code\nReply with one or more numbers, or words from the answers, separated by commas.',
    );
    expect(chosen(parseReply(actions, '2, 9'))).toMatch(/^invalid: There is no answer 9\./);
    expect(parseReply(actions, 'none').ok).toBe(false);
    expect(parseReply(actions, ' , ').ok).toBe(false);
  });

  it('accept "none" when an option is called that', () => {
    const withNone: Question = { ...actions, options: [...actions.options, { id: 'nothing', label: 'None', aliases: [], signals: [], impact: 0 }] };
    expect(chosen(parseReply(withNone, 'none'))).toEqual(['nothing']);
  });

  it('refuse two answers that rule each other out, typed or ticked, naming both', () => {
    const options = actions.options.map((option) => (option.id === actions.options[0]!.id ? { ...option, excludes: ['code'] } : option));
    const onlyDrafts: Question = { ...actions, options };
    const refusal = `invalid: 1. “${actions.options[0]!.label}” cannot go with 4. “Runs code”: choose the one that holds.`;
    expect(chosen(parseReply(onlyDrafts, '1, 4'))).toBe(refusal);
    expect(chosen(parseChosenOptions(onlyDrafts, [actions.options[0]!.id, 'code']))).toBe(refusal);
    expect(chosen(parseReply(onlyDrafts, '1, 2'))).toEqual([actions.options[0]!.id, 'messages']);
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
    // Too short, the question's example shows what an answer looks like; without one, only the length is said.
    expect(parseReply(question('system'), '   ')).toEqual({ ok: false, message: 'Please write an answer (yours has 0). For example: "It drafts replies to support tickets."' });
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
    // One answer a line, numbered: labels have commas of their own. A sentence comes last, so text added after it (a refused edit's "The earlier answer stands.") does not read as part of the last answer.
    expect(validAnswersText(approval)).toBe('The answers are:\n1. Yes\n2. No\n3. Not sure\nReply with a number, or words from one answer.');
    expect(validAnswersText(actions)).toMatch(/^The answers are:\n1\. Only suggests or drafts\n2\. Sends messages or emails\n.*\nReply with one or more numbers, or words from the answers, separated by commas\.$/s);
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

  it('refuse a long run of spaces at once, and read no more than the start of a long reply for its answer', () => {
    // The list separator tried every start of the run: about five seconds for this one.
    const started = performance.now();
    expect(parseReply(actions, `${' '.repeat(39_999)}x`).ok).toBe(false);
    expect(parseReply(approval, `yes ${'on its own, '.repeat(3000)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/^Please keep what you write after the answer to 3000 characters/) });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

/** The answer and what was kept after it, or the refusal. */
function read(result: ParseResult): { ids: string[]; detail?: string } | string {
  if (!result.ok) return `invalid: ${result.message}`;
  if (result.value.kind !== 'options') return `not options: ${result.value.kind}`;
  return result.value.detail === undefined ? { ids: result.value.optionIds } : { ids: result.value.optionIds, detail: result.value.detail };
}

// The questions of the product walk-through, as the shipped flows ask them.
const walk = flowFrom(`
id: walk
version: 1
title: Walk-through
description: Replies people typed in the product walk-through.
questions:
  - id: explains
    kind: yesno
    prompt: Does it tell people why it decided as it did?
  - id: answerable
    kind: yesno
    prompt: Is a named person or team answerable for what the agent does?
  - id: human_approval
    kind: yesno
    prompt: Does a person approve each action before it takes effect?
  - id: value_policy
    kind: choice
    prompt: When those values conflict, which one wins — and is that written down?
    options:
      - { id: written, label: "A written policy says which wins, with examples" }
      - { id: informal, label: "We agree informally, but it isn't written down" }
      - { id: case_by_case, label: "Whoever is around decides case by case" }
      - { id: undecided, label: "We haven't decided" }
  - id: acts
    kind: choice
    prompt: Can it act on its own — send messages, change records, run code?
    options:
      - { id: suggests, label: "No — it only suggests or drafts; a person acts" }
      - { id: approved, label: "Yes, but a person approves each action first" }
      - { id: undoable, label: "Yes, on its own — and every action can be undone" }
      - { id: unchecked, label: "Yes, on its own — and some actions can't be undone" }
  - id: release_checks
    kind: choice
    prompt: What happens before a release?
    options:
      - { id: reviewed, label: "Every release is reviewed by the owner" }
      - { id: unchecked, label: "Nothing is checked" }
  - id: why
    kind: text
    prompt: Why does it matter?
    min_length: 10
  - id: story
    kind: text
    prompt: Tell the whole story.
`);
const walkQuestion = (id: string): Question => walk.questions.find((candidate) => candidate.id === id)!;
const explains = walkQuestion('explains');
const answerable = walkQuestion('answerable');
const humanApproval = walkQuestion('human_approval');
const valuePolicy = walkQuestion('value_policy');
const walkActs = walkQuestion('acts');
const releaseChecks = walkQuestion('release_checks');

describe('a reply that goes on after its answer', () => {
  it.each([
    // The walk-through's replies, recorded as a bare "Yes" before.
    { question: explains, text: 'yes - it shows the top 4 reason codes and a confidence band', ids: ['yes'], detail: 'it shows the top 4 reason codes and a confidence band' },
    { question: answerable, text: 'Yes — the credit risk lead; the head of retail lending answers for outcomes', ids: ['yes'], detail: 'the credit risk lead; the head of retail lending answers for outcomes' },
    // Refused before: "not really" is no, and a yes/no word needs no punctuation after it.
    { question: humanApproval, text: 'Not really — it just sends it', ids: ['no'], detail: 'it just sends it' },
    { question: humanApproval, text: 'not really it just sends it', ids: ['no'], detail: 'it just sends it' },
    { question: humanApproval, text: 'yes on its own, every action can be undone', ids: ['yes'], detail: 'on its own, every action can be undone' },
    { question: humanApproval, text: 'no idea really', ids: ['not_sure'], detail: 'really' },
    { question: humanApproval, text: 'Yes :+1: for refunds over $50', ids: ['yes'], detail: ':+1: for refunds over $50' },
    { question: humanApproval, text: 'Yes — it shipped last week :tada:', ids: ['yes'], detail: 'it shipped last week :tada:' },
    { question: approval, text: 'Yes, every action over $50', ids: ['yes'], detail: 'every action over $50' },
    { question: approval, text: 'No - it only drafts', ids: ['no'], detail: 'it only drafts' },
    { question: approval, text: 'Not sure, ask ops', ids: ['not_sure'], detail: 'ask ops' },
    { question: tested, text: '2, on last year’s tickets', ids: ['basic'], detail: 'on last year’s tickets' },
    { question: severity, text: '4 - it handles refunds', ids: ['4'], detail: 'it handles refunds' },
    { question: valuePolicy, text: 'informally, but we plan to write it down', ids: ['informal'], detail: 'but we plan to write it down' },
    { question: walkActs, text: 'a person approves each action, except refunds under $5', ids: ['approved'], detail: 'except refunds under $5' },
  ])('$text keeps what follows the answer', ({ question, text, ids, detail }) => {
    expect(read(parseReply(question, text))).toEqual({ ids, detail });
  });

  it('has no detail when nothing but the answer, emoji or punctuation was written', () => {
    for (const text of ['yes 👍', 'yes :+1:', 'Yes!! :tada:', 'Yes.', 'not really', 'Yes, yes', 'yes, ']) {
      expect(read(parseReply(humanApproval, text)), text).toEqual({ ids: text.startsWith('not') ? ['no'] : ['yes'] });
    }
    expect(read(parseReply(walkActs, 'a person approves each action'))).toEqual({ ids: ['approved'] });
    expect(read(parseReply(tested, '2 👍'))).toEqual({ ids: ['basic'] });
    expect(read(parseReply(tested, '2 :white_check_mark: :tada:'))).toEqual({ ids: ['basic'] });
    // Emoji alone are no answer.
    expect(parseReply(tested, ':tada: 👍').ok).toBe(false);
  });

  it('reads clauses that together point at one answer, the rest being the detail', () => {
    // "yes on its own" is 3 or 4; "every action can be undone" only 3.
    expect(read(parseReply(walkActs, 'yes on its own, every action can be undone'))).toEqual({ ids: ['undoable'] });
    expect(read(parseReply(walkActs, "yes, on its own, some actions can't be undone — the refunds"))).toEqual({ ids: ['unchecked'], detail: 'the refunds' });
  });

  it('still refuses replies that are ambiguous or do not start with an answer', () => {
    const hint = 'The answers are:\n1. Yes\n2. No\n3. Not sure\nReply with a number, or words from one answer.';
    // "No" that starts a phrase: "no one checks it" may mean yes, "no more than ten" that there are limits.
    expect(read(parseReply(humanApproval, 'no one checks it'))).toBe(`invalid: "no one checks it" is not one of the answers. ${hint}`);
    expect(parseReply(humanApproval, 'no more than ten a day').ok).toBe(false);
    expect(parseReply(humanApproval, 'no doubt about it').ok).toBe(false);
    expect(parseReply(humanApproval, 'yes and no').ok).toBe(false);
    expect(parseReply(humanApproval, 'n of them do').ok).toBe(false);
    expect(read(parseReply(humanApproval, 'Yes, no'))).toBe(`invalid: "Yes, no" could be 1. “Yes” or 2. “No”. ${hint}`);
    expect(read(parseReply(tested, '2, 3'))).toMatch(/^invalid: "2, 3" could be \d\. “A test set” or \d\. “Adversarial evaluation”\./);
    expect(read(parseReply(walkActs, 'a person, but only for refunds'))).toMatch(
      /^invalid: "a person, but only for refunds" could be 1\. “No — it only suggests or drafts; a person acts” or 2\. “Yes, but a person approves each action first”\./,
    );
    // Clauses that point at different answers: all of them are named.
    expect(read(parseReply(walkActs, 'on its own, a person approves each action first'))).toMatch(
      /^invalid: "on its own, a person approves each acti…" could be 2\. “Yes, but a person approves each action first” or 3\. “Yes, on its own — and every action can be undone” or 4\. “Yes, on its own — and some actions can't be undone”\./,
    );
    expect(parseReply(humanApproval, 'perhaps later').ok).toBe(false);
    expect(parseReply(severity, '2.5 at most').ok).toBe(false);
  });

  it('keeps the detail as Slack delivered it, up to a length counted as typed', () => {
    expect(read(parseReply(approval, 'Yes — R&amp;D signs off &lt;weekly&gt;'))).toEqual({ ids: ['yes'], detail: 'R&amp;D signs off &lt;weekly&gt;' });
    const typedInFull = `Yes — ${'&amp;'.repeat(MAX_DETAIL_LENGTH)}`;
    expect(read(parseReply(approval, typedInFull))).toEqual({ ids: ['yes'], detail: '&amp;'.repeat(MAX_DETAIL_LENGTH) });
    expect(read(parseReply(approval, `Yes — ${'x'.repeat(MAX_DETAIL_LENGTH + 1)}`))).toBe(
      `invalid: Please keep what you write after the answer to ${MAX_DETAIL_LENGTH} characters (yours has ${MAX_DETAIL_LENGTH + 1}).`,
    );
  });

  it('keeps an explanation after a whole list of answers, set apart by a colon or dash', () => {
    expect(read(parseReply(actions, '2, 4 — it emails customers and runs SQL'))).toEqual({ ids: ['messages', 'code'], detail: 'it emails customers and runs SQL' });
    expect(read(parseReply(actions, 'runs code: only in staging'))).toEqual({ ids: ['code'], detail: 'only in staging' });
    // Not when what follows is itself a list of answers, or the list before it is not whole.
    expect(parseReply(actions, '2, 4 - 3').ok).toBe(false);
    expect(read(parseReply(actions, '2, teleports — really'))).toMatch(/^invalid: "teleports — really" is not one of the answers\./);
    expect(read(parseReply(actions, '2, 4'))).toEqual({ ids: ['messages', 'code'] });
    expect(read(parseReply(actions, '2, 4 :+1:'))).toEqual({ ids: ['messages', 'code'] });
    expect(read(parseReply(actions, '2, 4 — :+1:'))).toEqual({ ids: ['messages', 'code'] });
  });
});

describe('one distinctive word', () => {
  it('chooses the one answer that has the word, in any of its forms', () => {
    // Refused in the walk-through: only answer 2's label has it.
    expect(read(parseReply(valuePolicy, 'informally'))).toEqual({ ids: ['informal'] });
    expect(read(parseReply(valuePolicy, 'Informally.'))).toEqual({ ids: ['informal'] });
    expect(read(parseReply(valuePolicy, 'just informally'))).toEqual({ ids: ['informal'] });
    expect(read(parseReply(walkActs, 'drafts'))).toEqual({ ids: ['suggests'] });
    expect(read(parseReply(releaseChecks, 'reviewed'))).toEqual({ ids: ['reviewed'] });
  });

  it('refuses a word that is in two answers, negated, short, common or the question’s own', () => {
    // "decided" is in "decides case by case" and in "haven't decided".
    expect(read(parseReply(valuePolicy, 'decided'))).toMatch(/^invalid: "decided" could be \d\. “Whoever is around decides case by case” or \d\. “We haven't decided”\./);
    expect(read(parseReply(valuePolicy, 'not informally'))).toMatch(/^invalid: "not informally" is not one of the answers\./);
    // Only "Nothing is checked" has it, and it means the opposite there; as "sure" does in "Not sure".
    expect(read(parseReply(releaseChecks, 'checked'))).toMatch(/^invalid: "checked" is not one of the answers\./);
    expect(read(parseReply(humanApproval, 'sure'))).toMatch(/^invalid: "sure" is not one of the answers\./);
    expect(parseReply(valuePolicy, 'also').ok).toBe(false);
    expect(parseReply(walkActs, 'acts').ok).toBe(false);
    expect(parseReply(valuePolicy, 'way').ok).toBe(false);
  });
});

describe('the length of a written answer', () => {
  const why = walkQuestion('why');
  const story = walkQuestion('story');

  it('counts the characters as typed, not as Slack escapes them', () => {
    expect(typedLength('&lt;&lt;&gt;&gt;&amp;')).toBe(5);
    // "&lt;" typed arrives as "&amp;lt;": four characters.
    expect(typedLength('&amp;lt;')).toBe(4);
    // "<<R&D>>" arrives as 22 characters and passed a 10-character minimum.
    expect(parseReply(why, '&lt;&lt;R&amp;D&gt;&gt;')).toEqual({ ok: false, message: 'Please write at least 10 characters (yours has 7).' });
    // 3,400 characters typed, 62 of them "&": told 3462 before.
    const typed = `${'R&D '.repeat(62)}${'x'.repeat(3400 - 62 * 4)}`;
    const delivered = typed.replace(/&/g, '&amp;');
    expect(parseReply(story, delivered)).toEqual({ ok: false, message: 'Please keep it to 3000 characters (yours has 3400).' });
  });

  it('accepts a reply whose typed length fits, and stores it as Slack delivered it', () => {
    const delivered = 'Fair &amp; fast &lt;always&gt;';
    expect(parseReply(why, delivered)).toEqual({ ok: true, value: { kind: 'text', text: delivered } });
    const longButFits = 'A&amp;B '.repeat(750);
    expect(typedLength(longButFits.trim())).toBe(2999);
    expect(parseReply(story, longButFits)).toEqual({ ok: true, value: { kind: 'text', text: longButFits.trim() } });
  });
});

describe('how an answer with a detail reads', () => {
  const base = { by: 'U1', at: '2025-01-01T00:00:00.000Z' };
  it('gives the answer, then what was written after it', () => {
    expect(describeAnswer(approval, { questionId: 'approval', value: { kind: 'options', optionIds: ['yes'], detail: 'the credit risk lead' }, ...base })).toBe(
      'Yes — the credit risk lead',
    );
    expect(describeAnswer(actions, { questionId: 'actions', value: { kind: 'options', optionIds: ['messages', 'code'], detail: 'staging only' }, ...base })).toBe(
      'Sends messages or emails, Runs code — staging only',
    );
    // A state stored before details existed reads as before.
    expect(describeAnswer(approval, JSON.parse(JSON.stringify({ questionId: 'approval', value: { kind: 'options', optionIds: ['no'] }, ...base })))).toBe('No');
  });
});
