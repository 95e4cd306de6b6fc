/**
 * The question after the metric waits for the suggestions, and when they
 * are ready in time it is left to the step that applies them. A reply that
 * answers it before it went out (someone quick, or replies sent in a burst)
 * moves the review on first: the question must still reach the thread,
 * once, showing the answer it got, and the review goes on from the next.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findQuestion } from '../../src/engine/index.js';
import type { Suggester } from '../../src/llm/suggester.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import { ALICE, BOT_USER, startHarness, type Harness } from '../support/app-harness.js';
import { startReview, stateOf, typicalReply, waitForSummaryCard, waitUntil, type StartedReview } from '../support/review-driver.js';
import { answerThrough, repliesFrom, waitForSuggestionsMessage } from '../support/suggestion-helpers.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const METRIC = 'Ticket volume reduction: fewer tickets reaching human agents each week.';
const SUPPORT_BOT = repliesFrom({
  human_goal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
});

/** The bot's messages of the thread that are this question, by the words they start with ("Question 3:"). */
function postsOfQuestion(harness: Harness, review: StartedReview, number: number): WorldMessage[] {
  return harness.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.startsWith(`Question ${number}:`));
}

describe('a reply to the question after the metric, sent before that question is posted', () => {
  it('still shows that question in the thread, once, with its answer, and the review goes on from the next', async () => {
    h = await startHarness();
    const review = await startReview(h, '--flow quick-check Burst bot', ALICE);
    await answerThrough(h, review, ALICE, SUPPORT_BOT, 'human_goal');
    const flow = h.server.deps.flows.get('quick-check')!;
    const gaming = findQuestion(flow, await stateOf(h, review.reviewId), 'gaming')!;
    // Both at once, as a burst of deliveries: the second answers question 3 before the app has posted it.
    await Promise.all([
      h.slack.sendMessage({ userId: ALICE, channelId: review.channelId, threadTs: review.threadTs, text: METRIC }),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() =>
        h!.slack.sendMessage({ userId: ALICE, channelId: review.channelId, threadTs: review.threadTs, text: typicalReply(gaming, 3) }),
      ),
    ]);
    await waitForSuggestionsMessage(h, review);
    const state = await waitUntil(async () => {
      const now = await stateOf(h!, review.reviewId);
      return now.answers.gaming && now.currentQuestionId !== 'gaming' ? now : undefined;
    }, 'question 3 answered');
    const fourth = state.currentQuestionId!;
    await h.slack.waitFor(() => postsOfQuestion(h!, review, 4)[0], { description: `question 4 (${fourth}) posted` });
    await h.slack.settled();

    const third = postsOfQuestion(h, review, 3);
    expect(third, 'question 3 posted once').toHaveLength(1);
    expect(JSON.stringify(third[0]!.blocks), 'question 3 shows the answer it got, with no buttons to answer it again').not.toContain('"type":"button"');
    expect(postsOfQuestion(h, review, 4)).toHaveLength(1);
  });

  it('still shows it when the whole review is answered before the suggestions are applied, and the review ends once', async () => {
    // Suggestions that come when the test says: within the question's wait (so it is left to them), after every reply.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated: Suggester = {
      modelConfigured: false,
      proxyFailures: async () => {
        await released;
        return { items: [{ title: 'Tickets closed unsolved', why: 'Closing counts, solving does not.', safeguard: 'Track reopen rates.', area: 'reward_misspecification' }], source: 'offline' };
      },
      clarifyingQuestions: async () => [],
      redTeam: async () => [],
    };
    h = await startHarness({ suggester: gated });
    const review = await startReview(h, '--flow quick-check Burst bot two', ALICE);
    await answerThrough(h, review, ALICE, SUPPORT_BOT, 'human_goal');
    const flow = h.server.deps.flows.get('quick-check')!;
    const state = await stateOf(h, review.reviewId);
    const send = (text: string) => h!.slack.sendMessage({ userId: ALICE, channelId: review.channelId, threadTs: review.threadTs, text });
    // Each reply is queued once its delivery is acknowledged; the drain meanwhile waits on the suggestions.
    await send(METRIC);
    const rest = ['gaming', 'acts', 'stakes', 'override', 'tested', 'sensitive_data'];
    for (const [index, id] of rest.entries()) await send(typicalReply(findQuestion(flow, state, id)!, index + 3));
    release();
    await waitForSummaryCard(h, review);
    await h.slack.settled();

    const ended = await stateOf(h, review.reviewId);
    expect(ended.status).toBe('completed');
    for (let number = 1; number <= ended.asked.length; number++) {
      expect(postsOfQuestion(h, review, number), `question ${number} posted once`).toHaveLength(1);
    }
  });
});
