import { describe, expect, it } from 'vitest';
import { summaryToMarkdown, tableCell } from '../../src/engine/markdown.js';
import { buildSummary } from '../../src/engine/summary.js';
import { Driver, loadFixture } from './helpers.js';

const flow = loadFixture('mini.yaml');

/** A finished review with two people, a suggestion, a red-team scenario and a decision. */
function finishedReview(): Driver {
  const review = new Driver(flow, 'U1');
  review.reply('Drafts | sends replies\nto customers', 'U2');
  review.reply('Quick, correct answers', 'U1');
  review.reply('Fewest minutes per ticket', 'U2');
  review.reply('Tickets closed per hour', 'U2');
  review.send({
    type: 'add_questions',
    afterQuestionId: 'metric',
    questions: [{ id: 'clarify-1', prompt: 'Per agent or per team?' }],
  });
  review.reply('Per team', 'U3');
  review.send({
    type: 'add_suggestions',
    suggestions: [
      { id: 's1', title: 'Closing unsolved tickets', why: 'Only closures count.', safeguard: 'Track reopen rate.', area: 'reward_misspecification', source: 'offline', reference: 'The article', afterQuestionId: 'metric' },
      { id: 's2', title: 'Ignored', why: 'Not relevant.', safeguard: 'None.', area: 'over_optimization', source: 'model', afterQuestionId: 'metric' },
    ],
  });
  review.send({ type: 'verdict', suggestionId: 's1', relevant: true }, 'U4');
  review.send({ type: 'verdict', suggestionId: 's2', relevant: false }, 'U2');
  review.reply('runs code, email', 'U2');
  review.reply('no', 'U2');
  review.reply('not sure', 'U2');
  review.send({ type: 'skip' }, 'U2');
  review.reply('demo', 'U2');
  review.reply('serious', 'U2');
  review.send({ type: 'add_redteam', scenarios: [{ kind: 'harmful_shortcut', scenario: 'Closes a ticket | without answering.' }] });
  review.send({ type: 'decide', outcome: 'approved_with_conditions', conditions: 'Add approval for code runs.' }, 'LEAD');
  return review;
}

describe('buildSummary', () => {
  it('collects the headline answers, participants, answers, suggestions and red team', () => {
    const review = finishedReview();
    const summary = buildSummary(flow, review.state);
    expect(summary).toMatchObject({
      reviewId: 'R1',
      systemName: 'Test system',
      flowId: 'mini',
      flowVersion: 3,
      flowTitle: 'Mini review',
      status: 'completed',
      startedBy: 'U1',
      systemDescription: 'Drafts | sends replies\nto customers',
      humanGoal: 'Quick, correct answers',
      objective: 'Fewest minutes per ticket',
      proxyMetrics: ['Tickets closed per hour'],
      participants: ['U2', 'U1', 'U3', 'U4'],
      relevantSuggestions: [{ id: 's1' }],
      redTeam: [{ kind: 'harmful_shortcut' }],
      decision: { outcome: 'approved_with_conditions', by: 'LEAD' },
    });
    expect(summary.finishedAt).toBe(review.state.finishedAt);
    expect(summary.answers.map((answer) => [answer.questionId, answer.answer])).toEqual([
      ['system', 'Drafts | sends replies\nto customers'],
      ['goal', 'Quick, correct answers'],
      ['objective', 'Fewest minutes per ticket'],
      ['metric', 'Tickets closed per hour'],
      ['clarify-1', 'Per team'],
      ['actions', 'Sends messages or emails, Runs code'],
      ['approval', 'No'],
      ['rollback', 'Not sure'],
      ['gaming', '(skipped)'],
      ['tested', 'Only the demo'],
      ['severity', 'Serious'],
    ]);
    expect(summary.answers[4]).toMatchObject({ suggested: true, by: 'U3', prompt: 'Per agent or per team?' });
    expect(summary.answers[0]).toMatchObject({ section: 'Intent', by: 'U2', at: '2025-01-06T09:01:00.000Z' });
    expect(summary.score.overall).toBe('IV');
  });

  it('leaves out skipped headline answers and questions that do not apply', () => {
    const review = new Driver(flow);
    review.send({ type: 'skip' });
    review.replies('Quick answers', 'Fewest minutes', 'Tickets per hour', 'only suggests');
    const summary = buildSummary(flow, review.state);
    expect(summary.systemDescription).toBeUndefined();
    expect(summary.answers.map((answer) => answer.questionId)).toEqual(['system', 'goal', 'objective', 'metric', 'actions', 'gaming', 'tested', 'severity']);
    expect(summary.answers.at(-1)).toEqual({ questionId: 'severity', section: 'Practical', prompt: flow.questions.at(-1)!.prompt, answer: '(unanswered)' });
  });
});

