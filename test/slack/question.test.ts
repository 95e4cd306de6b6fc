import { describe, expect, it } from 'vitest';
import { describeAnswer } from '../../src/engine/answer-text.js';
import type { Answer, Question } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { answeredQuestionMessage, questionMessage } from '../../src/slack/blocks/question.js';
import { LIMITS } from '../../src/slack/blocks/text.js';

const { flows } = loadFlows({ builtinDir: 'flows' });

function question(flowId: string, questionId: string): Question {
  return flows.get(flowId)!.questions.find((candidate) => candidate.id === questionId)!;
}

function textOf(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}

const POSITION = { number: 3, total: { fewest: 8, most: 8 } };

describe('a question’s example', () => {
  it('names the option a choice question’s example number stands for', () => {
    const gaming = question('quick-check', 'gaming');
    expect(gaming.example).toBe('2');
    expect(textOf(questionMessage('R1', gaming, POSITION).blocks)).toContain('_Example:_ 2 (Written down, but nothing watches for it yet)');
  });

  it('names every option of a multiple-choice example', () => {
    const affected = question('alignment-review', 'affected');
    expect(textOf(questionMessage('R1', affected, POSITION).blocks)).toContain(
      '_Example:_ 2, 4 (Other employees of our organisation; People it makes decisions about (applicants, claimants, candidates))',
    );
  });

  it('leaves an example already in its option’s words, and a written question’s, as they are', () => {
    const yesno = flows.get('alignment-review')!.questions.find((candidate) => candidate.kind === 'yesno' && candidate.example)!;
    expect(textOf(questionMessage('R1', yesno, POSITION).blocks)).toContain(`_Example:_ ${yesno.example!}`);
    expect(textOf(questionMessage('R1', yesno, POSITION).blocks)).not.toContain(`${yesno.example!} (`);
    const goal = question('quick-check', 'human_goal');
    expect(textOf(questionMessage('R1', goal, POSITION).blocks)).toContain(`_Example:_ ${goal.example!}"`);
  });
});

describe('a question once answered or skipped', () => {
  const gaming = question('quick-check', 'gaming');
  const answer = (value: Answer['value']): Answer => ({ questionId: gaming.id, value, by: 'U0ALICE', at: '2026-01-01T00:00:00.000Z' });

  it('shows a skip as skipped, without the tick of an answer', () => {
    const message = answeredQuestionMessage(gaming, POSITION, answer({ kind: 'skipped' }), '(skipped)');
    const text = textOf(message.blocks);
    expect(text).toContain(':arrow_right: Skipped');
    expect(text).toContain('Skipped by <@U0ALICE>');
    expect(text).not.toContain(':white_check_mark:');
    expect(text).not.toContain('Answered by');
    expect(message.text).toBe('Question 3: skipped');
  });

  it('shows what was written after the answer, neutralised and cut to Slack’s limits', () => {
    const approval = question('alignment-review', 'human_approval');
    const shown = (detail: string) => {
      const answer: Answer = { questionId: approval.id, value: { kind: 'options', optionIds: ['yes'], detail }, by: 'U0ALICE', at: '2026-01-01T00:00:00.000Z' };
      return answeredQuestionMessage(approval, POSITION, answer, describeAnswer(approval, answer));
    };
    const text = textOf(shown('refunds over $50 wait for <@U0BOB> &amp; <!channel>').blocks);
    expect(text).toContain(':white_check_mark: Yes — refunds over $50 wait for @\u200bU0BOB &amp; @\u200bchannel');
    expect(text).not.toContain('<@U0BOB>');
    expect(text).not.toContain('<!channel>');
    const long = shown('x'.repeat(3000));
    for (const block of long.blocks) {
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
    expect(textOf(long.blocks)).toMatch(/:white_check_mark: Yes — x+…/);
  });

  it('shows an answer with its tick and who gave it', () => {
    const message = answeredQuestionMessage(gaming, POSITION, answer({ kind: 'options', optionIds: ['written'] }), 'Written down, but nothing watches for it yet');
    const text = textOf(message.blocks);
    expect(text).toContain(':white_check_mark: Written down, but nothing watches for it yet');
    expect(text).toContain('Answered by <@U0ALICE>');
    expect(message.text).toBe('Question 3: answered');
  });
});
