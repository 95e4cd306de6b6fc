/**
 * Proxy-failure suggestions when the metric changes, end to end through
 * Slack: an edited metric (an edited message, or the metric answered again
 * after `back`) gets its own card, saying it is for the edited metric; the
 * card made for the metric as it was says so, quoting it, and keeps showing
 * its verdicts, which no longer count: only the edited metric's card counts
 * for the summary and the score, each failure once; and a late result made
 * for the metric as it was is never shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestKind } from '../../src/standin/openai/answers.js';
import { good } from '../../src/standin/openai/behaviours.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';
import { buildSummary } from '../../src/engine/index.js';
import type { ReviewState, Summary } from '../../src/engine/types.js';
import { REPLACED_NOTE, REPLACED_NOTE_END } from '../../src/slack/blocks/suggestions.js';
import { ALICE, BOB, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { startReview, stateOf, waitForSummaryCard, waitUntil, type StartedReview } from '../support/review-driver.js';
import { answerThrough, answerUntil, modelEnv, readableText, repliesFrom, suggestionButtons, waitForState } from '../support/suggestion-helpers.js';
import { questionPosts, struckCopies, suggestionCards } from '../support/suggestion-thread.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';

let h: Harness | undefined;
let model: OpenAIStandin | undefined;

afterEach(async () => {
  await h?.close();
  await model?.close();
  h = undefined;
  model = undefined;
});

const TICKETS = 'Ticket volume reduction: fewer tickets reaching human agents each week.';
const CLICKS = 'Click-through rate from the help article to the contact form.';
/** Calls up the tickets metric's entry again, and one for satisfaction scores. */
const TICKETS_AND_CSAT = 'Ticket volume and CSAT: fewer tickets reaching agents, and the satisfaction score after each chat.';
const GIVE_UP = 'Ticket volume drops because customers give up';
const CSAT_ASKED = 'Satisfaction scores are asked for, not earned';
const SUPPORT_BOT = repliesFrom({
  human_goal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
  metric: TICKETS,
});

async function throughMetric(harness: Harness, name: string): Promise<StartedReview> {
  const review = await startReview(harness, `--flow quick-check ${name}`, ALICE);
  await answerThrough(harness, review, ALICE, SUPPORT_BOT, 'metric');
  return review;
}

async function cardsWhen(harness: Harness, review: StartedReview, count: number): Promise<WorldMessage[]> {
  return harness.slack.waitFor(() => (suggestionCards(harness, review).length === count ? suggestionCards(harness, review) : undefined), {
    description: `${count} suggestion card(s) in the thread`,
  });
}

/** The message as it reads now. */
function now(harness: Harness, message: WorldMessage): WorldMessage {
  return harness.slack.world.messages.find((item) => item.ts === message.ts)!;
}

function buttonIds(card: WorldMessage): Set<string> {
  return new Set(suggestionButtons(card).map((button) => button.suggestionId));
}

async function click(harness: Harness, card: WorldMessage, suggestionId: string, actionId: 'ar_suggestion_relevant' | 'ar_suggestion_not_relevant', userId: string): Promise<void> {
  const button = suggestionButtons(card).find((item) => item.suggestionId === suggestionId && item.actionId === actionId)!;
  await harness.slack.clickButton({ userId, channelId: CHANNEL, messageTs: card.ts, actionId, value: button.value });
}

function summaryOf(harness: Harness, state: ReviewState): Summary {
  return buildSummary(harness.server.deps.flows.get(state.flowId)!, state);
}

/** The failures the score counts as marked relevant, one entry each time it counts one. */
function relevantDrivers(summary: Summary): string[] {
  return summary.score.areas.flatMap((area) => area.drivers.filter((driver) => driver.reason?.startsWith('The team marked this as relevant')).map((driver) => driver.answer));
}

async function editMetric(harness: Harness, review: StartedReview, text: string): Promise<void> {
  const ts = (await stateOf(harness, review.reviewId)).answers.metric!.messageTs!;
  await harness.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts, text });
}

