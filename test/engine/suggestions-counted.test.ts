/**
 * Which proxy-failure suggestions count once the metric is edited. One rule:
 * the card made for the metric as it stands counts for the summary, the
 * score and the exports; verdicts on a card made for an earlier metric no
 * longer count (and are no longer taken); a failure on several cards (same
 * title) is never counted twice. Reviews stored before cards had batches
 * (no `batch` / `forAnswer`) count as they always did.
 */
import { describe, expect, it } from 'vitest';
import { applyInput, buildSummary, startReview } from '../../src/engine/index.js';
import { summaryToMarkdown } from '../../src/engine/markdown.js';
import { answerFingerprint, countedSuggestions, OUTDATED_VERDICT_MESSAGE } from '../../src/engine/review-additions.js';
import type { ReviewInput, ReviewState, Suggestion } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { REPO_ROOT } from '../support/app-process.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const TICKETS = 'Ticket volume reduction: fewer tickets reaching human agents.';
const CLICKS = 'Click-through rate from the help article to the contact form.';
const METRIC_TS = '1700000002.000100';
const SHARED = 'Customers give up before they are helped';

let clock = 0;
function at(): string {
  clock += 1;
  return new Date(Date.UTC(2024, 0, 1, 0, 0, clock)).toISOString();
}

function apply(state: ReviewState, input: Record<string, unknown>): ReviewState {
  return applyInput(flow, state, { by: 'U0ALICE', ...input, at: at() } as ReviewInput).state;
}

function metricAnswered(metric = TICKETS): ReviewState {
  const started = startReview(flow, { id: 'RCOUNT01', systemName: 'Support bot', startedBy: 'U0ALICE', at: at() }).state;
  const goal = apply(started, { type: 'reply', text: 'Customers want their problem solved quickly.', messageTs: '1700000001.000100' });
  return apply(goal, { type: 'reply', text: metric, messageTs: METRIC_TS });
}

type Made = Omit<Suggestion, 'verdict'>;

function card(forText: string | undefined, batch: string | undefined, titles: string[], afterQuestionId = 'metric'): Made[] {
  return titles.map((title, index) => ({
    id: `${batch ?? 'legacy'}${afterQuestionId}${index}`,
    title,
    why: `Why ${title} could happen.`,
    safeguard: 'What watches for it.',
    area: 'over_optimization',
    source: 'offline',
    afterQuestionId,
    ...(forText === undefined ? {} : { forAnswer: answerFingerprint({ kind: 'text', text: forText }) }),
    ...(batch === undefined ? {} : { batch }),
  }));
}

function add(state: ReviewState, suggestions: Made[]): ReviewState {
  const next = applyInput(flow, state, { type: 'add_suggestions', suggestions, by: 'bot', at: at() } as ReviewInput);
  expect(next.changed).toBe(true);
  return next.state;
}

function mark(state: ReviewState, suggestionId: string, relevant: boolean, by = 'U0BOB'): ReviewState {
  return apply(state, { type: 'verdict', suggestionId, relevant, by });
}

function idOf(state: ReviewState, batch: string, title: string): string {
  return state.suggestions.find((item) => item.batch === batch && item.title === title)!.id;
}

function edit(state: ReviewState, text: string): ReviewState {
  return apply(state, { type: 'edit', messageTs: METRIC_TS, text });
}

/** Titles on the summary card's list, and how many times the score counts each as relevant. */
function counted(state: ReviewState): { listed: string[]; scored: string[] } {
  const summary = buildSummary(flow, state);
  const scored = summary.score.areas.flatMap((area) => area.drivers.filter((driver) => driver.reason?.startsWith('The team marked this as relevant')).map((driver) => driver.answer));
  return { listed: summary.relevantSuggestions.map((item) => item.title), scored };
}

/** The first card (tickets) with its verdicts, then the metric edited and the new card (clicks) added. */
function editedWithTwoCards(): ReviewState {
  let state = add(metricAnswered(), card(TICKETS, 'one', [SHARED, 'Tickets closed unsolved']));
  state = mark(state, idOf(state, 'one', SHARED), true);
  state = mark(state, idOf(state, 'one', 'Tickets closed unsolved'), true);
  state = edit(state, CLICKS);
  return add(state, card(CLICKS, 'two', [SHARED, 'Clicks bought with bait']));
}

