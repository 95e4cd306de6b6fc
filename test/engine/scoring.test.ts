import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AreaId } from '../../src/engine/areas.js';
import { parseFlow } from '../../src/engine/flow-parse.js';
import { scoreReview } from '../../src/engine/scoring.js';
import type { AreaScore, Score } from '../../src/engine/types.js';
import { Driver, flowFrom, loadFixture } from './helpers.js';

const mini = loadFixture('mini.yaml');
const quickCheck = parseFlow(readFileSync(fileURLToPath(new URL('../../flows/quick-check.yaml', import.meta.url)), 'utf8'), 'flows/quick-check.yaml');
const INTRO = ['Drafts replies to tickets', 'Quick, correct answers', 'Fewest minutes per ticket', 'Tickets closed per hour'];

function area(score: Score, id: AreaId): AreaScore {
  return score.areas.find((candidate) => candidate.area === id)!;
}

/** The mini flow answered from `actions` on. */
function miniScore(...replies: string[]): Score {
  const review = new Driver(mini);
  review.replies(...INTRO, ...replies);
  return scoreReview(mini, review.state);
}

describe('reach comes only from what was asked', () => {
  it('a branch not taken neither raises nor dilutes an area', () => {
    const readOnly = area(miniScore('only suggests', 'yes', 'adversarial', 'skip', '1'), 'autonomy_risk');
    // Only `actions` was asked about autonomy: its riskiest option reaches 4; approval (3) and rollback (2) are not added.
    expect(readOnly).toMatchObject({ level: 'low', total: -1, reachable: 4, drivers: [], safeguardsMissing: [] });

    const acting = area(miniScore('runs code', 'no', 'yes', 'yes', 'adversarial', 'skip', '1'), 'autonomy_risk');
    expect(acting).toMatchObject({ total: 4, reachable: 9, level: 'medium' });
    expect(acting.safeguardsPresent).toEqual(['rollback']);
    expect(acting.safeguardsMissing).toEqual(['human_approval']);
    expect(acting.drivers).toEqual([
      { questionId: 'actions', answer: 'Runs code', reason: 'It can run code', weight: 3 },
      { questionId: 'approval', answer: 'No', reason: 'Nobody approves its actions', weight: 3 },
    ]);
    expect(acting.recommendations).toEqual(['Add human approval for costly actions.']);
  });

  it('a multi answer reaches at most its riskiest option', () => {
    const all = area(miniScore('2, 3, 4', 'yes', 'yes', 'yes', 'adversarial', 'skip', '1'), 'autonomy_risk');
    // 3 + 4 + 3 chosen, clamped to the reach of 4; then -3 and -2.
    expect(all).toMatchObject({ total: -1, reachable: 9, level: 'low' });
    expect(all.drivers.map((driver) => driver.answer)).toEqual(['Spends money and makes purchases', 'Sends messages or emails', 'Runs code']);
  });

  it('answers to questions that no longer apply are ignored', () => {
    const review = new Driver(mini);
    review.replies(...INTRO);
    const actionsTs = review.nextTs;
    review.replies('runs code', 'no', 'no', 'yes', 'adversarial', 'skip', '1');
    expect(area(scoreReview(mini, review.state), 'autonomy_risk').level).toBe('high');
    review.send({ type: 'edit', messageTs: actionsTs, text: 'only suggests' });
    const score = scoreReview(mini, review.state);
    expect(review.state.answers.approval).toBeDefined();
    expect(area(score, 'autonomy_risk')).toMatchObject({ level: 'low', total: -1, reachable: 4, gates: [] });
  });
});

