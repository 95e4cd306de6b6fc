/**
 * The metric edited after the review finished, end to end through Slack:
 * the proxy failures are made again, as for an edit while the review is
 * under way. The new card, for the edited metric, comes below the summary
 * card with its verdict buttons; the earlier card quotes the metric it was
 * made for and loses its buttons; the summary card is updated once the new
 * card is in, and verdicts on the new card reach the summary card and the
 * leads' card. A lead's decision says an answer was edited since. With a
 * model: the review's model calls are respected (the offline library
 * answers once they are used up), a late result made for the metric before
 * a second edit is dropped, and so is one for a review deleted meanwhile.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildSummary } from '../../src/engine/index.js';
import type { ReviewState } from '../../src/engine/types.js';
import { requestKind } from '../../src/standin/openai/answers.js';
import { good } from '../../src/standin/openai/behaviours.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import { INPUTS } from '../../src/slack/ids.js';
import { REPLACED_NOTE, SOURCE_NOTES } from '../../src/slack/blocks/suggestions.js';
import { ALICE, BOB, CHANNEL, LEADS, TEAM } from '../support/app-harness.js';
import { startReview, stateOf, waitForSummaryCard, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';
import { answerThrough, answerUntil, modelEnv, readableText, repliesFrom, suggestionButtons, waitForState } from '../support/suggestion-helpers.js';
import { suggestionCards } from '../support/suggestion-thread.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, leadsCardOf, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness | undefined;
let model: OpenAIStandin | undefined;

afterEach(async () => {
  await h?.close();
  await model?.close();
  h = undefined;
  model = undefined;
});

const TICKETS = 'Ticket volume reduction: fewer tickets reaching human agents each week.';
const CLICKS = 'Click-through rate from the help article to the contact form.';
const CSAT = 'Satisfaction score after each chat, as customers rate it.';
const CLICKS_FAILURE = 'Clicks stand in for interest, so bait wins';
const SUPPORT_BOT = repliesFrom({
  human_goal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
  metric: TICKETS,
});

/** The quick check answered to the end, its first card in, its summary card in the thread and in the leads' channel. */
async function finishedSupportBot(harness: LeadsHarness, name: string): Promise<{ review: StartedReview; firstCard: WorldMessage; summary: WorldMessage }> {
  const review = await startReview(harness, `--flow quick-check ${name}`, ALICE);
  await answerThrough(harness, review, ALICE, SUPPORT_BOT, 'metric');
  const [firstCard] = await cardsWhen(harness, review, 1);
  await answerUntil(harness, review, ALICE, SUPPORT_BOT);
  const summary = await waitForSummaryCard(harness, review);
  await harness.slack.waitFor(() => harness.slack.world.messages.find((message) => message.channel === LEADS && JSON.stringify(message.blocks ?? []).includes(review.reviewId)), {
    description: 'the leads’ card',
  });
  return { review, firstCard: firstCard!, summary };
}

async function cardsWhen(harness: LeadsHarness, review: StartedReview, count: number): Promise<WorldMessage[]> {
  return harness.slack.waitFor(() => (suggestionCards(harness, review).length === count ? suggestionCards(harness, review) : undefined), {
    description: `${count} suggestion card(s) in the thread`,
  });
}

/** The message as it reads now. */
function now(harness: LeadsHarness, message: WorldMessage): WorldMessage {
  return harness.slack.world.messages.find((item) => item.ts === message.ts)!;
}

async function editMetric(harness: LeadsHarness, review: StartedReview, text: string): Promise<void> {
  const ts = (await stateOf(harness, review.reviewId)).answers.metric!.messageTs!;
  await harness.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts, text });
}

async function markRelevant(harness: LeadsHarness, card: WorldMessage, suggestionId: string, userId: string): Promise<void> {
  const button = suggestionButtons(card).find((item) => item.suggestionId === suggestionId && item.actionId === 'ar_suggestion_relevant')!;
  await harness.slack.clickButton({ userId, channelId: CHANNEL, messageTs: card.ts, actionId: button.actionId, value: button.value });
}

