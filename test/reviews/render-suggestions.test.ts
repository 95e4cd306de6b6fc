/**
 * What the steps around proxy-failure suggestions render: the question after
 * the metric held behind the job, a job again for an edited metric, a late
 * result for the metric as it was refused, and one card per run.
 */
import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import { answerFingerprint, OUTDATED_VERDICT_MESSAGE } from '../../src/engine/review-additions.js';
import type { ReviewInput, ReviewState, Step } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import type { OutboxOpInput } from '../../src/reviews/outbox-ops.js';
import { renderStep } from '../../src/reviews/render-step.js';
import { MADE_FOR_METRIC_MAX, REPLACED_NOTE, REPLACED_NOTE_END } from '../../src/slack/blocks/suggestions.js';
import { REPO_ROOT } from '../support/app-process.js';
import { proxyFailureCard } from '../support/proxy-failure-card.js';

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
  return { type: 'add_suggestions', by: 'bot', suggestions: proxyFailureCard(forText, batch, titles, () => 'Why it could happen.') } as Omit<ReviewInput, 'at'>;
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

  it('gets a card of its own, saying it is for the edited metric; the earlier card names its metric, keeps its verdicts and loses its buttons', () => {
    const { step } = metricAnswered();
    const first = apply(step.state, suggestionsInput(TICKETS, 'one', ['Tickets closed unsolved', 'Customers give up']));
    expect(shape(first.ops).slice(0, 1)).toEqual(['post sugg:metric:one']);
    const marked = apply(first.step.state, { type: 'verdict', suggestionId: 'one1', relevant: true, by: 'U0BOB' } as ReviewInput).step.state;
    const edited = apply(marked, { type: 'edit', messageTs: METRIC_TS, text: CLICKS, by: 'U0ALICE' } as ReviewInput).step.state;
    const second = apply(edited, suggestionsInput(CLICKS, 'two', ['Clicks bought with bait']));
    const [card, earlier] = second.ops as unknown as { op: string; ref: string; blocks: Block[] }[];
    expect([card!.op, card!.ref]).toEqual(['post', 'sugg:metric:two']);
    expect(JSON.stringify(card!.blocks)).toContain('How the edited metric could be won');
    expect(JSON.stringify(card!.blocks)).not.toContain('Tickets closed unsolved');
    expect(card!.blocks.filter((block) => block.type === 'actions')).toHaveLength(1);
    expect(JSON.stringify(card!.blocks)).not.toContain(REPLACED_NOTE.slice(1, -1));

    expect([earlier!.op, earlier!.ref]).toEqual(['update', 'sugg:metric:one']);
    expect(noteOf(earlier!.blocks)).toEqual([
      { type: 'mrkdwn', text: REPLACED_NOTE },
      { type: 'plain_text', text: `“${TICKETS}”`, emoji: false },
      { type: 'mrkdwn', text: REPLACED_NOTE_END },
    ]);
    expect(REPLACED_NOTE_END).toContain('no longer count');
    expect(JSON.stringify(earlier!.blocks)).toContain('Relevant — <@U0BOB>');
    expect(JSON.stringify(earlier!.blocks)).not.toContain('Mark each one relevant');
    expect(earlier!.blocks.filter((block) => block.type === 'actions')).toEqual([]);
  });

  it('a click on the earlier card is refused, with why, to the clicker only; one on the new card updates only that card', () => {
    const { step } = metricAnswered();
    const first = apply(step.state, suggestionsInput(TICKETS, 'one', ['Tickets closed unsolved', 'Customers give up'])).step.state;
    const edited = apply(first, { type: 'edit', messageTs: METRIC_TS, text: CLICKS, by: 'U0ALICE' } as ReviewInput).step.state;
    const state = apply(edited, suggestionsInput(CLICKS, 'two', ['Customers give up'])).step.state;

    const old = apply(state, { type: 'verdict', suggestionId: 'one1', relevant: true, by: 'U0BOB' } as ReviewInput);
    expect(old.step.changed).toBe(false);
    expect(old.ops).toEqual([{ op: 'ephemeral', user: 'U0BOB', text: expect.stringContaining(OUTDATED_VERDICT_MESSAGE.slice(0, 40)) }]);

    const fresh = apply(state, { type: 'verdict', suggestionId: 'two0', relevant: true, by: 'U0BOB' } as ReviewInput);
    const updates = (fresh.ops as { op: string; ref?: string }[]).filter((op) => op.ref?.startsWith('sugg:'));
    expect(updates.map((op) => `${op.op} ${op.ref}`)).toEqual(['update sugg:metric:two']);
  });

  it('quotes the earlier metric as plain text that cannot mention, link or format, cut to a sensible length', () => {
    const hostile = `<!channel> <@U0EVE> *loud* _tilted_ <https://evil.example|click> ${'ticket volume '.repeat(30)}`.trim();
    const { step } = metricAnswered();
    const edited0 = apply(step.state, { type: 'edit', messageTs: METRIC_TS, text: hostile, by: 'U0ALICE' } as ReviewInput).step.state;
    const first = apply(edited0, suggestionsInput(hostile, 'one', ['Tickets closed unsolved'])).step.state;
    const edited = apply(first, { type: 'edit', messageTs: METRIC_TS, text: CLICKS, by: 'U0ALICE' } as ReviewInput).step.state;
    const ops = apply(edited, suggestionsInput(CLICKS, 'two', ['Clicks bought with bait'])).ops as unknown as { op: string; ref: string; blocks: Block[] }[];
    const earlier = ops.find((op) => op.op === 'update' && op.ref === 'sugg:metric:one');
    const quote = noteOf(earlier!.blocks).find((element) => element.type === 'plain_text')!;
    expect(quote.emoji).toBe(false);
    expect(quote.text.length).toBeLessThanOrEqual(MADE_FOR_METRIC_MAX + 2);
    expect(quote.text.endsWith('…”')).toBe(true);
    expect(quote.text).not.toMatch(/<[!@#]|<https?:/);
    expect(quote.text).toContain('*loud*');
    // Nothing of the metric reaches the card as mrkdwn.
    for (const element of noteOf(earlier!.blocks).filter((item) => item.type === 'mrkdwn')) expect(element.text).not.toContain('loud');
  });

  it('a card stored before cards had batches names the metric that stood when it was made', () => {
    const { step } = metricAnswered();
    const legacy = suggestionsInput(TICKETS, 'x', ['Tickets closed unsolved']) as unknown as { suggestions: Record<string, unknown>[] };
    for (const item of legacy.suggestions) {
      delete item.forAnswer;
      delete item.batch;
    }
    const first = apply(step.state, legacy as never).step.state;
    const edited = apply(first, { type: 'edit', messageTs: METRIC_TS, text: CLICKS, by: 'U0ALICE' } as ReviewInput).step.state;
    const [, earlier] = apply(edited, suggestionsInput(CLICKS, 'two', ['Clicks bought with bait'])).ops as unknown as { ref: string; blocks: Block[] }[];
    expect(earlier!.ref).toBe('sugg:metric');
    expect(noteOf(earlier!.blocks)[1]).toEqual({ type: 'plain_text', text: `“${TICKETS}”`, emoji: false });
  });
});

interface Block {
  type: string;
  elements?: { type: string; text: string; emoji?: boolean }[];
}

/** The note on a replaced card: the context block that starts with REPLACED_NOTE. */
function noteOf(blocks: Block[]): { type: string; text: string; emoji?: boolean }[] {
  return blocks.find((block) => block.type === 'context' && block.elements?.[0]?.text === REPLACED_NOTE)?.elements ?? [];
}
