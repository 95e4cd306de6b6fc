/**
 * Scoring defects a product walk-through found, each pinned on a small flow
 * shaped like the shipped ones (fixtures/walkthrough.yaml: its weights stay
 * put while the shipped flows are tuned), and on the shipped flow where the
 * walk-through saw it.
 */
import { describe, expect, it } from 'vitest';
import type { AreaId } from '../../src/engine/areas.js';
import { buildSummary, simulateReview, summaryToMarkdown } from '../../src/engine/index.js';
import { levelRaiseText, scoreReview } from '../../src/engine/scoring.js';
import type { AreaScore, Score } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { Driver, loadFixture } from './helpers.js';

const flow = loadFixture('walkthrough.yaml');

function area(score: Score, id: AreaId): AreaScore {
  return score.areas.find((candidate) => candidate.area === id)!;
}

function scored(...replies: string[]): Score {
  const review = new Driver(flow);
  review.replies(...replies);
  return scoreReview(flow, review.state);
}

function finishedAfter(...replies: string[]): Score {
  const review = new Driver(flow);
  review.replies(...replies);
  review.send({ type: 'finish' });
  return scoreReview(flow, review.state);
}

describe('a review finished early: open questions never give an area a level alone', () => {
  it('an area whose only answer cannot move it is not assessed, not high from its open questions', () => {
    // "It ranks people; a person decides" touches goal misalignment (it shows oversight) but cannot raise it.
    // The two open questions on it made 2.5 of 5: exactly the 0.5 "high" mark.
    const score = finishedAfter('ranks');
    expect(area(score, 'goal_misalignment')).toMatchObject({ level: 'not_assessed', safeguardsMissing: [], recommendations: [], open: 2, gates: [] });
    expect(area(score, 'value_complexity').level).toBe('medium'); // 1 of 3: the answer bears on it
    expect(score.coverage).toMatchObject({ assessed: 1 });
  });

  it('an area with an answer that bears on it is assessed, and its open questions still count half their risk', () => {
    // Shortcuts written down (0 of 3), escalation open (1 of 2): 1 of 5 is low; with "No" to shortcuts, 4 of 5 is high.
    const review = new Driver(flow);
    review.replies('no_people', 'inconvenience', 'easily', 'yes', 'asks', 'suggests', 'yes');
    review.send({ type: 'finish' });
    expect(area(scoreReview(flow, review.state), 'goal_misalignment')).toMatchObject({ level: 'low', total: 1, reachable: 5 });
    const risky = new Driver(flow);
    risky.replies('no_people', 'inconvenience', 'easily', 'yes', 'asks', 'suggests', 'no');
    risky.send({ type: 'finish' });
    expect(area(scoreReview(flow, risky.state), 'goal_misalignment')).toMatchObject({ level: 'high', total: 4, reachable: 5 });
  });

  it('the loan-approval review of the walk-through: 10 answers, then finish', () => {
    const { flows } = loadFlows({ builtinDir: 'flows' });
    const review = flows.get('alignment-review')!;
    const replies = {
      system_description: 'Approves or declines personal loan applications from our website.',
      human_goal: 'Applicants want a fair, quick decision they can understand.',
      objective: 'Maximise approved loans that are repaid on time.',
      affected: '2, 3',
      people_decisions: 'It decides; a person reviews some cases or appeals',
      severity: '3',
      reversibility: '3',
      ambiguous_terms: 'No',
      clarifies: 'It never gets free-form requests',
      metric: 'Default rate of approved loans',
    };
    const result = simulateReview(review, replies, { systemName: 'Loan approval', startAt: new Date('2026-01-01T00:00:00Z') });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The simulation skips what it has no reply for; the walk-through pressed "finish". Both leave the rest open.
    const goal = area(result.summary.score, 'goal_misalignment');
    expect(goal).toMatchObject({ level: 'not_assessed', safeguardsMissing: [], recommendations: [] });
    expect(goal.open).toBeGreaterThan(0);
    for (const one of result.summary.score.areas.filter((candidate) => candidate.level === 'not_assessed')) {
      expect(one.safeguardsMissing, one.area).toEqual([]);
      expect(one.recommendations, one.area).toEqual([]);
    }
  });
});

describe('an area not assessed', () => {
  it('lists no missing safeguards, and says how many open questions would assess it', () => {
    const score = finishedAfter('no_people');
    for (const id of ['goal_misalignment', 'instruction_mismatch', 'autonomy_risk'] as const) {
      expect(area(score, id), id).toMatchObject({ level: 'not_assessed', safeguardsMissing: [], recommendations: [] });
    }
    expect(area(score, 'goal_misalignment').open).toBe(2);
    expect(area(score, 'instruction_mismatch').open).toBe(2);
    // The branch on what it can do was never reached: only `acts` is open.
    expect(area(score, 'autonomy_risk').open).toBe(1);
  });

  it('reads so in the Markdown report: no missing safeguards, the open questions instead of the reasons', () => {
    const review = new Driver(flow);
    review.replies('no_people');
    review.send({ type: 'finish' });
    const markdown = summaryToMarkdown(buildSummary(flow, review.state));
    expect(markdown).toContain('| Goal misalignment | Not assessed | Not assessed: 2 questions on it were left open | — | — |');
  });
});