describe('open answers', () => {
  it('count as half their reach, never as safe, and are listed', () => {
    const review = new Driver(mini);
    review.replies(...INTRO, 'runs code', 'not sure', 'yes');
    review.send({ type: 'skip' }); // gaming
    review.replies('adversarial');
    review.send({ type: 'skip' }); // optional detail: left out, not open
    review.replies('trivial');
    const score = scoreReview(mini, review.state);
    expect(area(score, 'autonomy_risk')).toMatchObject({ total: 3 + 1.5 - 2, reachable: 9 });
    expect(area(score, 'autonomy_risk').drivers).toContainEqual({
      questionId: 'approval',
      answer: 'Not sure',
      reason: 'Open question: counted as half its risk until it is answered',
      weight: 1.5,
    });
    expect(score.openQuestions).toEqual([
      { questionId: 'approval', prompt: 'Does a person approve each action first?', reason: 'not_sure' },
      { questionId: 'gaming', prompt: 'Have you written down how the metric could be won while the mission is harmed?', reason: 'skipped' },
    ]);
    // Every question touching reward misspecification is open: not assessed, however risky it might be.
    expect(area(score, 'reward_misspecification')).toMatchObject({ level: 'not_assessed', total: 1.5, reachable: 3, recommendations: [] });
  });

  it('unanswered questions of a review finished early are open', () => {
    const review = new Driver(mini);
    review.replies(...INTRO, 'runs code');
    review.send({ type: 'finish' });
    const score = scoreReview(mini, review.state);
    expect(score.openQuestions.map((open) => [open.questionId, open.reason])).toEqual([
      ['approval', 'unanswered'],
      ['rollback', 'unanswered'],
      ['gaming', 'unanswered'],
      ['tested', 'unanswered'],
      ['severity', 'unanswered'],
    ]);
    expect(area(score, 'autonomy_risk')).toMatchObject({ total: 3 + 1.5 + 1, reachable: 9, level: 'high' });
    expect(area(score, 'inner_alignment').level).toBe('not_assessed');
  });

  it('a relevant suggestion adds one to the total and one to the reach of its area', () => {
    const review = new Driver(mini);
    review.replies(...INTRO);
    review.send({
      type: 'add_suggestions',
      suggestions: [
        { id: 's1', title: 'Closing unsolved tickets', why: 'Only closures count.', safeguard: 'Track reopens.', area: 'reward_misspecification', source: 'offline', afterQuestionId: 'metric' },
        { id: 's2', title: 'Rushing answers', why: 'Speed is all that counts.', safeguard: 'Cap speed.', area: 'over_optimization', source: 'model', afterQuestionId: 'metric' },
      ],
    });
    review.send({ type: 'verdict', suggestionId: 's1', relevant: true });
    review.send({ type: 'verdict', suggestionId: 's2', relevant: false });
    review.replies('only suggests');
    review.send({ type: 'skip' }); // gaming: open
    review.replies('adversarial', 'skip', 'trivial');
    const score = scoreReview(mini, review.state);
    // The suggestion is evidence of its own, so the area is assessed: (1.5 + 1) / (3 + 1).
    expect(area(score, 'reward_misspecification')).toMatchObject({ total: 2.5, reachable: 4, level: 'high' });
    expect(area(score, 'reward_misspecification').recommendations).toEqual(['Add a second metric, a cap and outcome monitoring.']);
    expect(area(score, 'over_optimization').level).toBe('not_assessed');
  });
});

describe('areas and overall level', () => {
  it('an area no question touched is not assessed', () => {
    const score = miniScore('only suggests', 'yes', 'adversarial', 'skip', '1');
    expect(area(score, 'instruction_mismatch')).toMatchObject({ level: 'not_assessed', total: 0, reachable: 0, recommendations: [] });
    expect(score).toMatchObject({ overall: 'I', overallLabel: 'Little impact', nextSteps: ['Record the review.'], impactPoints: 0 });
  });

  it('three or more high areas make level IV', () => {
    const score = miniScore('runs code', 'no', 'no', 'no', 'demo', '1');
    expect(['autonomy_risk', 'reward_misspecification', 'inner_alignment'].map((id) => area(score, id as AreaId).level)).toEqual(['high', 'high', 'high']);
    expect(score.overall).toBe('IV');
    expect(score.nextSteps).toEqual(['Do not deploy until the high areas are fixed.']);
  });

  it('one high area makes III, a medium one II', () => {
    expect(miniScore('only suggests', 'no', 'adversarial', 'skip', '1').overall).toBe('III');
    expect(miniScore('only suggests', 'yes', 'basic', '1').overall).toBe('II');
  });
});

