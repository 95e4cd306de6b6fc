import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { botMessagesInThread, currentQuestionOf, startReview, stateOf, typicalReply, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

/** Types the usual replies until the review waits on `questionId`. */
async function answerUntil(review: StartedReview, questionId: string): Promise<void> {
  for (let index = 1; index < 60; index++) {
    const question = await currentQuestionOf(h, review);
    if (!question) throw new Error(`the review ended before ${questionId}`);
    if (question.id === questionId) return;
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(question, index) });
    await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
  }
  throw new Error(`never reached ${questionId}`);
}

const RULE = '“Nothing else — the metric is the only signal” rules out the other answers: choose it on its own, or leave it out.';

describe('an answer that rules out the others ("Nothing else")', () => {
  it('is refused with the others, typed or ticked, records nothing, and is taken alone', async () => {
    const review = await startReview(h, 'Support bot', ALICE);
    await answerUntil(review, 'other_signals');
    const before = await stateOf(h, review.reviewId);

    // Typed with another answer: told in the thread, nothing recorded.
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: '1, 4' });
    await h.slack.waitFor(() => botMessagesInThread(h.slack, CHANNEL, review.threadTs).find((message) => message.text.includes(RULE)), { description: 'the refusal of a typed answer' });
    expect((await stateOf(h, review.reviewId)).answers.other_signals).toBeUndefined();

    // Ticked with another answer and submitted: told too, nothing recorded.
    const question = botMessagesInThread(h.slack, CHANNEL, review.threadTs).filter((message) => JSON.stringify(message.blocks ?? []).includes('ar_multi_submit')).at(-1)!;
    await h.slack.submitCheckboxes({ userId: ALICE, channelId: CHANNEL, messageTs: question.ts, actionId: 'ar_multi_select', selectedValues: ['outcomes', 'only_metric'] });
    const refusalsBefore = h.slack.world.ephemerals.filter((item) => item.text.includes(RULE)).length + botMessagesInThread(h.slack, CHANNEL, review.threadTs).filter((message) => message.text.includes(RULE)).length;
    await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: question.ts, actionId: 'ar_multi_submit' });
    await waitUntil(
      () => h.slack.world.ephemerals.filter((item) => item.text.includes(RULE)).length + botMessagesInThread(h.slack, CHANNEL, review.threadTs).filter((message) => message.text.includes(RULE)).length > refusalsBefore,
      'the refusal of a ticked answer',
    );
    const after = await stateOf(h, review.reviewId);
    expect(after.answers.other_signals).toBeUndefined();
    expect(after.currentQuestionId).toBe('other_signals');
    expect(after.history.length).toBe(before.history.length);

    // Alone, it is the answer.
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: '4' });
    const answered = await waitForVersion(h, review, (state) => state.answers.other_signals?.messageTs === ts, 'the answer alone');
    expect(answered.answers.other_signals?.value).toEqual({ kind: 'options', optionIds: ['only_metric'] });
  });
});