describe('advice follows the answers', () => {
  it('a safeguard an answer shows is neither missing nor recommended: Yes to logs and rollback', () => {
    // Sends messages, broad access, logged, can be undone, no approval: 3 + 3 + 0 - 1 + 3 of 14.
    const autonomy = area(scored('no_people', 'inconvenience', 'easily', 'yes', 'asks', 'sends', 'broad', 'yes', 'yes', 'no', 'yes', 'yes'), 'autonomy_risk');
    expect(autonomy).toMatchObject({ level: 'high', safeguardsPresent: ['audit_logs', 'rollback'], safeguardsMissing: ['permission_controls', 'sandboxing', 'human_approval'] });
    expect(autonomy.recommendations).toEqual([
      'Require human approval before any action that sends, changes, spends or triggers.',
      'Run it in a sandbox with least-privilege credentials.',
    ]);
  });

  it('advice kept for a safeguard still missing says which of the others are in place', () => {
    const autonomy = area(scored('no_people', 'inconvenience', 'easily', 'yes', 'asks', 'sends', 'broad', 'yes', 'no', 'no', 'yes', 'yes'), 'autonomy_risk');
    expect(autonomy.level).toBe('high');
    expect(autonomy.recommendations).toContain('Make every action reversible and logged, or take that tool away. (Already in place: Audit logs.)');
  });

  it('an escalation path the team has is not asked for, while the shortcuts they lack are', () => {
    const goal = area(scored('no_people', 'inconvenience', 'easily', 'yes', 'asks', 'suggests', 'no', 'yes'), 'goal_misalignment');
    expect(goal).toMatchObject({ level: 'high', safeguardsPresent: ['escalation'], safeguardsMissing: ['risk_constraints'] });
    expect(goal.recommendations).toEqual(['Add risk constraints that stop the task when it conflicts with safety, fairness or policy.']);
  });

  it('"fixed inputs only" needs no clarifying questions: not missing, not recommended', () => {
    // Key terms undefined (2 of 2) and fixed inputs (0 of 3): medium.
    const instruction = area(scored('no_people', 'inconvenience', 'easily', 'no', 'fixed_input', 'suggests', 'yes', 'yes'), 'instruction_mismatch');
    expect(instruction).toMatchObject({ level: 'medium', safeguardsPresent: ['constraints'], safeguardsMissing: ['context', 'examples'] });
    expect(instruction.recommendations).toEqual(['Write down what the ambiguous terms in its instructions mean here, with good and bad examples.']);
    // A system that guesses lacks both the clarifying question and the constraint that would make it moot.
    const guessing = area(scored('no_people', 'inconvenience', 'easily', 'yes', 'guesses', 'suggests', 'yes', 'yes'), 'instruction_mismatch');
    expect(guessing.safeguardsMissing).toEqual(['constraints', 'clarification']);
  });

  it('the weaker of two safe picks still misses what the stronger one shows; a system that decides nothing about people needs no oversight of it', () => {
    const least = area(scored('no_people', 'inconvenience', 'easily', 'yes', 'asks', 'sends', 'least', 'yes', 'yes', 'yes', 'yes', 'yes'), 'autonomy_risk');
    expect(least).toMatchObject({ safeguardsPresent: ['permission_controls', 'audit_logs', 'human_approval', 'rollback'], safeguardsMissing: ['sandboxing'] });
    const goal = area(scored('no_people', 'inconvenience', 'easily', 'yes', 'asks', 'suggests', 'yes', 'yes'), 'goal_misalignment');
    expect(goal.safeguardsMissing).toEqual([]);
    const deciding = area(scored('alone', 'inconvenience', 'easily', 'yes', 'asks', 'suggests', 'yes', 'yes'), 'goal_misalignment');
    expect(deciding.safeguardsMissing).toEqual(['oversight']);
  });

  it('the agent-autonomy review of the walk-through: Yes to logs and rollback, and no advice to add them', () => {
    const { flows } = loadFlows({ builtinDir: 'flows' });
    const agent = flows.get('agent-autonomy')!;
    const result = simulateReview(
      agent,
      {
        workflow: 'When stock runs low the agent picks a supplier and places the order through its API.',
        human_goal: 'Shelves never run empty, without overpaying.',
        objective: 'Keep every SKU above its reorder point at the lowest unit cost.',
        success_metric: 'Orders placed per stock-out avoided.',
        success_check: '3',
        actions: 'Spends money, Modifies files',
        ambiguity: '3',
        misread: '3',
        permissions: 'Broad access',
        approval: 'Nowhere',
        audit_logs: 'Yes',
        rollback: 'Yes',
        action_limits: 'No',
        chaining: '3',
        propagation: 'Yes',
        responsibility: 'Yes',
      },
      { systemName: 'Purchasing agent', startAt: new Date('2026-01-01T00:00:00Z') },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const autonomy = area(result.summary.score, 'autonomy_risk');
    expect(autonomy.level).toBe('high');
    expect(autonomy.safeguardsPresent).toEqual(expect.arrayContaining(['audit_logs', 'rollback']));
    expect(autonomy.safeguardsMissing).not.toContain('audit_logs');
    expect(autonomy.safeguardsMissing).not.toContain('rollback');
    expect(autonomy.recommendations.filter((line) => /reversible|logged/i.test(line))).toEqual([]);
  });
});

describe('an overall level raised by impact points says why', () => {
  it('records the raise: from the areas’ level, by how much, and the answers that carry the points', () => {
    // Decides about people alone: value complexity high (III); severe and hard to undo: 4 points, 3 raise one level.
    const score = scored('alone', 'rights_health', 'hardly', 'yes', 'asks', 'suggests', 'yes', 'yes');
    expect(score).toMatchObject({ overall: 'IV', impactPoints: 4 });
    expect(score.levelRaise).toEqual({
      from: 'III',
      by: 1,
      points: 4,
      raiseOneAt: 3,
      raiseTwoAt: 5,
      answers: [
        { questionId: 'severity', answer: "“Harm to someone's health, rights…”", points: 2 },
        { questionId: 'reversibility', answer: '“Hardly — a missed job, a denied…”', points: 2 },
      ],
      open: { count: 0, points: 0 },
    });
    expect(levelRaiseText(score)).toBe(
      "Raised one level (III → IV): the answers put the harm's severity and irreversibility at 4 impact points (3 raise one level) — “Harm to someone's health, rights…” +2, “Hardly — a missed job, a denied…” +2",
    );
  });

  it('names a yes/no by its question, and open questions by their count', () => {
    const review = new Driver(flow);
    review.replies('alone', 'inconvenience');
    review.send({ type: 'skip' }); // reversibility: up to 2, counted 1
    review.replies('yes', 'asks', 'sends', 'least', 'yes', 'no', 'yes', 'yes', 'yes');
    const score = scoreReview(flow, review.state);
    expect(score).toMatchObject({ impactPoints: 2, overall: 'III' });
    expect(score.levelRaise).toBeUndefined();
    const severe = new Driver(flow);
    severe.replies('alone', 'rights_health');
    severe.send({ type: 'skip' });
    severe.replies('yes', 'asks', 'sends', 'least', 'yes', 'no', 'yes', 'yes', 'yes');
    expect(levelRaiseText(scoreReview(flow, severe.state))).toBe(
      "Raised one level (III → IV): the answers put the harm's severity and irreversibility at 4 impact points (3 raise one level) — “Harm to someone's health, rights…” +2, “If a run goes wrong, can you undo…”: No +1, an open question +1",
    );
  });

  it('says nothing when the points change nothing: below the mark, or already at IV', () => {
    const below = scored('alone', 'rights_health', 'easily', 'yes', 'asks', 'suggests', 'yes', 'yes');
    expect(below).toMatchObject({ overall: 'III', impactPoints: 2 });
    expect(levelRaiseText(below)).toBeUndefined();
    // Three high areas already make IV.
    const top = scored('alone', 'rights_health', 'hardly', 'no', 'guesses', 'sends', 'broad', 'no', 'no', 'no', 'no', 'no');
    expect(top.areas.filter((one) => one.level === 'high').length).toBeGreaterThanOrEqual(3);
    expect(top.overall).toBe('IV');
    expect(top.levelRaise).toBeUndefined();
  });

  it('says nothing when too little was answered to give a level', () => {
    const score = finishedAfter('alone', 'rights_health', 'hardly');
    expect(score.coverage?.verdict).toBe('not_enough_answered');
    expect(levelRaiseText(score)).toBeUndefined();
  });

  it('reads so in the Markdown report, under the impact points', () => {
    const review = new Driver(flow);
    review.replies('alone', 'rights_health', 'hardly', 'yes', 'asks', 'suggests', 'yes', 'yes');
    const markdown = summaryToMarkdown(buildSummary(flow, review.state));
    expect(markdown).toContain('Impact points (severity and irreversibility): 4\n\nRaised one level (III → IV): the answers put');
  });
});