describe('an edited metric, with the offline library', () => {
  it('gets a new card for the edited metric; the earlier card names the metric it was made for, shows its verdicts, which no longer count, and has no buttons', async () => {
    h = await startHarness();
    const harness = h;
    const review = await throughMetric(harness, 'Edited support bot');
    const [first] = await cardsWhen(harness, review, 1);
    const firstIds = buttonIds(first!);
    const [marked, later] = [...firstIds];
    await click(harness, first!, marked!, 'ar_suggestion_relevant', BOB);
    await waitForState(harness, review, (state) => state.suggestions.some((item) => item.verdict), 'the verdict on the first card');

    await editMetric(harness, review, CLICKS);
    const [above, edited] = await cardsWhen(harness, review, 2);
    const editedText = readableText(edited!);
    expect(editedText).toContain('How the edited metric could be won');
    // Made for the metric as edited: the library's entry for clicks, which the ticket metric did not call up.
    expect(editedText).toContain('Clicks stand in for interest, so bait wins');
    expect(readableText(now(harness, first!))).not.toContain('Clicks stand in for interest');
    const editedIds = buttonIds(edited!);
    expect([...editedIds].filter((id) => firstIds.has(id))).toEqual([]);

    // The earlier card is told it was made for the metric as it was, quoted; its verdict is shown, but no longer counts.
    const replaced = await harness.slack.waitFor(() => (readableText(now(harness, above!)).includes(REPLACED_NOTE) ? now(harness, above!) : undefined), {
      description: 'the earlier card noting the edit',
    });
    expect(readableText(replaced)).toContain(`“${TICKETS}”`);
    expect(readableText(replaced)).toContain(REPLACED_NOTE_END);
    expect(readableText(replaced)).toContain(`Relevant — <@${BOB}>`);
    expect(readableText(replaced)).toContain('How this metric could be won');
    // No buttons left on it: a verdict there would count for nothing.
    expect(suggestionButtons(replaced)).toEqual([]);
    expect(buttonIds(now(harness, edited!))).toEqual(editedIds);
    expect(readableText(now(harness, edited!))).not.toContain(REPLACED_NOTE);

    await harness.slack.settled();
    const state = await stateOf(harness, review.reviewId);
    expect(state.suggestions.find((item) => item.id === later)!.verdict).toBeUndefined();
    expect(state.suggestions.filter((item) => editedIds.has(item.id)).every((item) => item.afterQuestionId === 'metric' && !item.verdict)).toBe(true);
    expect(state.suggestions.find((item) => item.id === marked)!.verdict).toMatchObject({ relevant: true, by: BOB });
    // The earlier metric's failures no longer reach the summary.
    expect(summaryOf(harness, state).relevantSuggestions).toEqual([]);
  });

  it('counts only the card for the edited metric, each failure once: the summary card and the score', async () => {
    h = await startHarness();
    const harness = h;
    const review = await throughMetric(harness, 'Counted once bot');
    const [first] = await cardsWhen(harness, review, 1);
    for (const id of buttonIds(first!)) await click(harness, first!, id, 'ar_suggestion_relevant', BOB);
    await waitForState(harness, review, (state) => state.suggestions.every((item) => item.verdict?.relevant), 'every failure on the first card marked relevant');
    const firstTitles = (await stateOf(harness, review.reviewId)).suggestions.map((item) => item.title);

    await editMetric(harness, review, TICKETS_AND_CSAT);
    const [, edited] = await cardsWhen(harness, review, 2);
    const newOnes = (await stateOf(harness, review.reviewId)).suggestions.filter((item) => buttonIds(edited!).has(item.id));
    const shared = newOnes.find((item) => item.title === GIVE_UP)!;
    const csat = newOnes.find((item) => item.title === CSAT_ASKED)!;
    expect(firstTitles).toContain(GIVE_UP);
    expect(firstTitles).not.toContain(CSAT_ASKED);
    // Marked relevant on the earlier card only: made for the metric before the edit, it counts no more.
    expect(summaryOf(harness, await stateOf(harness, review.reviewId)).relevantSuggestions).toEqual([]);

    // Relevant on both cards: listed and scored once.
    await click(harness, edited!, shared.id, 'ar_suggestion_relevant', ALICE);
    await click(harness, edited!, csat.id, 'ar_suggestion_relevant', ALICE);
    let state = await waitForState(harness, review, (item) => newOnes.filter((one) => item.suggestions.find((other) => other.id === one.id)?.verdict).length === 2, 'two verdicts on the new card');
    let summary = summaryOf(harness, state);
    expect(summary.relevantSuggestions.map((item) => item.title)).toEqual([GIVE_UP, CSAT_ASKED]);
    expect(relevantDrivers(summary).filter((title) => title === GIVE_UP)).toHaveLength(1);

    // A later "Not relevant" on the new card stands, whatever the earlier card said.
    await click(harness, now(harness, edited!), shared.id, 'ar_suggestion_not_relevant', ALICE);
    state = await waitForState(harness, review, (item) => item.suggestions.find((other) => other.id === shared.id)?.verdict?.relevant === false, 'the changed verdict');
    summary = summaryOf(harness, state);
    expect(relevantDrivers(summary)).toEqual([CSAT_ASKED]);

    await answerUntil(harness, review, ALICE, SUPPORT_BOT);
    const card = readableText(await waitForSummaryCard(harness, review));
    expect(card).toContain('Proxy failures the team marked relevant');
    expect(card.split(CSAT_ASKED)).toHaveLength(2);
    for (const title of firstTitles) expect(card).not.toContain(title);
  });

  it('answered again after back: a new card for the edited metric, above the next question, which is posted once below it', async () => {
    h = await startHarness();
    const harness = h;
    const review = await throughMetric(harness, 'Back again bot');
    await cardsWhen(harness, review, 1);
    await harness.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'back' });
    await waitForState(harness, review, (state) => state.currentQuestionId === 'metric', 'back at the metric');
    const before = harness.slack.world.seq;
    await harness.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: CLICKS });

    const [, edited] = await cardsWhen(harness, review, 2);
    expect(readableText(edited!)).toContain('How the edited metric could be won');
    const asked = await harness.slack.waitFor(() => questionPosts(harness, review, 'gaming').find((message) => message.seq > before), { description: 'the next question again' });
    expect(asked.seq).toBeGreaterThan(edited!.seq);
    await harness.slack.settled();
    expect(questionPosts(harness, review, 'gaming').filter((message) => message.seq > before)).toHaveLength(1);
  });

  it('answered again after back with the same metric: no second card', async () => {
    h = await startHarness();
    const harness = h;
    const review = await throughMetric(harness, 'Same metric bot');
    await cardsWhen(harness, review, 1);
    await harness.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'back' });
    await waitForState(harness, review, (state) => state.currentQuestionId === 'metric', 'back at the metric');
    const before = harness.slack.world.seq;
    await harness.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: TICKETS });
    await harness.slack.waitFor(() => questionPosts(harness, review, 'gaming').find((message) => message.seq > before), { description: 'the next question again' });
    await waitUntil(() => harness.server.deps.work.size === 0, 'background work done');
    await harness.slack.settled();
    expect(suggestionCards(harness, review)).toHaveLength(1);
    expect(struckCopies(harness, review).filter((message) => message.seq > before)).toEqual([]);
  });
});