describe('gates and impact', () => {
  const flow = flowFrom(`
id: gates
version: 1
title: Gates
description: Gates and impact.
impact: { raise_one_at: 2, raise_two_at: 4 }
questions:
  - id: logs
    kind: yesno
    prompt: Are its actions logged?
    yes: [{ area: autonomy_risk, weight: -1, safeguard: audit_logs }]
    no: [{ area: autonomy_risk, weight: 1 }]
  - id: scope
    kind: choice
    prompt: How wide are its permissions?
    options:
      - { id: narrow, label: Narrow, signals: [{ area: autonomy_risk, weight: 0 }] }
      - { id: wide, label: Wide, signals: [{ area: autonomy_risk, weight: 5 }] }
  - id: harm
    kind: choice
    prompt: Worst harm?
    options:
      - { id: none, label: None }
      - { id: money, label: Money, impact: 2 }
      - { id: health, label: Health, impact: 3 }
  - id: undo
    kind: yesno
    prompt: Can it be undone?
    no_impact: 1
gates:
  - { id: no-logs, area: autonomy_risk, floor: medium, reason: Nobody can see what it did., when: { question: logs, equals: "no" } }
  - { id: no-logs-review, area: instruction_mismatch, floor: low, reason: Nothing to review., when: { question: logs, equals: "no" } }
overall:
  I: { label: Little }
  II: { label: Moderate }
  III: { label: High }
  IV: { label: Very high }
`);
  const score = (...replies: string[]) => {
    const review = new Driver(flow);
    review.replies(...replies);
    return scoreReview(flow, review.state);
  };

  it('a gate that holds raises its area to its floor, and says why', () => {
    const result = score('no', 'narrow', 'none', 'yes');
    // 1 of 6 would be low; the gate makes it medium.
    expect(area(result, 'autonomy_risk')).toMatchObject({
      total: 1,
      reachable: 6,
      level: 'medium',
      gates: [{ id: 'no-logs', floor: 'medium', reason: 'Nobody can see what it did.' }],
    });
    // An area nothing assessed takes the floor too.
    expect(area(result, 'instruction_mismatch').level).toBe('low');
    expect(result.overall).toBe('II');
    expect(area(score('yes', 'narrow', 'none', 'yes'), 'autonomy_risk')).toMatchObject({ level: 'low', gates: [] });
  });

  it('a gate never lowers a level', () => {
    expect(area(score('no', 'wide', 'none', 'yes'), 'autonomy_risk').level).toBe('high');
  });

  it('an open severity or irreversibility question counts half its highest impact, never none, and the score says so', () => {
    const review = new Driver(flow);
    review.replies('yes', 'narrow');
    review.send({ type: 'skip' }); // harm: up to 3
    review.replies('not sure'); // undo: up to 1
    const result = scoreReview(flow, review.state);
    expect(result).toMatchObject({ impactPoints: 1.5 + 0.5, overall: 'II' });
    expect(result.impactNote).toBe('2 of them for 2 open questions, counted at half their highest impact until answered (never as none)');
    expect(score('yes', 'narrow', 'none', 'yes').impactNote).toBeUndefined();
  });

  it('impact points raise the overall level by one, then two, up to IV', () => {
    expect(score('yes', 'narrow', 'none', 'yes')).toMatchObject({ overall: 'I', impactPoints: 0 });
    expect(score('yes', 'narrow', 'money', 'yes')).toMatchObject({ overall: 'II', impactPoints: 2, overallLabel: 'Moderate' });
    expect(score('yes', 'narrow', 'health', 'no')).toMatchObject({ overall: 'III', impactPoints: 4 });
    expect(score('no', 'wide', 'health', 'no')).toMatchObject({ overall: 'IV', impactPoints: 4 });
  });
});

