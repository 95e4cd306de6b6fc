/**
 * Proxy-failure suggestions without a model, end to end through Slack: the
 * offline library's entries arrive at once, above the next question, matched
 * to the team's metric, with Relevant / Not relevant buttons whose verdicts reach
 * the stored review, the summary card and the score.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AreaScore, ReviewState } from '../../src/engine/types.js';
import { buildSummary } from '../../src/engine/index.js';
import { SOURCE_NOTES } from '../../src/slack/blocks/suggestions.js';
import { ALICE, BOB, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { startReview, stateOf, waitForSummaryCard, type StartedReview } from '../support/review-driver.js';
import {
  answerThrough,
  answerUntil,
  readableText,
  repliesFrom,
  suggestionButtons,
  suggestionsMessages,
  waitForState,
  waitForSuggestionsMessage,
} from '../support/suggestion-helpers.js';
import { questionPosts, struckCopies } from '../support/suggestion-thread.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

const SUPPORT_BOT = repliesFrom({
  human_goal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
  metric: 'Ticket volume reduction: fewer tickets reaching human agents each week.',
});

async function supportBotThroughMetric(name: string): Promise<StartedReview> {
  const review = await startReview(h, `--flow quick-check ${name}`, ALICE);
  await answerThrough(h, review, ALICE, SUPPORT_BOT, 'metric');
  return review;
}

function area(state: ReviewState, id: AreaScore['area']): AreaScore {
  const summary = buildSummary(h.server.deps.flows.get(state.flowId)!, state);
  return summary.score.areas.find((item) => item.area === id)!;
}

describe('proxy-failure suggestions from the offline library', () => {
  it('come before the next question, which is posted once, matched to the metric, each with why, safeguard, source and the offline note', async () => {
    const review = await supportBotThroughMetric('Support bot');
    const suggestions = await waitForSuggestionsMessage(h, review);

    // The offline library answers at once, so the card comes first and the next question once, below it: the thread's last.
    const next = await h.slack.waitFor(
      (view) => view.world.messages.find((message) => message.threadTs === review.threadTs && /^Question 3:/.test(message.text)),
      { description: 'question 3, below the suggestions' },
    );
    expect(next.seq).toBeGreaterThan(suggestions.seq);
    expect(JSON.stringify(next.blocks)).toContain('ar_answer_option');
    expect((await stateOf(h, review.reviewId)).currentQuestionId).toBe('gaming');
    await h.slack.settled();
    expect(questionPosts(h, review, 'gaming')).toHaveLength(1);
    expect(struckCopies(h, review)).toEqual([]);

    const text = readableText(suggestions);
    // The entry written for exactly this metric comes first.
    expect(text).toContain('Ticket volume drops because customers give up');
    expect(text.indexOf('Ticket volume drops')).toBeLessThan(text.indexOf('Safeguard'));
    // Nothing about hiring, insurance or feeds for a support bot.
    expect(text).not.toMatch(/hire|claims|outrage|engagement/i);
    // The system's name says it is a support bot: other support failures come with it.
    expect(text).toContain('Fewer complaints stand in for happier customers');
    expect(text).toContain(SOURCE_NOTES.offlineNoModel);

    const state = await stateOf(h, review.reviewId);
    expect(state.suggestions.length).toBeGreaterThanOrEqual(2);
    expect(state.suggestions.length).toBeLessThanOrEqual(6);
    for (const item of state.suggestions) {
      expect(item.source).toBe('offline');
      expect(item.afterQuestionId).toBe('metric');
      expect(item.why.length).toBeGreaterThan(20);
      expect(item.safeguard.length).toBeGreaterThan(20);
      expect(item.reference).toBeTruthy();
      expect(['reward_misspecification', 'over_optimization']).toContain(item.area);
      // Each one is shown with its reason and its safeguard.
      expect(text).toContain(item.title);
    }
    const silencing = state.suggestions.find((item) => item.title === 'Ticket volume drops because customers give up')!;
    expect(silencing.why).toMatch(/give up|customers/i);

    // One pair of buttons per suggestion, naming it.
    const buttons = suggestionButtons(suggestions);
    expect(buttons.map((button) => button.suggestionId)).toEqual(state.suggestions.flatMap((item) => [item.id, item.id]));
    expect(suggestionsMessages(h, review)).toHaveLength(1);
  });

  it('verdicts given by clicking are stored with who gave them, shown on the message, and relevant ones reach the summary card', async () => {
    const review = await supportBotThroughMetric('Helpdesk assistant');
    const message = await waitForSuggestionsMessage(h, review);
    const [first, second] = (await stateOf(h, review.reviewId)).suggestions;
    expect(second).toBeDefined();
    const buttons = suggestionButtons(message);
    const relevant = buttons.find((button) => button.suggestionId === first!.id && button.actionId === 'ar_suggestion_relevant')!;
    const notRelevant = buttons.find((button) => button.suggestionId === second!.id && button.actionId === 'ar_suggestion_not_relevant')!;

    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: message.ts, actionId: relevant.actionId, value: relevant.value });
    await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId: notRelevant.actionId, value: notRelevant.value });
    const state = await waitForState(h, review, (item) => item.suggestions.filter((suggestion) => suggestion.verdict).length === 2, 'both verdicts');
    expect(state.suggestions[0]!.verdict).toMatchObject({ relevant: true, by: BOB });
    expect(state.suggestions[1]!.verdict).toMatchObject({ relevant: false, by: ALICE });
    expect(state.history.filter((entry) => entry.action === 'verdict').map((entry) => [entry.by, entry.suggestionId, entry.after])).toEqual([
      [BOB, first!.id, true],
      [ALICE, second!.id, false],
    ]);

    // The message shows each verdict and who gave it.
    const updated = await h.slack.waitFor((view) => {
      const current = view.world.messages.find((item) => item.ts === message.ts)!;
      const text = readableText(current);
      return text.includes(`Relevant — <@${BOB}>`) && text.includes(`Not relevant — <@${ALICE}>`) ? current : undefined;
    }, { description: 'the suggestions message with both verdicts' });
    expect(suggestionButtons(updated)).toHaveLength(buttons.length);

    // A changed mind is kept in the history and replaces the verdict.
    const again = suggestionButtons(updated).find((button) => button.suggestionId === second!.id && button.actionId === 'ar_suggestion_relevant')!;
    await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId: again.actionId, value: again.value });
    await waitForState(h, review, (item) => item.suggestions[1]!.verdict?.relevant === true, 'the changed verdict');

    await answerUntil(h, review, ALICE, SUPPORT_BOT);
    const card = await waitForSummaryCard(h, review);
    const cardText = readableText(card);
    expect(cardText).toContain('Proxy failures the team marked relevant');
    expect(cardText).toContain(first!.title);
    expect(cardText).toContain(second!.title);
    expect(cardText).toContain(`marked relevant by <@${BOB}>`);
    const others = (await stateOf(h, review.reviewId)).suggestions.slice(2);
    for (const other of others) expect(cardText).not.toContain(other.title);
  });

  it('a verdict given after the review finished updates the summary card', async () => {
    const review = await supportBotThroughMetric('Late verdict bot');
    const message = await waitForSuggestionsMessage(h, review);
    await answerUntil(h, review, ALICE, SUPPORT_BOT);
    const card = await waitForSummaryCard(h, review);
    expect(readableText(card)).not.toContain('marked relevant');

    const target = (await stateOf(h, review.reviewId)).suggestions[0]!;
    const button = suggestionButtons(message).find((item) => item.suggestionId === target.id && item.actionId === 'ar_suggestion_relevant')!;
    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: message.ts, actionId: button.actionId, value: button.value });
    await h.slack.waitFor((view) => {
      const current = view.world.messages.find((item) => item.ts === card.ts)!;
      return readableText(current).includes(target.title) ? current : undefined;
    }, { description: 'the summary card updated with the late verdict' });
  });

  it('relevant verdicts raise reward misspecification or over-optimization against the same answers marked not relevant', async () => {
    const scores: Record<'relevant' | 'not', { reward: AreaScore; over: AreaScore; state: ReviewState }> = {} as never;
    for (const mark of ['relevant', 'not'] as const) {
      const review = await supportBotThroughMetric(`Score bot ${mark}`);
      const message = await waitForSuggestionsMessage(h, review);
      const actionId = mark === 'relevant' ? 'ar_suggestion_relevant' : 'ar_suggestion_not_relevant';
      const buttons = suggestionButtons(message).filter((button) => button.actionId === actionId);
      for (const button of buttons) {
        await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId, value: button.value });
      }
      await waitForState(h, review, (state) => state.suggestions.every((item) => item.verdict), 'every verdict');
      await answerUntil(h, review, ALICE, SUPPORT_BOT);
      await waitForSummaryCard(h, review);
      const state = await stateOf(h, review.reviewId);
      scores[mark] = { reward: area(state, 'reward_misspecification'), over: area(state, 'over_optimization'), state };
    }
    const relevant = scores.relevant;
    const not = scores.not;
    const raised = relevant.state.suggestions.map((item) => item.area);
    // Same answers, so the only difference is the verdicts.
    expect(Object.values(relevant.state.answers).map((answer) => answer.value)).toEqual(Object.values(not.state.answers).map((answer) => answer.value));
    for (const [id, before, after] of [
      ['reward_misspecification', not.reward, relevant.reward],
      ['over_optimization', not.over, relevant.over],
    ] as const) {
      const count = raised.filter((item) => item === id).length;
      expect(after.total - before.total).toBe(count);
      if (count > 0) expect(after.drivers.some((driver) => driver.reason?.startsWith('The team marked this as relevant'))).toBe(true);
    }
    expect(relevant.over.total + relevant.reward.total).toBeGreaterThan(not.over.total + not.reward.total);
  });
});
