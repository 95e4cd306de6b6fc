import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load.js';
import { decisionLine } from '../../src/slack/blocks/summary-card.js';
import { buildReviewExport } from '../../src/leads/review-export.js';
import { currentQuestion } from '../../src/engine/questions.js';
import { typicalReply } from '../support/review-driver.js';
import { Driver } from '../engine/helpers.js';

const flow = loadFlows({ builtinDir: 'flows' }).flows.get('quick-check')!;
const placement = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };

/** A quick check answered to the end and approved with conditions by a lead. */
function approved(): Driver {
  const driver = new Driver(flow, 'U0BOB');
  for (let index = 1; currentQuestion(flow, driver.state); index++) driver.reply(typicalReply(currentQuestion(flow, driver.state)!, index));
  driver.send({ type: 'decide', outcome: 'approved_with_conditions', conditions: 'Keep a human reviewer on refunds over 100' }, 'U0ALICE');
  return driver;
}

describe('a lead’s decision', () => {
  it('is flagged, not silently kept, when an answer is edited after it; a new decision clears the flag', () => {
    const driver = approved();
    const firstAnswer = Object.values(driver.state.answers).find((answer) => answer.messageTs)!;
    const question = flow.questions.find((item) => item.id === firstAnswer.questionId)!;
    driver.send({ type: 'edit', messageTs: firstAnswer.messageTs!, text: 'Recruiters want the fastest shortlist possible, whatever it takes.' });
    expect(driver.state.answers[question.id]?.value).toMatchObject({ kind: 'text' });
    expect(driver.state.decision).toMatchObject({ outcome: 'approved_with_conditions', by: 'U0ALICE' });
    expect(driver.state.decision?.answersChangedAt).toBeDefined();
    expect(decisionLine(driver.state.decision!)).toContain('after this decision: it needs a decision again');

    driver.send({ type: 'decide', outcome: 'changes_needed', conditions: 'The goal now reads as speed at any cost' }, 'U0ALICE');
    expect(driver.state.decision?.answersChangedAt).toBeUndefined();
    expect(decisionLine(driver.state.decision!)).not.toContain('needs a decision again');
  });

  it('keeps each decision’s conditions in the history, so a later decision does not erase them', () => {
    const driver = approved();
    driver.send({ type: 'decide', outcome: 'approved' }, 'U0ALICE');
    const decisions = driver.state.history.filter((entry) => entry.action === 'decision');
    expect(decisions.map((entry) => [entry.before, entry.after, entry.conditions])).toEqual([
      [null, 'approved_with_conditions', 'Keep a human reviewer on refunds over 100'],
      ['approved_with_conditions', 'approved', undefined],
    ]);
    const { markdown } = buildReviewExport(flow, driver.state, placement, { exportedAt: '2025-01-07T00:00:00.000Z', exportedBy: 'U0ALICE', personName: (id) => id });
    expect(markdown).toContain('Approved with conditions — Keep a human reviewer on refunds over 100 |');
  });
});