describe('an edited metric, with a model', () => {
  it('a late result made for the metric as it was is never shown: the only card is the edited metric’s', async () => {
    model = await startOpenAIStandin();
    const standin = model;
    let releaseFirst: (() => void) | undefined;
    standin.respondWith((request) => {
      if (requestKind(request.body) !== 'proxy_failures' || releaseFirst) return good(request);
      // The first run's model call is held until the metric has been edited and its new card shown.
      return new Promise((resolve) => {
        releaseFirst = () => resolve(good(request) as never);
      });
    });
    // A call timeout far off, so the held call is neither given up nor retried while the test holds it.
    h = await startHarness({ env: modelEnv(standin.baseUrl, { LLM_TIMEOUT_MS: '30000' }) });
    const harness = h;
    const review = await throughMetric(harness, 'Late model bot');
    await waitUntil(() => releaseFirst, 'the first run asking the model');
    // The wait for the suggestions is over: the review went on without them.
    await harness.slack.waitFor(() => questionPosts(harness, review, 'gaming')[0], { description: 'the next question' });

    await editMetric(harness, review, CLICKS);
    const [card] = await cardsWhen(harness, review, 1);
    const text = readableText(card!);
    expect(text).toContain('How the edited metric could be won');
    // The stand-in builds its answer from the quoted metric: this one was made for the edited metric.
    expect(text).toContain('Click-through rate');
    expect(text).not.toContain('Ticket volume');
    const shown = (await stateOf(harness, review.reviewId)).suggestions.map((item) => item.id);

    releaseFirst!();
    await waitUntil(() => standin.requests.filter((body) => requestKind(body) === 'proxy_failures').length === 2 && harness.server.deps.work.size === 0, 'the first run done');
    await harness.slack.settled();
    expect(suggestionCards(harness, review)).toHaveLength(1);
    expect(readableText(now(harness, card!))).not.toContain('Ticket volume');
    const state = await stateOf(harness, review.reviewId);
    expect(state.suggestions.map((item) => item.id)).toEqual(shown);
    expect(state.history.filter((entry) => entry.action === 'suggestions')).toHaveLength(shown.length);
  });
});
