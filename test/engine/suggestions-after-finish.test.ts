/**
 * The metric edited after the review finished: the engine asks for proxy
 * failures again, as it does while the review is under way, and takes the
 * result made for the edited metric, which then counts for the summary and
 * the score; verdicts on it are taken. What holds under way holds here too:
 * a late result made for the metric as it was is refused. A run for the
 * metric as it stood when the review finished still comes too late, and a
 * cancelled review asks for nothing. The lead's decision says the answers
 * changed since, from the edit, and the new card changes nothing of that.
 */
import { describe, expect, it } from 'vitest';
import { applyInput, buildSummary, startReview } from '../../src/engine/index.js';
import { countedSuggestions } from '../../src/engine/review-additions.js';
import type { ReviewInput, ReviewState, Step, Suggestion } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { REPO_ROOT } from '../support/app-process.js';
import { proxyFailureCard } from '../support/proxy-failure-card.js';
import { Driver, loadFixture } from './helpers.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const TICKETS = 'Ticket volume reduction: fewer tickets reaching human agents.';
const CLICKS = 'Click-through rate from the help article to the contact form.';
const CSAT = 'Satisfaction score after each chat.';
const METRIC_TS = '1700000002.000100';

let clock = 0;
function at(): string {
  clock += 1;
  return new Date(Date.UTC(2024, 0, 1, 0, 0, clock)).toISOString();
}

function send(state: ReviewState, input: Record<string, unknown>): Step {
  return applyInput(flow, state, { by: 'U0ALICE', ...input, at: at() } as ReviewInput);
}

function apply(state: ReviewState, input: Record<string, unknown>): ReviewState {
  return send(state, input).state;
}

type Made = Omit<Suggestion, 'verdict'>;

const card = (forText: string, batch: string, titles: string[]): Made[] => proxyFailureCard(forText, batch, titles);

function addCard(state: ReviewState, suggestions: Made[]): Step {
  return applyInput(flow, state, { type: 'add_suggestions', suggestions, by: 'bot', at: at() } as ReviewInput);
}

function editMetric(state: ReviewState, text: string): Step {
  return send(state, { type: 'edit', messageTs: METRIC_TS, text });
}

/** Through the metric, its card taken with one failure marked relevant, then finished early. */
function finishedWithCard(): ReviewState {
  let state = startReview(flow, { id: 'RFINISH1', systemName: 'Support bot', startedBy: 'U0ALICE', at: at() }).state;
  state = apply(state, { type: 'reply', text: 'Customers want their problem solved quickly.', messageTs: '1700000001.000100' });
  state = apply(state, { type: 'reply', text: TICKETS, messageTs: METRIC_TS });
  const taken = addCard(state, card(TICKETS, 'one', ['Tickets closed unsolved']));
  expect(taken.changed).toBe(true);
  state = apply(taken.state, { type: 'verdict', suggestionId: 'one0', relevant: true, by: 'U0BOB' });
  state = apply(state, { type: 'finish' });
  expect(state.status).toBe('completed');
  return state;
}

function relevantTitles(state: ReviewState): string[] {
  return buildSummary(flow, state).relevantSuggestions.map((item) => item.title);
}

describe('the metric edited in a finished review', () => {
  it('asks for proxy failures for the edited metric, and the review stays finished', () => {
    const step = editMetric(finishedWithCard(), CLICKS);
    expect(step.state.status).toBe('completed');
    expect(step.effects).toEqual([
      { type: 'edited', questionId: 'metric' },
      { type: 'suggest', kind: 'proxy-failures', afterQuestionId: 'metric' },
    ]);
  });

  it('takes the edited metric’s card, which then counts: verdicts on it reach the summary and the score', () => {
    const edited = editMetric(finishedWithCard(), CLICKS).state;
    expect(relevantTitles(edited)).toEqual([]);

    const taken = addCard(edited, card(CLICKS, 'two', ['Clicks bought with bait', 'Tickets closed unsolved']));
    expect(taken.changed).toBe(true);
    expect(taken.effects).toEqual([{ type: 'suggestions_added', suggestionIds: ['two0', 'two1'] }]);
    expect(taken.state.status).toBe('completed');
    expect(countedSuggestions(taken.state).map((item) => item.id)).toEqual(['two0', 'two1']);

    const marked = send(taken.state, { type: 'verdict', suggestionId: 'two0', relevant: true, by: 'U0CAROL' });
    expect(marked.effects).toEqual([{ type: 'verdict_recorded', suggestionId: 'two0' }]);
    expect(relevantTitles(marked.state)).toEqual(['Clicks bought with bait']);
    const drivers = buildSummary(flow, marked.state).score.areas.flatMap((area) => area.drivers.map((driver) => driver.answer));
    expect(drivers).toContain('Clicks bought with bait');
    expect(drivers).not.toContain('Tickets closed unsolved');
  });

  it('refuses a late result made for the metric as it was, and one made before a second edit', () => {
    const finished = finishedWithCard();
    const edited = editMetric(finished, CLICKS).state;
    const late = addCard(edited, card(TICKETS, 'late', ['Tickets closed unsolved']));
    expect(late).toMatchObject({ changed: false, effects: [{ type: 'stale' }] });

    const again = editMetric(edited, CSAT).state;
    const stale = addCard(again, card(CLICKS, 'two', ['Clicks bought with bait']));
    expect(stale.changed).toBe(false);
    expect(stale.state.suggestions.map((item) => item.batch)).toEqual(['one']);
    expect(addCard(again, card(CSAT, 'three', ['Scores asked for, not earned'])).changed).toBe(true);
  });

  it('takes one card per edit: a second run for the same edit adds nothing', () => {
    const edited = editMetric(finishedWithCard(), CLICKS).state;
    const taken = addCard(edited, card(CLICKS, 'two', ['Clicks bought with bait']));
    expect(taken.changed).toBe(true);
    const twice = addCard(taken.state, card(CLICKS, 'twice', ['Clicks bought with bait']));
    expect(twice.changed).toBe(false);
    expect(twice.state.suggestions.map((item) => item.batch)).toEqual(['one', 'two']);
  });

  it('a decision is marked as made before the edit, from the edit on, and the new card and its verdicts leave that as it is', () => {
    const decided = apply(finishedWithCard(), { type: 'decide', outcome: 'approved', by: 'U0LEAD' });
    expect(decided.decision?.answersChangedAt).toBeUndefined();
    const edited = editMetric(decided, CLICKS).state;
    const changedAt = edited.decision?.answersChangedAt;
    expect(changedAt).toBe(edited.history.at(-1)!.at);
    const taken = addCard(edited, card(CLICKS, 'two', ['Clicks bought with bait']));
    expect(taken.changed).toBe(true);
    expect(taken.state.decision).toEqual(edited.decision);
    const marked = send(taken.state, { type: 'verdict', suggestionId: 'two0', relevant: true, by: 'U0CAROL' });
    expect(marked.effects).toEqual([{ type: 'verdict_recorded', suggestionId: 'two0' }]);
    expect(marked.state.decision).toEqual(edited.decision);
  });
});