/** The id of the Slack call that posted this message. */
function postCallOf(harness: LeadsHarness, message: WorldMessage): number {
  return harness.slack.calls.find((call) => call.method === 'chat.postMessage' && (call.response as { ts?: string } | undefined)?.ts === message.ts)!.id;
}

/** The ids of the updates of this message, in order. */
function updateCallsOf(harness: LeadsHarness, message: WorldMessage): number[] {
  return harness.slack.calls.filter((call) => call.method === 'chat.update' && call.args.ts === message.ts).map((call) => call.id);
}

function relevantTitles(harness: LeadsHarness, state: ReviewState): string[] {
  return buildSummary(harness.server.deps.flows.get(state.flowId)!, state).relevantSuggestions.map((item) => item.title);
}

async function signOff(harness: LeadsHarness, review: StartedReview, userId: string): Promise<void> {
  await harness.slack.clickButton({ userId, channelId: CHANNEL, messageTs: cardWithButtons(harness, review).ts, actionId: 'ar_sign_off' });
  const modal = await harness.slack.waitFor(() => topModalOf(harness, userId), { description: 'the sign-off modal' });
  await harness.slack.submitView({ userId, viewId: modal.id, values: { [INPUTS.decision.block]: { [INPUTS.decision.action]: 'approved' } } });
  await waitForVersion(harness, review, (state) => state.decision?.by === userId, 'the decision');
}

function proxyRequests(standin: OpenAIStandin): number {
  return standin.requests.filter((body) => requestKind(body) === 'proxy_failures').length;
}

describe('the metric edited after the review finished, with the offline library', () => {
  it('gets a new card below the summary, with buttons; the earlier card quotes its metric and loses its buttons; the summary card follows', async () => {
    h = await startLeadsHarness();
    const harness = h;
    const { review, firstCard, summary } = await finishedSupportBot(harness, 'Finished support bot');
    const firstIds = new Set(suggestionButtons(firstCard).map((button) => button.suggestionId));
    await markRelevant(harness, now(harness, firstCard), [...firstIds][0]!, BOB);
    await harness.slack.waitFor(() => (readableText(now(harness, summary)).includes('Proxy failures the team marked relevant') ? true : undefined), {
      description: 'the verdict on the summary card',
    });

    await editMetric(harness, review, CLICKS);
    const [above, edited] = await cardsWhen(harness, review, 2);
    expect(above!.ts).toBe(firstCard.ts);
    expect(edited!.seq).toBeGreaterThan(summary.seq);
    const text = readableText(edited!);
    expect(text).toContain('How the edited metric could be won');
    expect(text).toContain(CLICKS_FAILURE);
    const editedIds = suggestionButtons(edited!).map((button) => button.suggestionId);
    expect(editedIds.length).toBeGreaterThan(0);
    expect(editedIds.filter((id) => firstIds.has(id))).toEqual([]);

    const replaced = await harness.slack.waitFor(() => (readableText(now(harness, above!)).includes(REPLACED_NOTE) ? now(harness, above!) : undefined), {
      description: 'the earlier card noting the edit',
    });
    expect(readableText(replaced)).toContain(`“${TICKETS}”`);
    expect(readableText(replaced)).toContain(`Relevant — <@${BOB}>`);
    expect(suggestionButtons(replaced)).toEqual([]);

    // Updated once the new card is in, counting it: the earlier card's verdict no longer shows.
    await harness.slack.settled();
    expect(updateCallsOf(harness, summary).some((id) => id > postCallOf(harness, edited!))).toBe(true);
    expect(readableText(now(harness, summary))).not.toContain('Proxy failures the team marked relevant');
    const state = await stateOf(harness, review.reviewId);
    expect(state.status).toBe('completed');
    expect(relevantTitles(harness, state)).toEqual([]);
  });

  it('verdicts on the new card update the summary card and the leads’ card, and count in the score', async () => {
    h = await startLeadsHarness();
    const harness = h;
    const { review, summary } = await finishedSupportBot(harness, 'Verdict after edit bot');
    const leadsCard = leadsCardOf(harness, review.reviewId);
    await editMetric(harness, review, CLICKS);
    const [, edited] = await cardsWhen(harness, review, 2);
    const target = (await stateOf(harness, review.reviewId)).suggestions.find((item) => item.title === CLICKS_FAILURE)!;
    await harness.slack.settled();
    const beforeClick = harness.slack.calls.length;

    await markRelevant(harness, edited!, target.id, BOB);
    const card = await harness.slack.waitFor(() => (readableText(now(harness, summary)).includes(CLICKS_FAILURE) ? now(harness, summary) : undefined), {
      description: 'the summary card with the verdict on the new card',
    });
    expect(readableText(card)).toContain(`marked relevant by <@${BOB}>`);
    await harness.slack.settled();
    expect(harness.slack.calls.slice(beforeClick).some((call) => call.method === 'chat.update' && call.args.ts === leadsCard.ts && call.args.channel === LEADS)).toBe(true);
    expect(readableText(now(harness, edited!))).toContain(`Relevant — <@${BOB}>`);
    const state = await stateOf(harness, review.reviewId);
    expect(relevantTitles(harness, state)).toEqual([CLICKS_FAILURE]);
    const drivers = buildSummary(harness.server.deps.flows.get(state.flowId)!, state).score.areas.flatMap((area) => area.drivers.map((driver) => driver.answer));
    expect(drivers).toContain(CLICKS_FAILURE);
  });

  it('a decision made before the edit: both cards say an answer was edited after it, and still do once the new card is in and judged', async () => {
    h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
    const harness = h;
    const { review, summary } = await finishedSupportBot(harness, 'Decided bot');
    await signOff(harness, review, DAN);
    await harness.slack.settled();
    expect(readableText(now(harness, summary))).not.toContain('after this decision');

    await editMetric(harness, review, CLICKS);
    const [, edited] = await cardsWhen(harness, review, 2);
    const changedAt = (await waitForState(harness, review, (state) => state.decision?.answersChangedAt !== undefined, 'the decision marked')).decision!.answersChangedAt;
    const target = (await stateOf(harness, review.reviewId)).suggestions.find((item) => item.title === CLICKS_FAILURE)!;
    await markRelevant(harness, edited!, target.id, BOB);
    await harness.slack.waitFor(() => (readableText(now(harness, summary)).includes(CLICKS_FAILURE) ? true : undefined), { description: 'the verdict on the summary card' });
    await harness.slack.settled();

    const state = await stateOf(harness, review.reviewId);
    expect(state.decision).toMatchObject({ outcome: 'approved', by: DAN, answersChangedAt: changedAt });
    const editedAt = state.history.findLast((entry) => entry.action === 'edit')!.at;
    expect(changedAt).toBe(editedAt);
    for (const card of [now(harness, summary), leadsCardOf(harness, review.reviewId)]) expect(readableText(card)).toContain('after this decision: it needs a decision again');
  });
});

