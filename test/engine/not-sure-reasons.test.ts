/**
 * A reason built from a "not sure" answer says it is not known; it never
 * states as a fact what the team said it does not know.
 */
import { describe, expect, it } from 'vitest';
import type { AreaId } from '../../src/engine/areas.js';
import { conditionHolds, forEachLeaf } from '../../src/engine/conditions.js';
import { simulateReview } from '../../src/engine/index.js';
import { NOT_SURE, type AnswerValue, type Flow, type Option, type Summary } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { summaryCardMessages } from '../../src/slack/blocks/summary-card.js';

const { flows } = loadFlows({ builtinDir: 'flows' });
const agent = flows.get('agent-autonomy')!;

/** Words that say an answer is not known. */
const UNKNOWN = /\bnot known\b|\bknown to\b|\bno one knows\b|\bnobody knows\b|\bwhether\b|\bnot sure\b|\bunclear\b/i;

const AGENT_REPLIES = {
  workflow: 'When a stock level drops, the agent orders from an approved supplier and records it in the ERP.',
  human_goal: 'Shelves never run empty, without overpaying.',
  objective: 'Keep every SKU above its reorder point at the lowest unit cost.',
  success_metric: 'Stock-outs avoided per month.',
  success_check: '1',
  actions: 'Spends money or makes purchases',
  ambiguity: '1',
  misread: '3',
  permissions: '2',
  audit_logs: 'Yes',
  action_limits: 'Yes',
  chaining: '1',
  propagation: 'No',
};

function agentSummary(replies: Record<string, string>): Summary {
  const result = simulateReview(agent, { ...AGENT_REPLIES, ...replies }, { systemName: 'Purchasing agent', startAt: new Date('2026-02-02T10:00:00.000Z') });
  if (!result.ok) throw new Error(result.message);
  expect(result.missing).toEqual([]);
  return result.summary;
}

function gateReasons(summary: Summary, area: AreaId): string[] {
  return summary.score.areas.find((one) => one.area === area)!.gates.map((gate) => gate.reason);
}

describe('reasons from "not sure" answers', () => {
  it('say that approval, rollback and the owner are not known, on the card too', () => {
    const summary = agentSummary({ approval: "We're not sure", rollback: "Not sure — orders can be cancelled within an hour, but payments can't", responsibility: 'Not sure' });
    const goal = gateReasons(summary, 'goal_misalignment');
    const autonomy = gateReasons(summary, 'autonomy_risk');
    expect(goal).toHaveLength(1);
    expect(autonomy).toHaveLength(1);
    expect(goal[0]).toContain('no one is known to answer for what the agent does');
    expect(autonomy[0]).toContain('neither human approval nor a way to roll back is known to be in place');
    const card = JSON.stringify(summaryCardMessages(summary).map((message) => message.blocks));
    expect(card).not.toContain('no one answers for what the agent does');
    expect(card).not.toContain('with neither human approval nor a way to roll back');
  });

  it('say one of them is not known when the other is a definite no', () => {
    const summary = agentSummary({ approval: 'Nowhere', rollback: 'Not sure', responsibility: 'No' });
    expect(gateReasons(summary, 'autonomy_risk')[0]).toMatch(UNKNOWN);
    expect(gateReasons(summary, 'goal_misalignment')[0]).toBe('A misread goal could harm people, and no one answers for what the agent does.');
  });

  it('stay facts when the answers are definite', () => {
    const summary = agentSummary({ approval: 'Nowhere', rollback: 'No', responsibility: 'No' });
    expect(gateReasons(summary, 'autonomy_risk')[0]).toMatch(/with neither human approval nor a way to roll back\.$/);
    expect(gateReasons(summary, 'autonomy_risk')[0]).not.toMatch(UNKNOWN);
  });
});

/** Whether an answer is the team saying it does not know: yes/no "Not sure", or an option worded so. */
function unsure(option: Option): boolean {
  return option.id === NOT_SURE || /\bnot sure\b|\bdon['’]t know\b|\bunsure\b/i.test(option.label);
}

/** Every way of answering the questions a condition names, one option each (a multi's single picks). */
function answerings(flow: Flow, ids: string[]): Map<string, Option>[] {
  let combos: Map<string, Option>[] = [new Map()];
  for (const id of ids) {
    const question = flow.questions.find((one) => one.id === id)!;
    combos = combos.flatMap((combo) => question.options.map((option) => new Map([...combo, [id, option]])));
  }
  return combos;
}

describe('every shipped flow', () => {
  for (const flow of flows.values()) {
    it(`${flow.id}: a gate that holds on a "not sure" answer says it is not known, and one that holds on definite answers states it`, () => {
      for (const gate of flow.gates) {
        const ids = new Set<string>();
        forEachLeaf(gate.when, (leaf) => ids.add(leaf.question));
        for (const combo of answerings(flow, [...ids])) {
          const answerOf = (id: string): AnswerValue | undefined => (combo.has(id) ? { kind: 'options', optionIds: [combo.get(id)!.id] } : undefined);
          if (!conditionHolds(gate.when, answerOf)) continue;
          const picks = [...combo.entries()].map(([id, option]) => `${id}=${option.id}`).join(', ');
          const fromUnsure = [...combo.values()].some(unsure);
          if (fromUnsure) expect(gate.reason, `${gate.id} with ${picks}`).toMatch(UNKNOWN);
          else expect(gate.reason, `${gate.id} with ${picks}`).not.toMatch(/\bnot known\b|\bknown to\b/i);
        }
      }
    });

    it(`${flow.id}: an option that says the team does not know has reasons that say so`, () => {
      for (const question of flow.questions) {
        for (const option of question.options.filter(unsure)) {
          for (const signal of option.signals) {
            if (signal.weight > 0 && signal.reason) expect(signal.reason, `${question.id}.${option.id}`).toMatch(UNKNOWN);
          }
        }
      }
    });
  }
});
