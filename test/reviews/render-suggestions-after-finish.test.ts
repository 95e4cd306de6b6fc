/**
 * What the steps of a metric edited after the review finished render: the
 * edit updates the cards and starts the suggestions job for the edited
 * metric; the result posts the new card in the thread, turns the earlier one
 * into a card for the metric as it was, and updates the summary card and the
 * leads' card (where the step knows the leads' channel), which now count the
 * new card. Nothing is asked: the review stays finished.
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
import { proxyFailureCard } from '../support/proxy-failure-card.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const placement = { teamId: 'T0001', channelId: 'C0REVIEWS', threadTs: '1700000000.000100' };
const LEADS = 'C0LEADS';
const TICKETS = 'Ticket volume reduction: fewer tickets reaching human agents.';
const CLICKS = 'Click-through rate from the help article to the contact form.';
const METRIC_TS = '1700000002.000100';

let clock = 0;
function at(): string {
  clock += 1;
  return new Date(Date.UTC(2024, 0, 1, 0, 0, clock)).toISOString();
}

function apply(state: ReviewState, input: Record<string, unknown>): { step: Step; ops: OutboxOpInput[] } {
  const step = applyInput(flow, state, { by: 'U0ALICE', ...input, at: at() } as ReviewInput);
  const ops = renderStep({ flow, placement, before: state, step, actor: step.state.history.at(-1)?.by, inputType: input.type as ReviewInput['type'], leadsChannel: LEADS, threadLink: 'https://example.test/thread', modelConfigured: false });
  return { step, ops };
}

function suggestions(forText: string, batch: string, titles: string[]): Record<string, unknown> {
  return { type: 'add_suggestions', by: 'bot', suggestions: proxyFailureCard(forText, batch, titles, () => 'Why it could happen.') };
}

function shape(ops: OutboxOpInput[]): string[] {
  return ops.map((op) => `${op.op}${'ref' in op && op.ref ? ` ${op.ref}` : ''}${op.op === 'job' ? ` ${op.job}` : ''}`);
}

function textOf(op: OutboxOpInput | undefined): string {
  return JSON.stringify(op && 'blocks' in op ? op.blocks : []);
}

/** The quick check through the metric, its card in, then finished early. */
function finished(): ReviewState {
  let state = startReview(flow, { id: 'RAFTER01', systemName: 'Support bot', startedBy: 'U0ALICE', at: at() }).state;
  state = apply(state, { type: 'reply', text: 'Customers want their problem solved quickly.', messageTs: '1700000001.000100' }).step.state;
  state = apply(state, { type: 'reply', text: TICKETS, messageTs: METRIC_TS }).step.state;
  state = apply(state, suggestions(TICKETS, 'one', ['Tickets closed unsolved'])).step.state;
  return apply(state, { type: 'finish' }).step.state;
}

describe('the metric edited after the review finished', () => {
  it('updates the cards, then starts the suggestions job for the edited metric', () => {
    const { ops } = apply(finished(), { type: 'edit', messageTs: METRIC_TS, text: CLICKS });
    expect(shape(ops)).toEqual(['update q:metric', 'post', 'update summary', 'update leads', 'job proxy-failures']);
    expect(ops.at(-1)).toMatchObject({ afterQuestionId: 'metric', forAnswer: answerFingerprint({ kind: 'text', text: CLICKS }) });
  });

  it('its result: the new card in the thread, the earlier card for the metric as it was, and the summary and leads’ cards updated', () => {
    const edited = apply(finished(), { type: 'edit', messageTs: METRIC_TS, text: CLICKS }).step.state;
    const { step, ops } = apply(edited, suggestions(CLICKS, 'two', ['Clicks bought with bait']));
    expect(step.state.status).toBe('completed');
    expect(shape(ops)).toEqual(['post sugg:metric:two', 'update sugg:metric:one', 'update summary', 'update leads']);
    expect(textOf(ops[0])).toContain('How the edited metric could be won');
    expect(textOf(ops[0])).toContain('ar_suggestion_relevant');
    expect(textOf(ops[1])).toContain(REPLACED_NOTE);
    expect(textOf(ops[1])).not.toContain('ar_suggestion_relevant');
  });
});
