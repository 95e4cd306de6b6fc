import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyInput, buildSummary, currentQuestion, parseFlow, startReview, summaryToMarkdown } from '../../src/engine/index.js';
import { loadFlows } from '../../src/flows/load.js';
import { leadsCardMessage, summaryCardMessages } from '../../src/slack/blocks/summary-card.js';
import { LIMITS } from '../../src/slack/blocks/text.js';

const { flows } = loadFlows({ builtinDir: 'flows' });

function finishedReview(textFor: (index: number) => string, flowId = 'alignment-review') {
  const flow = flows.get(flowId)!;
  let step = startReview(flow, { id: 'RTEST0001', systemName: 'Card system', startedBy: 'U1', at: '2026-01-01T00:00:00.000Z' });
  for (let index = 0; index < 80 && step.state.status === 'active'; index++) {
    const question = currentQuestion(flow, step.state)!;
    const text = question.kind === 'text' ? textFor(index).slice(0, question.maxLength) : question.kind === 'multi' ? '2, 3' : '2';
    step = applyInput(flow, step.state, { type: 'reply', text, by: `U${index % 3}`, at: '2026-01-01T00:01:00.000Z', messageTs: `1700000000.${String(index).padStart(6, '0')}` });
  }
  expect(step.state.status).toBe('completed');
  return buildSummary(flow, step.state);
}

function textOf(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}

describe('the summary card', () => {
  it('shows the goal against the objective, every area, and the buttons', () => {
    const summary = finishedReview((index) => `Short answer ${index}`);
    const [card, ...rest] = summaryCardMessages(summary);
    expect(rest).toHaveLength(0);
    const text = textOf(card!.blocks);
    expect(text).toContain('Human goal');
    expect(text).toContain('System objective');
    for (const label of ['Instruction mismatch', 'Reward misspecification', 'Goal misalignment', 'Value complexity', 'Inner alignment', 'Over-optimization', 'Autonomy risk']) {
      expect(text).toContain(label);
    }
    expect(text).toContain('ar_sign_off');
    expect(text).toContain('ar_export');
  });

  it('gives no level when too little was answered to assess, on the card, the leads’ card and the Markdown', () => {
    const flow = flows.get('quick-check')!;
    let step = startReview(flow, { id: 'RTEST0002', systemName: 'Barely answered', startedBy: 'U1', at: '2026-01-01T00:00:00.000Z' });
    step = applyInput(flow, step.state, { type: 'reply', text: 'Screen applicants fairly and quickly', by: 'U1', at: '2026-01-01T00:01:00.000Z', messageTs: '1700000000.000001' });
    step = applyInput(flow, step.state, { type: 'finish', by: 'U1', at: '2026-01-01T00:02:00.000Z' });
    const summary = buildSummary(flow, step.state);
    expect(summary.score.coverage?.verdict).toBe('not_enough_answered');
    const card = textOf(summaryCardMessages(summary)[0]!.blocks);
    expect(card).toContain('*Overall:* Not enough answered to assess');
    expect(card).not.toMatch(/Overall: Level/);
    const leads = leadsCardMessage(summary, 'https://example.slack.com/archives/C1/p1');
    expect(leads.text).toContain('Not enough answered to assess');
    expect(leads.text).not.toContain('Level');
    expect(summaryToMarkdown(summary)).toMatch(/Overall: Not enough answered to assess/);
  });

  it('continues in more messages when the answers are long, each within Slack’s limits', () => {
    const summary = finishedReview((index) => `Answer ${index} ` + 'a long and careful explanation of the goal; '.repeat(80));
    summary.proxyMetrics = Array.from({ length: 8 }, (_, index) => `metric ${index} ` + 'x'.repeat(2000));
    summary.score.openQuestions = Array.from({ length: 40 }, (_, index) => ({ questionId: `q${index}`, prompt: 'An open question that was skipped. '.repeat(8), reason: 'skipped' as const }));
    const messages = summaryCardMessages(summary);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
      expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(12_000);
      for (const block of message.blocks as { type: string; text?: { text: string } }[]) {
        if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
        if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(LIMITS.headerText);
      }
    }
    // The buttons sit on the last message.
    expect(textOf(messages.at(-1)!.blocks)).toContain('ar_sign_off');
    expect(messages[1]!.text).toContain('continued');
  });

  it('leaves out a headline the flow never asks for, rather than saying it was not given', () => {
    const summary = finishedReview((index) => `Short answer ${index}`, 'quick-check');
    expect(summary.objective).toBeUndefined();
    const text = textOf(summaryCardMessages(summary).flatMap((message) => message.blocks));
    expect(text).toContain('*Human goal:* Short answer 0');
    expect(text).not.toContain('System objective');
    expect(text).not.toContain('not given');
  });

  it('the leads’ card counts open questions in words that agree with the number', () => {
    const summary = finishedReview((index) => `Answer ${index} about the goal of the system`);
    const open = (count: number) => Array.from({ length: count }, (_, index) => ({ questionId: `q${index}`, prompt: `Open ${index}`, reason: 'skipped' as const }));
    summary.score.openQuestions = open(1);
    expect(textOf(leadsCardMessage(summary, undefined).blocks)).toContain('\\n1 open question');
    expect(textOf(leadsCardMessage(summary, undefined).blocks)).not.toMatch(/question\(s\)|1 open questions/);
    summary.score.openQuestions = open(2);
    expect(textOf(leadsCardMessage(summary, undefined).blocks)).toContain('\\n2 open questions');
  });

  it('the leads’ card links to the thread and stays small', () => {
    const summary = finishedReview((index) => `Answer ${index} about the goal of the system`);
    const card = leadsCardMessage(summary, 'https://example.slack.com/archives/C1/p1700000000000100');
    expect(card.blocks.length).toBeLessThanOrEqual(6);
    expect(textOf(card.blocks)).toContain('<https://example.slack.com/archives/C1/p1700000000000100|Open the review thread>');
    expect(textOf(card.blocks)).toContain(`Level ${summary.score.overall}`);
  });
});

