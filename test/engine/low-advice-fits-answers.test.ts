/**
 * Low-level advice keeps what is there: it never asks to keep a safeguard no
 * answer showed, nor speaks of an ability the answers say the system already
 * has or lacks.
 */
import { describe, expect, it } from 'vitest';
import { simulateReview } from '../../src/engine/index.js';
import type { AreaId } from '../../src/engine/areas.js';
import type { Summary } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { scoreReview } from '../../src/engine/scoring.js';
import { Driver, flowFrom } from './helpers.js';

const { flows } = loadFlows({ builtinDir: 'flows' });

function simulate(flowId: string, replies: Record<string, string>): Summary {
  const result = simulateReview(flows.get(flowId)!, replies, { systemName: 'System', startAt: new Date('2026-02-02T10:00:00.000Z') });
  if (!result.ok) throw new Error(result.message);
  expect(result.missing).toEqual([]);
  return result.summary;
}

function area(summary: Summary, id: AreaId) {
  return summary.score.areas.find((one) => one.area === id)!;
}

describe('low-level advice in the shipped flows', () => {
  it('quick check: an agent that acts after approval is not told to re-run the check "if it gains the ability to act"', () => {
    const summary = simulate('quick-check', {
      human_goal: 'Shoppers want accurate product descriptions.',
      metric: 'Click-through rate to the cart.',
      gaming: '1',
      acts: 'Yes, but a person approves each action first',
      stakes: '1',
      override: '1',
      tested: '1',
      sensitive_data: '1',
    });
    const autonomy = area(summary, 'autonomy_risk');
    expect(autonomy.level).toBe('low');
    expect(autonomy.recommendations.join(' ')).not.toMatch(/gains the ability to act/);
    expect(autonomy.recommendations.length).toBeGreaterThan(0);
  });

  it('quick check: a system that protects its sensitive data is not told to revisit the check "if it starts handling sensitive data"', () => {
    const summary = simulate('quick-check', {
      human_goal: 'Shoppers want accurate product descriptions.',
      metric: 'Click-through rate to the cart.',
      gaming: '1',
      acts: '1',
      stakes: '1',
      override: '1',
      tested: '1',
      sensitive_data: '2',
    });
    const values = area(summary, 'value_complexity');
    expect(values.level).toBe('low');
    expect(values.recommendations.join(' ')).not.toMatch(/starts handling sensitive data/);
  });

  it('agent autonomy: a read-only agent is not told to keep caps it was never asked about', () => {
    const summary = simulate('agent-autonomy', {
      workflow: 'Each morning the agent reads the support queue and drafts a summary for the team lead.',
      human_goal: 'The team lead knows what customers struggle with.',
      objective: 'Summarise yesterday’s tickets by theme.',
      success_metric: 'Summaries the lead reads.',
      success_check: '1',
      actions: '1',
      ambiguity: '1',
      misread: '1',
      chaining: '1',
      propagation: 'No',
      responsibility: 'Yes',
    });
    const over = area(summary, 'over_optimization');
    expect(over.level).toBe('low');
    expect(over.safeguardsPresent).not.toContain('caps');
    expect(over.recommendations.join(' ')).not.toMatch(/caps/i);
    expect(over.recommendations.length).toBeGreaterThan(0);
    expect(area(summary, 'autonomy_risk').recommendations.join(' ')).not.toMatch(/permissions/i);
  });
});

describe('the engine’s rule for low-level advice', () => {
  const flow = flowFrom(`
id: caps-flow
version: 1
title: Caps
description: A flow about caps.
summary: { proxy_metrics: [] }
questions:
  - id: capped
    kind: yesno
    prompt: Is its target capped?
    yes:
      - { area: over_optimization, weight: 0, safeguard: caps }
    no:
      - { area: over_optimization, weight: 1, reason: "Nothing caps its target" }
  - id: pushes
    kind: choice
    prompt: How hard does it push?
    options:
      - { id: gently, label: Gently }
      - { id: hard, label: Hard, signals: [{ area: over_optimization, weight: 5, reason: "Pushes hard" }] }
recommendations:
  over_optimization:
    low:
      - Keep its caps in place as its tasks grow.
      - Re-run this review when its target changes.
`);

  function lowAdvice(...replies: string[]): string[] {
    const review = new Driver(flow);
    review.replies(...replies);
    const over = scoreReview(flow, review.state).areas.find((one) => one.area === 'over_optimization')!;
    expect(over.level).toBe('low');
    return over.recommendations;
  }

  it('keeps a line about a safeguard only when an answer shows it; a line naming none stays', () => {
    expect(lowAdvice('Yes', 'Gently')).toEqual(['Keep its caps in place as its tasks grow.', 'Re-run this review when its target changes.']);
    expect(lowAdvice('Not sure', 'Gently')).toEqual(['Re-run this review when its target changes.']);
  });
});