describe('an overall level from too little', () => {
  it('is not given when fewer than half of the areas reached were assessed, and the open questions are the next step', () => {
    // As seen in the playground: 3 of the quick check's 8 questions answered, then "finish".
    const review = new Driver(quickCheck, 'Bob');
    review.replies('Shoppers want the right product, fast', 'Click-through rate', 'written');
    review.send({ type: 'finish' });
    const score = scoreReview(quickCheck, review.state);
    expect(score.areas.filter((one) => one.level === 'not_assessed')).toHaveLength(5);
    expect(score.openQuestions).toHaveLength(5);
    expect(score.coverage).toEqual({ assessed: 2, assessable: 7, verdict: 'not_enough_answered' });
    expect(score.overallLabel).toBe('Not enough answered to assess (2 of 7 areas assessed)');
    // Not the flow's advice for the level ("… then deploy with monitoring").
    expect(score.nextSteps).toEqual(['Answer the 5 open questions before relying on an overall level.']);
  });

  it('is provisional when at least half, but not all, were assessed', () => {
    const review = new Driver(mini);
    review.replies(...INTRO, 'only suggests', 'yes', 'adversarial', 'None found');
    review.send({ type: 'skip' }); // severity: the only question on goal misalignment
    const score = scoreReview(mini, review.state);
    expect(area(score, 'goal_misalignment').level).toBe('not_assessed');
    expect(score.coverage).toEqual({ assessed: 3, assessable: 4, verdict: 'provisional' });
    expect(score).toMatchObject({
      overall: 'I',
      overallLabel: 'Little impact (provisional: 3 of 4 areas assessed)',
      nextSteps: ['Answer the open question to confirm this level.', 'Record the review.'],
    });
  });

  it('stands as the flow gives it when every area reached was assessed; areas no question reaches do not count', () => {
    const score = miniScore('only suggests', 'yes', 'adversarial', 'skip', '1');
    expect(area(score, 'instruction_mismatch').level).toBe('not_assessed');
    expect(score.coverage).toEqual({ assessed: 4, assessable: 4, verdict: 'complete' });
    expect(score).toMatchObject({ overallLabel: 'Little impact', nextSteps: ['Record the review.'] });
  });
});

describe('recommendations follow from the answers', () => {
  const reviewWithRelevantSuggestions = (gaming: string, relevant: number) => {
    const review = new Driver(quickCheck);
    review.replies('Shoppers want the right product, fast', 'Click-through rate');
    review.send({
      type: 'add_suggestions',
      suggestions: [1, 2, 3].map((n) => ({
        id: `s${n}`,
        title: `Way ${n}`,
        why: 'Clicks are not purchases.',
        safeguard: 'Watch returns.',
        area: 'reward_misspecification' as const,
        source: 'offline' as const,
        afterQuestionId: 'metric',
      })),
    });
    for (let n = 1; n <= relevant; n++) review.send({ type: 'verdict', suggestionId: `s${n}`, relevant: true });
    review.replies(gaming, '2', '1', '1', '1', '1');
    return area(scoreReview(quickCheck, review.state), 'reward_misspecification');
  };

  it('an answer that already has the safeguard is not told to add it, though relevant suggestions raise the level', () => {
    const guarded = reviewWithRelevantSuggestions('Yes, written down — and a second signal watches for it', 3);
    expect(guarded).toMatchObject({ level: 'high', total: 3, reachable: 6, safeguardsMissing: [] });
    expect(guarded.recommendations).toEqual(['Re-check how the metric could be gamed whenever it changes.']);
  });

  it('the advice is that of the level the answers reach', () => {
    const written = reviewWithRelevantSuggestions('Written down, but nothing watches for it yet', 2);
    expect(written).toMatchObject({ level: 'high', total: 3, reachable: 5 });
    expect(written.recommendations).toEqual(['Add outcome monitoring that watches for the ways you wrote down.']);
    expect(reviewWithRelevantSuggestions('not_considered', 0).recommendations).toEqual([
      'Write down how the metric could be won while the goal is harmed, and add a second signal that catches it.',
      'Run the full alignment review before launch.',
    ]);
  });
});
