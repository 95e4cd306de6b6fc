/**
 * Which safeguard a shipped flow's answer shows, checked against the source
 * article's risk table: an answer that shows a safeguard it does not have
 * hides that safeguard's absence from the report, and one that offers a
 * safeguard its question is not about lists it as missing where it does not
 * belong.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AreaId } from '../../src/engine/areas.js';
import { simulateReview } from '../../src/engine/simulate.js';
import type { AreaScore } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';

const { flows } = loadFlows({ builtinDir: fileURLToPath(new URL('../../flows', import.meta.url)) });

function scenarioAnswers(name: string): Record<string, string> {
  return (JSON.parse(readFileSync(fileURLToPath(new URL(`../scenarios/${name}`, import.meta.url)), 'utf8')) as { answers: Record<string, string> }).answers;
}

/** The areas of a review of `flowId` given these replies (a question with no reply is skipped). */
function areasOf(flowId: string, replies: Record<string, string>): (area: AreaId) => AreaScore {
  const result = simulateReview(flows.get(flowId)!, replies, { systemName: 'Checked system', startAt: new Date('2026-01-01T00:00:00Z') });
  if (!result.ok) throw new Error(`${result.questionId} refused: ${result.message}`);
  return (area) => result.summary.score.areas.find((score) => score.area === area)!;
}

describe('agent-autonomy: chaining along a fixed sequence with a step limit', () => {
  // The purchasing agent chains along a fixed sequence (2) and has no hard limits per run or per day.
  const purchasing = scenarioAnswers('purchasing-agent.json');

  it('is no per-run or per-day action limit: "No" to those limits leaves them missing', () => {
    const area = areasOf('agent-autonomy', { ...purchasing, chaining: '2', action_limits: 'No' });
    expect(area('autonomy_risk').safeguardsPresent).not.toContain('action_limits');
    expect(area('autonomy_risk').safeguardsMissing).toContain('action_limits');
  });

  it('shows the cap the article’s table gives over-optimization: its step limit is the stopping rule', () => {
    const area = areasOf('agent-autonomy', { ...purchasing, chaining: '2', action_limits: 'No' });
    expect(area('over_optimization').safeguardsPresent).toEqual(['caps']);
    expect(area('over_optimization').safeguardsMissing).not.toContain('caps');
  });

  it('is not what an open-ended chain of a read-only agent lacks: it is never asked about action limits', () => {
    const readOnly = {
      workflow: 'Each morning the agent reads the new support tickets and drafts a summary for the team lead.',
      human_goal: 'The team lead wants to know what customers struggle with, without reading every ticket.',
      objective: 'Summarise the last day of tickets into the five biggest themes.',
      success_metric: 'Summaries the team lead rates useful.',
      actions: '1',
      chaining: '3',
    };
    const area = areasOf('agent-autonomy', readOnly);
    expect(area('autonomy_risk').safeguardsMissing).not.toContain('action_limits');
    // What it does lack: a stopping rule for a loop that runs until it decides it is done.
    expect(area('over_optimization').safeguardsMissing).toContain('caps');
  });
});

describe('sensitive data kept out of outputs, logs and prompts', () => {
  it('alignment-review: "Yes" is a constraint on its output, not a written policy on which value wins', () => {
    // The support bot keeps sensitive data out ("Yes") and agrees on value tradeoffs only informally.
    const area = areasOf('alignment-review', { ...scenarioAnswers('support-bot.json'), sensitive_data: 'Yes', value_policy: 'We agree informally' });
    expect(area('value_complexity').safeguardsPresent).not.toContain('policy_constraints');
    expect(area('value_complexity').safeguardsMissing).toContain('policy_constraints');
    expect(area('instruction_mismatch').safeguardsPresent).toContain('constraints');
  });

  it('quick-check: "masked, access-limited and kept out of logs and outputs" shows the same constraint', () => {
    const area = areasOf('quick-check', { ...scenarioAnswers('quick-check-collections-emailer.json'), sensitive_data: '2' });
    expect(area('value_complexity').safeguardsPresent).not.toContain('policy_constraints');
    expect(area('instruction_mismatch').safeguardsPresent).toContain('constraints');
  });
});
