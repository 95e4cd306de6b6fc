import { describe, expect, it } from 'vitest';
import type { Answer, Question } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { answeredQuestionMessage, questionMessage } from '../../src/slack/blocks/question.js';

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

  it('shows an answer with its tick and who gave it', () => {
    const message = answeredQuestionMessage(gaming, POSITION, answer({ kind: 'options', optionIds: ['written'] }), 'Written down, but nothing watches for it yet');
    const text = textOf(message.blocks);
    expect(text).toContain(':white_check_mark: Written down, but nothing watches for it yet');
    expect(text).toContain('Answered by <@U0ALICE>');
    expect(message.text).toBe('Question 3: answered');
  });
});
