import { describe, expect, it } from 'vitest';
import { applyInput, buildSummary, currentQuestion, startReview, summaryToMarkdown } from '../../src/engine/index.js';
import { loadFlows } from '../../src/flows/load.js';
import { leadsCardMessage, summaryCardMessages } from '../../src/slack/blocks/summary-card.js';
import { LIMITS } from '../../src/slack/blocks/text.js';

const { flows } = loadFlows({ builtinDir: 'flows' });

function finishedReview(textFor: (index: number) => string, flowId = 'alignment-review') {
  const flow = flows.get(flowId)!;
  let step = startReview(flow, { id: 'RTEST0001', systemName: 'Card system', startedBy: 'U1', at: '2026-01-01T00:00:00.000Z' });
  for (let index = 0; index < 80 && step.state.status === 'active'; index++) {
    const question = currentQuestion(flow, step.state)!;
    const text = question.kind === 'text' ? textFor(index).slice(0, question.maxLength) : question.kind === 'multi' ? '1, 2, 3' : '2';
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