describe('the metric edited after the review finished, with a model', () => {
  it('the new card comes from the model while the review has model calls left', async () => {
    model = await startOpenAIStandin();
    const standin = model;
    h = await startLeadsHarness({ env: modelEnv(standin.baseUrl) });
    const harness = h;
    const { review } = await finishedSupportBot(harness, 'Model after finish bot');
    await waitForState(harness, review, (state) => state.redTeam.length > 0, 'the red-team scenarios');
    expect(proxyRequests(standin)).toBe(1);

    await editMetric(harness, review, CLICKS);
    const [, edited] = await cardsWhen(harness, review, 2);
    const text = readableText(edited!);
    // The stand-in builds its answer from the quoted metric: this one was made for the edited metric.
    expect(text).toContain('Click-through rate');
    expect(text).toContain(SOURCE_NOTES.model);
    expect(proxyRequests(standin)).toBe(2);
  });

  it('once the review has used its model calls, the offline library answers and no request is sent', async () => {
    model = await startOpenAIStandin();
    const standin = model;
    // One call for the metric's suggestions, one for the red-team scenarios at the end.
    h = await startLeadsHarness({ env: modelEnv(standin.baseUrl, { LLM_MAX_CALLS_PER_REVIEW: '2' }) });
    const harness = h;
    const { review } = await finishedSupportBot(harness, 'Budget after finish bot');
    await waitForState(harness, review, (state) => state.redTeam.length > 0, 'the red-team scenarios');
    const sent = standin.requests.length;

    await editMetric(harness, review, CLICKS);
    const [, edited] = await cardsWhen(harness, review, 2);
    const text = readableText(edited!);
    expect(text).toContain(SOURCE_NOTES.offlineFallback);
    expect(text).toContain(CLICKS_FAILURE);
    await waitUntil(() => harness.server.deps.work.size === 0, 'background work done');
    expect(standin.requests).toHaveLength(sent);
    expect(harness.logs.some((line) => line.msg === 'Model call budget for this review is used up' && line.reviewId === review.reviewId)).toBe(true);
  });

  it('a late result made for the metric before a second edit is dropped: the only new card is the second edit’s', async () => {
    model = await startOpenAIStandin();
    const standin = model;
    // Calls enough for both edits (the metric and the red-team scenarios took two).
    h = await startLeadsHarness({ env: modelEnv(standin.baseUrl, { LLM_TIMEOUT_MS: '30000', LLM_MAX_CALLS_PER_REVIEW: '4' }) });
    const harness = h;
    const { review } = await finishedSupportBot(harness, 'Late after finish bot');
    await waitForState(harness, review, (state) => state.redTeam.length > 0, 'the red-team scenarios');
    let release: (() => void) | undefined;
    standin.respondWith((request) => {
      if (requestKind(request.body) !== 'proxy_failures' || release) return good(request);
      // The first edit's call is held until the second edit's card is in.
      return new Promise((resolve) => {
        release = () => resolve(good(request) as never);
      });
    });

    await editMetric(harness, review, CLICKS);
    await waitUntil(() => release, 'the first edit’s run asking the model');
    await editMetric(harness, review, CSAT);
    const [, second] = await cardsWhen(harness, review, 2);
    expect(readableText(second!)).toContain('Satisfaction score');
    expect(readableText(second!)).toContain(SOURCE_NOTES.model);
    const shown = (await stateOf(harness, review.reviewId)).suggestions.map((item) => item.id);

    release!();
    await waitUntil(() => proxyRequests(standin) === 3 && harness.server.deps.work.size === 0, 'the first edit’s run done');
    await harness.slack.settled();
    expect(suggestionCards(harness, review)).toHaveLength(2);
    expect(readableText(now(harness, second!))).not.toContain('Click-through rate');
    expect((await stateOf(harness, review.reviewId)).suggestions.map((item) => item.id)).toEqual(shown);
  });

  it('a result for a review deleted meanwhile is dropped: nothing posted, nothing stored', async () => {
    model = await startOpenAIStandin();
    const standin = model;
    h = await startLeadsHarness({ env: modelEnv(standin.baseUrl, { LLM_TIMEOUT_MS: '30000' }) });
    const harness = h;
    const { review } = await finishedSupportBot(harness, 'Deleted after edit bot');
    await waitForState(harness, review, (state) => state.redTeam.length > 0, 'the red-team scenarios');
    let release: (() => void) | undefined;
    standin.respondWith((request) => {
      if (requestKind(request.body) !== 'proxy_failures') return good(request);
      return new Promise((resolve) => {
        release = () => resolve(good(request) as never);
      });
    });

    await editMetric(harness, review, CLICKS);
    await waitUntil(() => release, 'the edit’s run asking the model');
    await harness.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `delete ${review.reviewId}` });
    const confirmation = await harness.slack.waitFor(() => topModalOf(harness, ALICE), { description: 'the confirmation of the deletion' });
    await harness.slack.submitView({ userId: ALICE, viewId: confirmation.id });
    await waitForEphemeral(harness, ALICE, /were deleted/);
    await harness.slack.settled();
    const seq = harness.slack.world.seq;

    release!();
    await waitUntil(() => harness.server.deps.work.size === 0, 'the edit’s run done');
    await harness.slack.settled();
    expect(harness.slack.world.messages.filter((message) => message.seq > seq)).toEqual([]);
    expect(harness.slack.world.messages.filter((message) => readableText(message).includes('How the edited metric could be won'))).toEqual([]);
    expect(await harness.store.get(TEAM, review.reviewId)).toBeNull();
    expect(harness.logs.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
  });
});
