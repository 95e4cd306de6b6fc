/** A question whose answers would be cut on their buttons also lists them in full, numbered, within Block Kit's limits. */
import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load.js';
import { questionMessage } from '../../src/slack/blocks/question.js';
import { LIMITS } from '../../src/slack/blocks/text.js';
import type { Question } from '../../src/engine/types.js';
import { flowFrom } from '../engine/helpers.js';

const POSITION = { number: 8, total: { fewest: 11, most: 16 } };

function sectionsOf(question: Question): string[] {
  return questionMessage('R1', question, POSITION)
    .blocks.filter((block) => block.type === 'section')
    .map((block) => (block as { text: { text: string } }).text.text);
}

const LONG = 'Harm to customers or staff — wrong messages, exposed data, denied service';

const flow = flowFrom(`
id: long-labels
version: 1
title: Long labels
description: Answers too long for a button.
questions:
  - id: misread
    kind: choice
    prompt: What is the worst realistic result?
    options:
      - { id: wasted_effort, label: "Wasted effort — a run we discard" }
      - { id: fixable, label: "Lost money or bad data that we can put right" }
      - { id: harms_people, label: "${LONG}" }
      - { id: irreversible, label: "Serious harm that can't be undone, or harm at scale" }
  - id: short
    kind: choice
    prompt: Which?
    options:
      - { id: a, label: "Yes" }
      - { id: b, label: "No" }
  - id: many
    kind: multi
    prompt: Which apply?
    options:
      - { id: one, label: "A long answer about what the agent may do to records and files, on its own" }
      - { id: two, label: "Runs code" }
`);
const q = (id: string) => flow.questions.find((question) => question.id === id)!;

describe('a question with an answer too long for its button', () => {
  it('lists every answer in full, numbered as on the buttons, after the question', () => {
    const message = questionMessage('R1', q('misread'), POSITION);
    const buttons = JSON.stringify(message.blocks.find((block) => block.type === 'actions'));
    // The button is cut, as Slack requires…
    expect(buttons).toContain('3. Harm to customers or staff — wrong messages, exposed data, denied servi…');
    // …and the message has the answer in full.
    expect(sectionsOf(q('misread'))[1]).toBe(
      "1. Wasted effort — a run we discard\n2. Lost money or bad data that we can put right\n3. Harm to customers or staff — wrong messages, exposed data, denied service\n4. Serious harm that can't be undone, or harm at scale",
    );
    expect(message.blocks[0]!.type).toBe('section');
  });

  it('does the same for checkboxes', () => {
    expect(sectionsOf(q('many'))[1]).toBe('1. A long answer about what the agent may do to records and files, on its own\n2. Runs code');
  });

  it('adds nothing when every answer fits its button', () => {
    expect(sectionsOf(q('short'))).toHaveLength(1);
  });

  it('keeps within Block Kit’s limits however long and many the answers', () => {
    // Labels are at most 75 characters (flow-schema), so only many of them could fill a section.
    const options = Array.from({ length: 60 }, (_, i) => `      - { id: o${i}, label: "${`Answer ${i} ${'word '.repeat(20)}`.slice(0, 75).trim()}" }`).join('\n');
    const huge = flowFrom(`
id: huge
version: 1
title: Huge
description: Many long answers.
questions:
  - id: q
    kind: choice
    prompt: Which?
    options:
${options}
`).questions[0]!;
    const message = questionMessage('R1', huge, POSITION);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    for (const block of message.blocks) if (block.type === 'section') expect((block as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    const listed = message.blocks.filter((block) => block.type === 'section').slice(1).map((block) => (block as { text: { text: string } }).text.text).join('\n');
    expect(listed.split('\n')).toHaveLength(60);
    expect(listed).toContain(`60. ${`Answer 59 ${'word '.repeat(20)}`.slice(0, 75).trim()}`);
  });

  it('shows the shipped agent review’s worst-harm question’s answers in full', () => {
    const { flows } = loadFlows({ builtinDir: 'flows' });
    const misread = flows.get('agent-autonomy')!.questions.find((question) => question.id === 'misread')!;
    const cut = misread.options.filter((option, index) => `${index + 1}. ${option.label}`.length > LIMITS.buttonText);
    expect(cut.length).toBeGreaterThan(0);
    const text = JSON.stringify(questionMessage('R1', misread, POSITION).blocks.filter((block) => block.type === 'section'));
    for (const option of cut) expect(text).toContain(JSON.stringify(option.label).slice(1, -1));
  });
});