describe('after the metric is edited', () => {
  it('a failure on both the earlier and the new card is listed and scored once', () => {
    let state = editedWithTwoCards();
    state = mark(state, idOf(state, 'two', SHARED), true, 'U0CAROL');
    const { listed, scored } = counted(state);
    expect(listed).toEqual([SHARED]);
    expect(scored).toEqual([SHARED]);
    expect(buildSummary(flow, state).relevantSuggestions[0]!.verdict).toMatchObject({ by: 'U0CAROL' });
    const markdown = summaryToMarkdown(buildSummary(flow, state));
    expect(markdown.split(`**${SHARED}**`)).toHaveLength(2);
  });

  it('a later "Not relevant" on the new card is what counts, whatever the earlier card said', () => {
    let state = editedWithTwoCards();
    state = mark(state, idOf(state, 'two', SHARED), false, 'U0CAROL');
    expect(counted(state)).toEqual({ listed: [], scored: [] });
  });

  it('failures made for the metric before it was edited no longer reach the summary or the score', () => {
    const state = editedWithTwoCards();
    expect(state.suggestions.filter((item) => item.verdict?.relevant).map((item) => item.title)).toEqual([SHARED, 'Tickets closed unsolved']);
    expect(counted(state)).toEqual({ listed: [], scored: [] });
    expect(summaryToMarkdown(buildSummary(flow, state))).not.toContain('Tickets closed unsolved');
  });

  it('nor while the edited metric’s card is still being made', () => {
    let state = add(metricAnswered(), card(TICKETS, 'one', ['Tickets closed unsolved']));
    state = mark(state, idOf(state, 'one', 'Tickets closed unsolved'), true);
    expect(counted(state).listed).toEqual(['Tickets closed unsolved']);
    state = edit(state, CLICKS);
    expect(counted(state)).toEqual({ listed: [], scored: [] });
  });

  it('verdicts on the earlier card are refused, with why, and leave the review as it was', () => {
    const state = editedWithTwoCards();
    const step = applyInput(flow, state, { type: 'verdict', suggestionId: idOf(state, 'one', SHARED), relevant: false, by: 'U0BOB', at: at() } as ReviewInput);
    expect(step.changed).toBe(false);
    expect(step.effects).toEqual([{ type: 'stale', message: OUTDATED_VERDICT_MESSAGE }]);
    expect(step.state).toBe(state);
  });

  it('a metric edited back to what it was counts only the card made last for it', () => {
    let state = editedWithTwoCards();
    state = edit(state, TICKETS);
    state = add(state, card(TICKETS, 'three', ['Tickets closed unsolved']));
    expect(counted(state).listed).toEqual([]);
    state = mark(state, idOf(state, 'three', 'Tickets closed unsolved'), true);
    expect(counted(state).listed).toEqual(['Tickets closed unsolved']);
  });
});

describe('one card', () => {
  it('a failure suggested twice (same title, told apart by case and spacing) counts once, with the verdict given last', () => {
    let state = add(metricAnswered(), card(TICKETS, 'one', [SHARED, `  ${SHARED.toUpperCase()} `]));
    state = mark(state, 'onemetric0', true);
    state = mark(state, 'onemetric1', true, 'U0CAROL');
    expect(counted(state)).toEqual({ listed: [`  ${SHARED.toUpperCase()} `], scored: [`  ${SHARED.toUpperCase()} `] });
    state = mark(state, 'onemetric0', false);
    expect(counted(state)).toEqual({ listed: [], scored: [] });
  });

  it('the same failure after two questions counts once', () => {
    let state = add(metricAnswered(), card(TICKETS, 'one', [SHARED]));
    const goal = Object.values(state.answers).find((answer) => answer.questionId !== 'metric')!;
    expect(goal.value.kind).toBe('text');
    state = add(state, card(goal.value.kind === 'text' ? goal.value.text : '', 'goal', [SHARED], goal.questionId));
    state = mark(state, state.suggestions[0]!.id, true);
    state = mark(state, state.suggestions[1]!.id, true);
    expect(counted(state)).toEqual({ listed: [SHARED], scored: [SHARED] });
  });
});

describe('reviews stored before cards had batches', () => {
  it('count their relevant suggestions as before, even after the metric was edited, but each failure once', () => {
    let state = add(metricAnswered(), card(undefined, undefined, [SHARED, 'Tickets closed unsolved', 'Agents game the queue', SHARED]));
    state = mark(state, 'legacymetric0', true);
    state = mark(state, 'legacymetric2', true);
    state = mark(state, 'legacymetric1', false);
    state = mark(state, 'legacymetric3', true);
    expect(counted(state)).toEqual({ listed: [SHARED, 'Agents game the queue'], scored: [SHARED, 'Agents game the queue'] });
    // Edited, no new card yet: they cannot say which metric they were made for, so they count as they did.
    state = edit(state, CLICKS);
    expect(countedSuggestions(state).map((item) => item.title)).toEqual([SHARED, 'Tickets closed unsolved', 'Agents game the queue']);
    state = mark(state, 'legacymetric1', true);
    expect(counted(state).listed).toEqual([SHARED, 'Tickets closed unsolved', 'Agents game the queue']);
  });

  it('give way to a card made for the edited metric after the upgrade', () => {
    let state = add(metricAnswered(), card(undefined, undefined, [SHARED, 'Tickets closed unsolved']));
    state = mark(state, 'legacymetric0', true);
    state = mark(state, 'legacymetric1', true);
    state = edit(state, CLICKS);
    state = add(state, card(CLICKS, 'two', [SHARED]));
    expect(counted(state).listed).toEqual([]);
    state = mark(state, idOf(state, 'two', SHARED), true);
    expect(counted(state)).toEqual({ listed: [SHARED], scored: [SHARED] });
  });
});