describe('summaryToMarkdown', () => {
  const markdown = summaryToMarkdown(buildSummary(flow, finishedReview().state), { personName: (id) => `@${id.toLowerCase()}` });

  it('has every part of the report', () => {
    for (const heading of [
      '# Alignment review: Test system',
      '## The system',
      '## Human goal and encoded objective',
      '## Overall: Level IV — Very high impact',
      '## Risks by area',
      '## Open questions',
      '## Ways the metric could be won while the goal is harmed',
      '## Red-team scenarios',
      '## Decision',
      '## Questions and answers',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('- **Flow:** Mini review (`mini` v3)');
    expect(markdown).toContain('- **Participants:** @u2, @u1, @u3, @u4');
    expect(markdown).toContain('- Do not deploy until the high areas are fixed.');
    expect(markdown).toContain('**Approved with conditions** by @lead');
    expect(markdown).toContain('- Can its actions be rolled back? _(not sure)_');
    expect(markdown).toContain('- Have you written down how the metric could be won while the mission is harmed? _(skipped)_');
    expect(markdown).toContain('- **Closing unsolved tickets** — Only closures count.');
    expect(markdown).toContain('**Per agent or per team?** _(follow-up)_');
    expect(markdown).toMatch(/\*\*Per agent or per team\?\*\* _\(follow-up\)_\n\n> Per team\n\n_@u3, 2025-01-06 09:\d\d UTC_\n/);
  });

  it('puts each area in one table row with its level, reasons, missing safeguards and advice', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Area') && !line.startsWith('| **') && line !== '| | |');
    expect(rows).toHaveLength(7);
    const autonomy = rows.find((row) => row.startsWith('| Autonomy risk |'))!;
    expect(autonomy).toContain('| High |');
    // Rollback is "not sure", so the unchecked-actions gate does not hold; the open answer shows as a reason.
    expect(autonomy).not.toContain('Gate');
    expect(autonomy).toContain('Not sure — Open question: counted as half its risk until it is answered (+1)');
    expect(autonomy).toContain('Human approval, Rollback');
    expect(autonomy).toContain('Limit its permissions, require human approval and add rollback.');
    expect(rows.find((row) => row.startsWith('| Value complexity |'))).toBe('| Value complexity | Not covered by this flow | This flow asks no question that bears on it | — | — |');
  });

  it('names the gates that set a floor', () => {
    const review = new Driver(flow);
    review.replies('System', 'Quick answers', 'Fewest minutes', 'Tickets per hour', 'runs code', 'no', 'no');
    const text = summaryToMarkdown(buildSummary(flow, review.state));
    expect(text).toContain('| Autonomy risk | High | Gate (at least high): It can act on its own with neither approval nor rollback.<br>');
  });

  it('escapes pipes and line breaks in people’s text inside tables', () => {
    expect(markdown).toContain('| **What people actually want** | Quick, correct answers |');
    expect(tableCell('a | b\nc')).toBe('a \\| b<br>c');
    const piped = new Driver(flow);
    piped.replies('System', 'Fast | right\nanswers');
    expect(summaryToMarkdown(buildSummary(flow, piped.state))).toContain('| **What people actually want** | Fast \\| right<br>answers |');
  });

  it('leaves out a headline the flow never asks for, and the section when it asks for none', () => {
    const { human_goal, proxy_metrics } = flow.summary;
    const goalOnly = { ...flow, summary: { human_goal, proxy_metrics: [] } };
    const text = summaryToMarkdown(buildSummary(goalOnly, finishedReview().state));
    expect(text).toContain('| **What people actually want** | Quick, correct answers |');
    expect(text).not.toContain('What the system is told to optimize');
    expect(text).not.toContain('not given');
    const metricOnly = summaryToMarkdown(buildSummary({ ...flow, summary: { proxy_metrics } }, finishedReview().state));
    expect(metricOnly).toContain('## Human goal and encoded objective\n\n**Proxy metrics:**\n- Tickets closed per hour\n');
    expect(metricOnly).not.toContain('| | |');
    const none = summaryToMarkdown(buildSummary({ ...flow, summary: { proxy_metrics: [] } }, finishedReview().state));
    expect(none).not.toContain('## Human goal and encoded objective');
  });

  it('quotes multi-line answers whole', () => {
    expect(markdown).toContain('> Drafts | sends replies\n> to customers');
  });
});
