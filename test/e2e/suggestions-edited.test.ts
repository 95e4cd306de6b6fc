/**
 * Proxy-failure suggestions when the metric changes, end to end through
 * Slack: an edited metric (an edited message, or the metric answered again
 * after `back`) gets its own card, saying it is for the edited metric; the
 * card made for the metric as it was says so and keeps its verdicts; and a
 * late result made for the metric as it was is never shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestKind } from '../../src/standin/openai/answers.js';
import { good } from '../../src/standin/openai/behaviours.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';
import { REPLACED_NOTE } from '../../src/slack/blocks/suggestions.js';
import { ALICE, BOB, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { startReview, stateOf, waitUntil, type StartedReview } from '../support/review-driver.js';
import { answerThrough, modelEnv, readableText, repliesFrom, suggestionButtons, waitForState } from '../support/suggestion-helpers.js';
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

async function editMetric(harness: Harness, review: StartedReview, text: string): Promise<void> {
  const ts = (await stateOf(harness, review.reviewId)).answers.metric!.messageTs!;
  await harness.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts, text });
}

describe('an edited metric, with the offline library', () => {
  it('gets a new card for the edited metric; the earlier card says so and keeps its verdicts, which stay on it', async () => {
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

    // The earlier card is told it was made for the metric as it was; its verdict stands.
    const replaced = await harness.slack.waitFor(() => (readableText(now(harness, above!)).includes(REPLACED_NOTE) ? now(harness, above!) : undefined), {
      description: 'the earlier card noting the edit',
    });
    expect(readableText(replaced)).toContain(`Relevant — <@${BOB}>`);
    expect(readableText(replaced)).toContain('How this metric could be won');

    // A verdict on the earlier card updates that card, never the new one.
    await click(harness, replaced, later!, 'ar_suggestion_not_relevant', ALICE);
    await harness.slack.waitFor(() => readableText(now(harness, above!)).includes(`Not relevant — <@${ALICE}>`), { description: 'the verdict shown on the earlier card' });
    await harness.slack.settled();
    expect(buttonIds(now(harness, edited!))).toEqual(editedIds);
    expect(readableText(now(harness, edited!))).not.toMatch(/Relevant — <@/);

    const state = await stateOf(harness, review.reviewId);
    expect(state.suggestions.filter((item) => editedIds.has(item.id)).every((item) => item.afterQuestionId === 'metric' && !item.verdict)).toBe(true);
    expect(state.suggestions.find((item) => item.id === marked)!.verdict).toMatchObject({ relevant: true, by: BOB });
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
