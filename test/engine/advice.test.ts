import { describe, expect, it } from 'vitest';
import { adviceFor, safeguardsNamed, type SafeguardEvidence } from '../../src/engine/advice.js';
import { AREA_IDS, type AreaId } from '../../src/engine/areas.js';

/** Evidence for every area: nothing offered, except what is given. */
function evidence(given: Partial<Record<AreaId, Partial<Record<keyof SafeguardEvidence, string[]>>>>): Record<AreaId, SafeguardEvidence> {
  const all = {} as Record<AreaId, SafeguardEvidence>;
  for (const area of AREA_IDS) {
    const one = given[area] ?? {};
    all[area] = { offered: new Set(one.offered), present: new Set(one.present), gap: new Set(one.gap), hardGap: new Set(one.hardGap) };
  }
  return all;
}

describe('the safeguards a recommendation names', () => {
  it('are read from its words, as the shipped flows write them', () => {
    expect(safeguardsNamed('Make every action reversible and logged, or take that tool away.')).toEqual(['audit_logs', 'rollback']);
    expect(safeguardsNamed('Make every action reversible (rollback) and logged in an audit trail, or remove it.')).toEqual(['audit_logs', 'rollback']);
    expect(safeguardsNamed('Run it in a sandbox with least-privilege credentials and per-day action limits.')).toEqual(['permission_controls', 'sandboxing', 'action_limits']);
    expect(safeguardsNamed('Make it ask a clarifying question, or state its assumption, when context is missing.')).toEqual(['clarification']);
    expect(safeguardsNamed('Name an escalation path and an owner answerable for its outcomes.')).toEqual(['escalation']);
    expect(safeguardsNamed('Add risk constraints that stop the task when it conflicts with safety, fairness or policy.')).toEqual(['risk_constraints']);
    expect(safeguardsNamed('Write policy constraints for each value conflict.')).toEqual(['policy_constraints']);
  });

  it('are none for advice that names no safeguard', () => {
    expect(safeguardsNamed('Run the agent-autonomy review.')).toEqual([]);
    expect(safeguardsNamed('Run the full alignment review before launch.')).toEqual([]);
  });
});

describe('advice less what the answers cover', () => {
  const lines = ['Require human approval before any action that sends.', 'Make every action reversible and logged, or take that tool away.', 'Run the agent-autonomy review.'];

  it('leaves out a line whose safeguards the answers all show, keeps one that names none', () => {
    const known = evidence({ autonomy_risk: { offered: ['audit_logs', 'rollback', 'human_approval'], present: ['audit_logs', 'rollback'], gap: ['human_approval'], hardGap: ['human_approval'] } });
    expect(adviceFor(lines, 'autonomy_risk', 'high', known)).toEqual([lines[0], lines[2]]);
  });

  it('says which of a kept line’s safeguards are already in place', () => {
    const known = evidence({ autonomy_risk: { offered: ['audit_logs', 'rollback'], present: ['audit_logs'], gap: ['rollback'], hardGap: ['rollback'] } });
    expect(adviceFor([lines[1]!], 'autonomy_risk', 'high', known)).toEqual(['Make every action reversible and logged, or take that tool away. (Already in place: Audit logs.)']);
  });

  it('keeps a line for a safeguard no question asked about: nothing says it is there', () => {
    expect(adviceFor([lines[1]!], 'autonomy_risk', 'high', evidence({}))).toEqual([lines[1]]);
  });

  it('leaves out a line whose safeguard an answer made unnecessary (offered, never left open)', () => {
    const known = evidence({ instruction_mismatch: { offered: ['clarification', 'constraints'], present: ['constraints'] } });
    expect(adviceFor(['Make it ask a clarifying question when context is missing.'], 'instruction_mismatch', 'medium', known)).toEqual([]);
  });

  it('keeps a line when a question about that safeguard alone leaves it open, though another answer shows some of it', () => {
    const line = 'Add risk constraints that stop the task when it conflicts with policy.';
    const soft = evidence({ goal_misalignment: { offered: ['risk_constraints', 'escalation'], present: ['risk_constraints'], gap: ['risk_constraints', 'escalation'] } });
    expect(adviceFor([line], 'goal_misalignment', 'high', soft)).toEqual([]);
    const hard = evidence({ goal_misalignment: { offered: ['risk_constraints'], present: ['risk_constraints'], gap: ['risk_constraints'], hardGap: ['risk_constraints'] } });
    expect(adviceFor([line], 'goal_misalignment', 'high', hard)).toEqual([line]);
  });

  it('judges a safeguard of another area in that area: a cap is over-optimization’s', () => {
    const line = 'Cap how far the system may push the metric, and monitor real outcomes for people every week.';
    const monitored = { offered: ['outcome_monitoring'], present: ['outcome_monitoring'] };
    expect(adviceFor([line], 'reward_misspecification', 'high', evidence({ reward_misspecification: monitored, over_optimization: { offered: ['caps'], gap: ['caps'], hardGap: ['caps'] } }))).toEqual([
      `${line} (Already in place: Outcome monitoring.)`,
    ]);
    expect(adviceFor([line], 'reward_misspecification', 'high', evidence({ reward_misspecification: monitored, over_optimization: { offered: ['caps'], present: ['caps'] } }))).toEqual([]);
  });

  it('leaves low-level advice, which keeps what is there, as the flow gives it', () => {
    const known = evidence({ autonomy_risk: { offered: ['permission_controls'], present: ['permission_controls'] } });
    expect(adviceFor(['Review its permissions whenever a tool is added.'], 'autonomy_risk', 'low', known)).toEqual(['Review its permissions whenever a tool is added.']);
  });
});
