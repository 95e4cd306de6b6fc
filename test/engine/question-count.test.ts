import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { questionCountNow, questionCountRange, questionCountText, totalText, type QuestionCountRange } from '../../src/engine/question-count.js';
import { optionConflict } from '../../src/engine/option-rules.js';
import { applicableQuestions, currentQuestion } from '../../src/engine/questions.js';
import { loadFlows } from '../../src/flows/load.js';
import { Driver, flowFrom } from './helpers.js';

const HEAD = `
id: test
version: 1
title: Test
description: A test flow.
summary: { human_goal: goal, proxy_metrics: [goal] }
questions:
  - { id: goal, kind: text, prompt: What do people want? }
`;

describe('how many questions a flow asks', () => {
  it('counts branches that exclude each other once: the most is not every question', () => {
    const flow = flowFrom(`${HEAD}
  - { id: acts, kind: yesno, prompt: Does it act? }
  - { id: approval, kind: yesno, prompt: Approval?, when: { question: acts, equals: "yes" } }
  - { id: why_not, kind: text, prompt: Why not?, when: { question: acts, equals: "no" } }
`);
    // Skipped "acts" asks neither follow-up; yes or no asks one of them.
    expect(questionCountRange(flow)).toEqual({ fewest: 2, most: 3 });
  });

  it('follows `not`, `all` and chains of branches', () => {
    const flow = flowFrom(`${HEAD}
  - { id: acts, kind: yesno, prompt: Does it act? }
  - { id: approval, kind: yesno, prompt: Approval?, when: { question: acts, equals: "yes" } }
  - { id: rollback, kind: yesno, prompt: Rollback?, when: { question: approval, equals: "no" } }
  - { id: unchecked, kind: text, prompt: What checks it?, when: { all: [{ question: approval, equals: "no" }, { question: rollback, equals: "no" }] } }
  - { id: other, kind: text, prompt: Anything else?, when: { not: { question: acts, equals: "yes" } } }
`);
    // Fewest: acts yes, approval yes (other is left out). Most: acts yes, approval no, rollback no.
    expect(questionCountRange(flow)).toEqual({ fewest: 3, most: 5 });
  });

  it('reads `equals` on a multiple-choice question as exactly that one option', () => {
    const flow = flowFrom(`${HEAD}
  - id: channels
    kind: multi
    prompt: Where does it act?
    options: [{ id: email, label: Email }, { id: chat, label: Chat }, { id: web, label: Web }]
  - { id: email_only, kind: text, prompt: Email only?, when: { question: channels, equals: email } }
  - { id: chat_too, kind: text, prompt: Chat too?, when: { all: [{ question: channels, includes: chat }, { question: channels, includes: web }] } }
`);
    // Exactly email asks email_only; chat and web ask chat_too; both at once cannot happen.
    expect(questionCountRange(flow)).toEqual({ fewest: 2, most: 3 });
  });

  it('never ticks an option that rules out the others together with them', () => {
    const flow = flowFrom(`${HEAD}
  - id: watched
    kind: multi
    prompt: What else do you watch?
    options: [{ id: outcomes, label: Outcomes }, { id: nothing, label: Nothing else, exclusive: true }]
  - { id: contradiction, kind: text, prompt: Which is it?, when: { all: [{ question: watched, includes: outcomes }, { question: watched, includes: nothing }] } }
`);
    expect(questionCountRange(flow)).toEqual({ fewest: 2, most: 2 });
  });

  it('narrows as the answers a branch depends on come in, to one number', () => {
    const flow = flowFrom(`${HEAD}
  - { id: acts, kind: yesno, prompt: Does it act? }
  - { id: approval, kind: yesno, prompt: Approval?, when: { question: acts, equals: "yes" } }
  - { id: rollback, kind: yesno, prompt: Rollback?, when: { question: approval, equals: "no" } }
  - { id: last, kind: text, prompt: Anything else? }
`);
    const driver = new Driver(flow);
    expect(questionCountNow(flow, driver.state)).toEqual({ fewest: 3, most: 5 });
    driver.reply('People get help.');
    driver.reply('yes');
    expect(questionCountNow(flow, driver.state)).toEqual({ fewest: 4, most: 5 });
    driver.reply('no');
    expect(questionCountNow(flow, driver.state)).toEqual({ fewest: 5, most: 5 });
    expect(totalText(questionCountNow(flow, driver.state))).toBe('5');
    expect(totalText({ fewest: 4, most: 5 })).toBe('4–5');
  });

  it('says one number when every review asks the same', () => {
    expect(questionCountText({ fewest: 8, most: 8 })).toBe('8 questions');
    expect(questionCountText({ fewest: 1, most: 1 })).toBe('1 question');
    expect(questionCountText({ fewest: 26, most: 34 })).toBe('26–34 questions, depending on the answers');
    expect(questionCountText({ fewest: 26, most: 34 }, true)).toBe('26–34 questions');
  });

  const { flows } = loadFlows({ builtinDir: 'flows' });
  for (const flow of flows.values()) {
    it(`${flow.id}: every review, answered at random to the end, asks a number of questions within the range`, () => {
      const range = questionCountRange(flow);
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: flow.questions.length, maxLength: flow.questions.length }), (picks) => {
          const driver = new Driver(flow);
          const ranges: QuestionCountRange[] = [];
          for (let turn = 0; turn < picks.length; turn++) {
            const question = currentQuestion(flow, driver.state);
            if (!question) break;
            const shown = questionCountNow(flow, driver.state);
            // Each answer narrows the range, never moves it outside the one before.
            const last = ranges.at(-1);
            if (last) expect(shown.fewest >= last.fewest && shown.most <= last.most).toBe(true);
            ranges.push(shown);
            const pick = picks[turn]!;
            const options = question.options;
            if (pick % 5 === 0) driver.send({ type: 'skip' });
            else if (options.length === 0) driver.reply('An answer long enough to count.');
            else if (question.kind === 'multi') {
              const bits = options.filter((_, bit) => (pick >> bit) & 1);
              // Options that rule each other out are not chosen together: the first alone then.
              const ticked = optionConflict(bits) ? bits.slice(0, 1) : bits;
              driver.send({ type: 'choose', questionId: question.id, optionIds: (ticked.length > 0 ? ticked : [options[0]!]).map((option) => option.id) });
            } else driver.send({ type: 'choose', questionId: question.id, optionIds: [options[pick % options.length]!.id] });
          }
          expect(driver.state.status).toBe('completed');
          const count = applicableQuestions(flow, driver.state).length;
          // Once every answer is in, the count is known, and it was within every range shown on the way.
          expect(questionCountNow(flow, driver.state)).toEqual({ fewest: count, most: count });
          for (const shown of ranges) {
            expect(count).toBeGreaterThanOrEqual(shown.fewest);
            expect(count).toBeLessThanOrEqual(shown.most);
          }
          expect(count).toBeGreaterThanOrEqual(range.fewest);
          expect(count).toBeLessThanOrEqual(range.most);
        }),
        { numRuns: 150, seed: 7 },
      );
    });
  }
});