describe('what a finished review still does not take', () => {
  it('a result made for the metric as it stood when the review finished comes too late; one for the metric edited since is taken', () => {
    let state = startReview(flow, { id: 'RFINISH2', systemName: 'Support bot', startedBy: 'U0ALICE', at: at() }).state;
    state = apply(state, { type: 'reply', text: 'Customers want their problem solved quickly.', messageTs: '1700000001.000100' });
    state = apply(state, { type: 'reply', text: TICKETS, messageTs: METRIC_TS });
    state = apply(state, { type: 'finish' });
    const late = addCard(state, card(TICKETS, 'one', ['Tickets closed unsolved']));
    expect(late).toMatchObject({ changed: false, effects: [{ type: 'not_active', status: 'completed' }] });
    const edited = editMetric(state, CLICKS).state;
    expect(addCard(edited, card(CLICKS, 'two', ['Clicks bought with bait'])).changed).toBe(true);
  });

  it('only an edit of the metric asks for them, not an edit of another answer', () => {
    const finished = finishedWithCard();
    const other = send(finished, { type: 'edit', messageTs: '1700000001.000100', text: 'Customers want the right answer, first time.' });
    expect(other.effects).toEqual([{ type: 'edited', questionId: 'human_goal' }]);
    expect(editMetric(other.state, CLICKS).effects).toContainEqual({ type: 'suggest', kind: 'proxy-failures', afterQuestionId: 'metric' });
  });

  it('a cancelled review, unlike a finished one: an edit of the metric asks for nothing, and a card for it is refused', () => {
    let state = startReview(flow, { id: 'RCANCEL1', systemName: 'Support bot', startedBy: 'U0ALICE', at: at() }).state;
    state = apply(state, { type: 'reply', text: 'Customers want their problem solved quickly.', messageTs: '1700000001.000100' });
    state = apply(state, { type: 'reply', text: TICKETS, messageTs: METRIC_TS });
    const cancelled = apply(apply(state, { type: 'cancel' }), { type: 'cancel' });
    const finished = apply(state, { type: 'finish' });
    expect(cancelled.status).toBe('cancelled');

    const editedCancelled = editMetric(cancelled, CLICKS);
    expect(editedCancelled.effects).toEqual([{ type: 'edited', questionId: 'metric' }]);
    expect(addCard(editedCancelled.state, card(CLICKS, 'two', ['Clicks bought with bait'])).changed).toBe(false);
    const editedFinished = editMetric(finished, CLICKS);
    expect(editedFinished.effects).toContainEqual({ type: 'suggest', kind: 'proxy-failures', afterQuestionId: 'metric' });
    expect(addCard(editedFinished.state, card(CLICKS, 'two', ['Clicks bought with bait'])).changed).toBe(true);
  });
});

describe('a finished review reopened by an edit', () => {
  it('takes the card for a metric edited after it first finished, though it was answered through and finished again before the card came', () => {
    const mini = loadFixture('mini.yaml');
    const review = new Driver(mini);
    review.replies('Drafts replies to tickets', 'Quick, correct answers', 'Fewest minutes per ticket');
    const metricTs = review.nextTs;
    review.replies('Tickets closed per hour');
    const actionsTs = review.nextTs;
    review.replies('1', 'yes', 'basic', '1');
    expect(review.state.status).toBe('completed');

    review.send({ type: 'edit', messageTs: actionsTs, text: 'runs code' });
    expect(review.state.status).toBe('active');
    expect(review.send({ type: 'edit', messageTs: metricTs, text: 'Replies sent per hour' }).effects).toContainEqual({ type: 'suggest', kind: 'proxy-failures', afterQuestionId: 'metric' });
    review.replies('yes', 'yes');
    expect(review.state.status).toBe('completed');

    const made = card('Replies sent per hour', 'edited', ['Replies sent, problems unsolved']);
    const taken = applyInput(mini, review.state, { type: 'add_suggestions', suggestions: made, by: 'bot', at: review.nextAt() } as ReviewInput);
    expect(taken.effects).toEqual([{ type: 'suggestions_added', suggestionIds: ['edited0'] }]);
  });
});
