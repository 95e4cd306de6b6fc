import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOT_USER, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { currentQuestionOf, startReview, stateOf, waitUntil } from '../support/review-driver.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('editing a reply that was not an answer', () => {
  it('tells the person privately to reply again, and changes nothing', async () => {
    const review = await startReview(h, '--flow quick-check Banana bot', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    const seq = h.slack.world.seq;
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'banana' });
    // Refused: too short for the question.
    await h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > seq && message.threadTs === review.threadTs && message.user === BOT_USER && message.text.includes(':warning:')), { description: 'the refusal' });
    const before = await stateOf(h, review.reviewId);
    expect(before.answers[first.id]).toBeUndefined();
    const edited = h.slack.world.seq;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts, text: 'Help analysts read long reports faster without missing caveats.' });
    const notice = await waitUntil(() => h.slack.world.ephemerals.find((item) => item.userId === ALICE && item.seq > edited), 'the private notice');
    expect(notice.text).toContain('Only a reply that answered a question can be edited');
    expect(notice.text).toContain('reply again');
    await h.slack.settled();
    expect(await stateOf(h, review.reviewId)).toEqual(before);
    expect(h.slack.world.messages.filter((message) => message.seq > edited && message.user === BOT_USER)).toEqual([]);
  });
});
