/**
 * What the steps around proxy-failure suggestions render: the question after
 * the metric held behind the job, a job again for an edited metric, a late
 * result for the metric as it was refused, and one card per run.
 */
import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import { answerFingerprint } from '../../src/engine/review-additions.js';
import type { ReviewInput, ReviewState, Step } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import type { OutboxOpInput } from '../../src/reviews/outbox-ops.js';
import { renderStep } from '../../src/reviews/render-step.js';
import { REPLACED_NOTE } from '../../src/slack/blocks/suggestions.js';
import { REPO_ROOT } from '../support/app-process.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const placement = { teamId: 'T0001', channelId: 'C0REVIEWS', threadTs: '1700000000.000100' };
const TICKETS = 'Ticket volume reduction: fewer tickets reaching human agents.';
const CLICKS = 'Click-through rate from the help article to the contact form.';
const METRIC_TS = '1700000002.000100';

let clock = 0;
function at(): string {
  clock += 1;
  return new Date(Date.UTC(2024, 0, 1, 0, 0, clock)).toISOString();
}

function render(before: ReviewState, step: Step, actor = 'U0ALICE'): OutboxOpInput[] {
  return renderStep({ flow, placement, before, step, actor, modelConfigured: false });
}

function apply(state: ReviewState, input: Omit<ReviewInput, 'at'>): { step: Step; ops: OutboxOpInput[] } {
  const step = applyInput(flow, state, { ...input, at: at() } as ReviewInput);
  return { step, ops: render(state, step, input.by) };
}

/** A quick-check review with its human goal and its metric answered. */
function metricAnswered(): { before: ReviewState; step: Step; ops: OutboxOpInput[] } {
  const started = startReview(flow, { id: 'RSUGG001', systemName: 'Support bot', startedBy: 'U0ALICE', at: at() }).state;
  const goal = applyInput(flow, started, { type: 'reply', text: 'Customers want their problem solved quickly.', messageTs: '1700000001.000100', by: 'U0ALICE', at: at() }).state;
  const { step, ops } = apply(goal, { type: 'reply', text: TICKETS, messageTs: METRIC_TS, by: 'U0ALICE' } as ReviewInput);
  return { before: goal, step, ops };
}

function suggestionsInput(forText: string, batch: string, titles: string[]): Omit<ReviewInput, 'at'> {
  return {
    type: 'add_suggestions',
    by: 'bot',
    suggestions: titles.map((title, index) => ({
      id: `${batch}${index}`,
      title,
      why: 'Why it could happen.',
      safeguard: 'What watches for it.',
      area: 'over_optimization',
      source: 'offline',
      afterQuestionId: 'metric',
      forAnswer: answerFingerprint({ kind: 'text', text: forText }),
      batch,
    })),
  } as Omit<ReviewInput, 'at'>;
}

function shape(ops: OutboxOpInput[]): string[] {
  return ops.map((op) => `${op.op}${'ref' in op && op.ref ? ` ${op.ref}` : ''}${op.op === 'job' ? ` ${op.job}` : ''}`);
}

describe('the metric answered', () => {
  it('holds the next question behind the suggestions job, which names the answer it is for', () => {
    const { step, ops } = metricAnswered();
    expect(shape(ops)).toEqual(['update q:metric', 'job proxy-failures', 'post_after_job q:gaming']);
    expect(ops[1]).toMatchObject({ afterQuestionId: 'metric', forAnswer: answerFingerprint(step.state.answers.metric!.value) });
  });
});

describe('the metric edited', () => {
  it('starts the suggestions job again, for the edited answer', () => {
    const { step } = metricAnswered();
    const edit = apply(step.state, { type: 'edit', messageTs: METRIC_TS, text: CLICKS, by: 'U0ALICE' } as ReviewInput);
    const job = edit.ops.find((op) => op.op === 'job');
    expect(job).toMatchObject({ job: 'proxy-failures', afterQuestionId: 'metric', forAnswer: answerFingerprint({ kind: 'text', text: CLICKS }) });
  });

  it('refuses a late result made for the metric as it was, and a second result for the edited one', () => {
    const { step } = metricAnswered();
    const edited = apply(step.state, { type: 'edit', messageTs: METRIC_TS, text: CLICKS, by: 'U0ALICE' } as ReviewInput).step.state;
    const late = apply(edited, suggestionsInput(TICKETS, 'old', ['Tickets closed unsolved']));
    expect(late.step.changed).toBe(false);
    expect(late.ops).toEqual([]);
    const fresh = apply(edited, suggestionsInput(CLICKS, 'new', ['Clicks bought with bait'])).step.state;
    expect(fresh.suggestions.map((item) => item.title)).toEqual(['Clicks bought with bait']);
    expect(apply(fresh, suggestionsInput(CLICKS, 'again', ['Clicks bought twice'])).step.changed).toBe(false);
  });

  it('gets a card of its own, saying it is for the edited metric; verdicts on the earlier card update only that card', () => {
    const { step } = metricAnswered();
    const first = apply(step.state, suggestionsInput(TICKETS, 'one', ['Tickets closed unsolved', 'Customers give up']));
    expect(shape(first.ops).slice(0, 1)).toEqual(['post sugg:metric:one']);
    const edited = apply(first.step.state, { type: 'edit', messageTs: METRIC_TS, text: CLICKS, by: 'U0ALICE' } as ReviewInput).step.state;
    const second = apply(edited, suggestionsInput(CLICKS, 'two', ['Clicks bought with bait']));
    const [card, earlier] = second.ops as { op: string; ref: string; blocks: unknown[] }[];
    expect([card!.op, card!.ref]).toEqual(['post', 'sugg:metric:two']);
    expect(JSON.stringify(card!.blocks)).toContain('How the edited metric could be won');
    expect(JSON.stringify(card!.blocks)).not.toContain('Tickets closed unsolved');
    expect([earlier!.op, earlier!.ref]).toEqual(['update', 'sugg:metric:one']);
    expect(JSON.stringify(earlier!.blocks)).toContain(JSON.stringify(REPLACED_NOTE).slice(1, -1));

    const verdict = apply(second.step.state, { type: 'verdict', suggestionId: 'one1', relevant: true, by: 'U0BOB' } as ReviewInput);
    const [update] = verdict.ops as { op: string; ref: string; blocks: unknown[] }[];
    expect([update!.op, update!.ref]).toEqual(['update', 'sugg:metric:one']);
    expect(JSON.stringify(update!.blocks)).toContain('Customers give up');
    expect(JSON.stringify(update!.blocks)).not.toContain('Clicks bought with bait');
  });
});
