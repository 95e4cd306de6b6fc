/**
 * Natural replies made of words from one answer ("lost money we can put
 * right") pick that answer; replies whose words fit two answers equally, come
 * in another order, or turn a word round are still asked again.
 */
import { describe, expect, it } from 'vitest';
import { parseReply, type ParseResult } from '../../src/engine/answer-parse.js';
import type { Question } from '../../src/engine/types.js';
import { flowFrom } from './helpers.js';

// The agent-autonomy review's questions 7 and 8 and the quick check's question 4, as the shipped flows ask them.
const flow = flowFrom(`
id: natural
version: 1
title: Natural replies
description: Replies in people's own words.
questions:
  - id: ambiguity
    kind: choice
    prompt: When a task is ambiguous or missing context, what does the agent do?
    options:
      - { id: asks, label: "Stops and asks a person before acting" }
      - { id: assumes_logged, label: "Acts on its best guess and records what it assumed" }
      - { id: acts, label: "Picks an interpretation and acts" }
  - id: misread
    kind: choice
    prompt: If the agent misreads its goal and acts on it with those tools, what is the worst realistic result?
    options:
      - { id: wasted_effort, label: "Wasted effort — a run we discard" }
      - { id: fixable, label: "Lost money or bad data that we can put right" }
      - { id: harms_people, label: "Harm to customers or staff — wrong messages, exposed data, denied service" }
      - { id: irreversible, label: "Serious harm that can't be undone, or harm at scale" }
  - id: acts
    kind: choice
    prompt: Can it act on its own — send messages, change records, run code, spend money, trigger other systems?
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
  - id: value_policy
    kind: choice
    prompt: When those values conflict, which one wins — and is that written down?
    options:
      - { id: written, label: "A written policy says which wins, with examples" }
      - { id: informal, label: "We agree informally, but it isn't written down" }
      - { id: case_by_case, label: "Whoever is around decides case by case" }
      - { id: undecided, label: "We haven't decided" }
  - id: actions
    kind: multi
    prompt: What can it do?
    options:
      - { id: messages, label: "Sends messages or emails" }
      - { id: money, label: "Spends money or makes purchases" }
`);
const q = (id: string): Question => flow.questions.find((question) => question.id === id)!;

function read(result: ParseResult): { ids: string[]; detail?: string } | string {
  if (!result.ok) return `invalid: ${result.message}`;
  if (result.value.kind !== 'options') return `not options: ${result.value.kind}`;
  return result.value.detail === undefined ? { ids: result.value.optionIds } : { ids: result.value.optionIds, detail: result.value.detail };
}

describe('a reply made of words from one answer', () => {
  it.each([
    // The tester's replies, refused before.
    { id: 'misread', text: 'lost money we can put right', ids: ['fixable'] },
    { id: 'misread', text: 'we could lose money on bad orders but can put it right', ids: ['fixable'], detail: 'we could lose money on bad orders but can put it right' },
    { id: 'ambiguity', text: 'it acts on its best guess and writes down what it assumed', ids: ['assumes_logged'], detail: 'it acts on its best guess and writes down what it assumed' },
    { id: 'acts', text: "yes, on its own and some can't be undone", ids: ['unchecked'] },
    { id: 'acts', text: 'yes, on its own and some cant be undone', ids: ['unchecked'] },
    // More of the same kind.
    { id: 'acts', text: 'yes on its own and every action can be undone', ids: ['undoable'] },
    { id: 'misread', text: 'serious harm, at scale', ids: ['irreversible'] },
    { id: 'misread', text: 'customers get wrong messages', ids: ['harms_people'], detail: 'customers get wrong messages' },
    { id: 'misread', text: 'harm to staff, exposed data', ids: ['harms_people'] },
    { id: 'ambiguity', text: 'it stops and asks a person', ids: ['asks'] },
    // What follows a loosely read answer after punctuation is its detail too.
    { id: 'misread', text: 'lost money we can put right — refunds', ids: ['fixable'], detail: 'refunds' },
  ])('"$text" is answer $ids', ({ id, text, ids, detail }) => {
    expect(read(parseReply(q(id), text))).toEqual(detail === undefined ? { ids } : { ids, detail });
  });
});

describe('a reply that fits no one answer better than another is asked again', () => {
  it.each([
    // Words of two answers: "harm" of 3 and 4, "undone" of 4 only, "staff" of 3 only.
    { id: 'misread', text: "harm to staff that can't be undone" },
    { id: 'misread', text: 'we lost money and sent customers wrong messages' },
    // Turned round by a negation: "can't put it right" is not "can put right".
    { id: 'misread', text: "lost money we can't put right" },
    { id: 'acts', text: 'not every action can be undone on its own' },
    { id: 'value_policy', text: "we don't agree informally" },
    // Says yes to the question rather than choosing "a person acts".
    { id: 'acts', text: 'it acts on its own' },
    { id: 'acts', text: 'yes it acts' },
    // The label's words out of order, or with a word from another answer.
    { id: 'acts', text: 'action each approves' },
    { id: 'acts', text: 'a person approves every action' },
    { id: 'acts', text: 'yes it only suggests drafts' },
    { id: 'ambiguity', text: 'it guesses and asks a person' },
    { id: 'release_checks', text: 'every release is checked by the owner' },
    // Only the question's own words, or only one word that says anything.
    { id: 'acts', text: 'it can send messages on its own' },
    { id: 'misread', text: 'we lose money' },
  ])('"$text"', ({ id, text }) => {
    expect(parseReply(q(id), text).ok).toBe(false);
  });

  it('still names both answers when the reply fits two', () => {
    expect(read(parseReply(q('acts'), 'yes, on its own'))).toMatch(/^invalid: "yes, on its own" could be 3\. .* or 4\. /);
    const twoAlike = flowFrom(`
id: alike
version: 1
title: Alike
description: Two answers with the same words.
questions:
  - id: loss
    kind: choice
    prompt: What could go wrong?
    options:
      - { id: money, label: "Lost money that we can put right" }
      - { id: data, label: "Lost data that we can put right" }
      - { id: none, label: "Nothing much" }
`).questions[0]!;
    expect(read(parseReply(twoAlike, 'we lost some but can put it right'))).toMatch(/^invalid: "we lost some but can put it right" could be 1\. .* or 2\. /);
    expect(read(parseReply(twoAlike, 'we lost data but can put it right'))).toEqual({ ids: ['data'] });
  });

  it('is not read loosely in a list of answers', () => {
    expect(parseReply(q('actions'), 'it sends customers emails').ok).toBe(false);
  });

  it('stays cheap on a long reply', () => {
    const long = `lost money ${'we can put it right and '.repeat(400)}`;
    const started = performance.now();
    for (let i = 0; i < 50; i++) parseReply(q('misread'), long);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