describe('the cards after a product walk-through', () => {
  const walkthrough = parseFlow(readFileSync(fileURLToPath(new URL('../engine/fixtures/walkthrough.yaml', import.meta.url)), 'utf8'), 'fixtures/walkthrough.yaml');

  /** The walk-through's review: replies in the order asked, then finished (early, when replies run out first). */
  function walkthroughSummary(...replies: string[]) {
    let step = startReview(walkthrough, { id: 'RWALK0001', systemName: 'Walk-through', startedBy: 'U1', at: '2026-01-01T00:00:00.000Z' });
    replies.forEach((text, index) => {
      step = applyInput(walkthrough, step.state, { type: 'reply', text, by: 'U1', at: '2026-01-01T00:01:00.000Z', messageTs: `1700000000.${String(index).padStart(6, '0')}` });
    });
    if (step.state.status === 'active') step = applyInput(walkthrough, step.state, { type: 'finish', by: 'U1', at: '2026-01-01T00:02:00.000Z' });
    return buildSummary(walkthrough, step.state);
  }

  it('an area not assessed lists no missing safeguards, but how many questions on it were left open', () => {
    // "It ranks people; a person decides" touches goal misalignment without being able to raise it.
    const card = textOf(summaryCardMessages(walkthroughSummary('ranks', 'rights_health', 'hardly', 'no', 'fixed_input', 'suggests')).flatMap((message) => message.blocks));
    expect(card).toContain(':white_circle: not assessed — *Goal misalignment* · 2 questions on it were left open');
    expect(card).not.toMatch(/Goal misalignment\* · missing/);
    expect(card).not.toContain('Goal misalignment: recommended');
    // The area it did assess lists what is missing, without the clarifying questions fixed inputs make unnecessary.
    expect(card).toContain(':large_orange_circle: *medium* — *Instruction mismatch* · missing: Context, Examples\\n');
  });

  it('says in one line why the level is above what the areas give, on the thread card and the leads’ card', () => {
    // Decides about people alone (value complexity high: III), harm severe and hard to undo: 4 impact points, 3 raise one level.
    const summary = walkthroughSummary('alone', 'rights_health', 'hardly', 'yes', 'asks', 'suggests', 'yes', 'yes');
    expect(summary.score.overall).toBe('IV');
    const line = "_Raised one level (III → IV): the answers put the harm's severity and irreversibility at 4 impact points (3 raise one level) — “Harm to someone's health, rights…” +2, “Hardly — a missed job, a denied…” +2_";
    const [card] = summaryCardMessages(summary);
    const overall = (card!.blocks[1] as { text: { text: string } }).text.text;
    expect(overall.split('\n').slice(0, 2)).toEqual(['*Overall: Level IV* — Very high impact', line]);
    const leads = (leadsCardMessage(summary, undefined).blocks[0] as { text: { text: string } }).text.text;
    expect(leads).toContain(`*Overall: Level IV* — Very high impact · 1 high · 3 low · 3 not covered by this flow\n${line}`);
  });

  it('has no such line when the areas alone give the level', () => {
    const summary = walkthroughSummary('alone', 'rights_health', 'easily', 'yes', 'asks', 'suggests', 'yes', 'yes');
    expect(summary.score.overall).toBe('III');
    expect(textOf(summaryCardMessages(summary)[0]!.blocks)).not.toContain('Raised');
    expect(textOf(leadsCardMessage(summary, undefined).blocks)).not.toContain('Raised');
  });
});
