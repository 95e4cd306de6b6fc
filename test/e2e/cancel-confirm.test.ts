/**
 * Cancelling asks first, privately; the root message then says who cancelled
 * and when. A reply in a finished review's thread is answered privately.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, BOT_USER, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { answerByTyping, currentQuestionOf, startReview, stateOf, waitForSummaryCard, waitForVersion, type StartedReview } from '../support/review-driver.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

const CONFIRM = 'Cancel this review? Reply `cancel` again within 2 minutes to confirm; the answers so far are kept.';

async function say(review: StartedReview, userId: string, text: string): Promise<number> {
  const before = h.slack.world.seq;
  await h.slack.sendMessage({ userId, channelId: CHANNEL, threadTs: review.threadTs, text });
  return before;
}

function publicPostsSince(review: StartedReview, seq: number) {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.seq > seq);
}

async function privateNote(userId: string, seq: number, text: string) {
  return h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.seq > seq && item.userId === userId && item.text === text), { description: `the private note to ${userId}` });
}

describe('cancel', () => {
  it('asks its author privately, is not confirmed by anyone else or after another message, and once confirmed says who cancelled and when', async () => {
    const review = await startReview(h, '--flow quick-check Ticket router', ALICE);
    const first = (await currentQuestionOf(h, review))!;

    // A first `cancel`: a private question to its author, nothing in the thread, the review goes on.
    const aliceSeq = await say(review, ALICE, 'cancel');
    await privateNote(ALICE, aliceSeq, CONFIRM);
    await waitForVersion(h, review, (state) => state.cancelRequest?.by === ALICE, 'Alice’s cancel waiting');
    await h.slack.settled();
    expect(publicPostsSince(review, aliceSeq)).toEqual([]);

    // Someone else's `cancel` does not confirm it: they are asked in turn.
    const bobSeq = await say(review, BOB, 'cancel');
    await privateNote(BOB, bobSeq, CONFIRM);
    expect(await waitForVersion(h, review, (state) => state.cancelRequest?.by === BOB, 'Bob’s cancel waiting')).toMatchObject({ status: 'active', currentQuestionId: first.id });

    // Anything else Bob sends drops his: the review goes on as it was.
    await say(review, BOB, 'Route tickets to the right team, first time.');
    const answered = await waitForVersion(h, review, (state) => state.answers[first.id] !== undefined, 'Bob’s answer');
    // Only his: Alice's own request still waits for her.
    expect(answered.cancelRequest).toEqual({ by: ALICE, at: expect.any(String) });
    const againSeq = await say(review, BOB, 'cancel');
    await privateNote(BOB, againSeq, CONFIRM);
    expect((await stateOf(h, review.reviewId)).status).toBe('active');

    // Bob confirms: cancelled, and the root message says who and when.
    await say(review, BOB, 'cancel');
    const cancelled = await waitForVersion(h, review, (state) => state.status === 'cancelled', 'the cancel');
    expect(cancelled.answers[first.id]?.by).toBe(BOB);
    const when = `${cancelled.finishedAt!.slice(0, 16).replace('T', ' ')} UTC`;
    await h.slack.waitFor((view) => {
      const root = view.world.messages.find((message) => message.ts === review.threadTs);
      return root && JSON.stringify(root.blocks).includes(`*Cancelled* by <@${BOB}> on ${when}.`) ? true : undefined;
    }, { description: 'the root message naming who cancelled and when' });
  });
});

describe('a reply in a finished review', () => {
  it('is answered privately, to whoever wrote it, each time: nothing more in the thread', async () => {
    const review = await startReview(h, '--flow quick-check Resume screener', ALICE);
    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    await h.slack.settled();
    const seq = h.slack.world.seq;
    const text = 'This review is finished: the summary is above. You can still edit an answer you gave.';
    for (const [userId, reply] of [[ALICE, 'One more thought'], [BOB, 'Nice work'], [ALICE, 'And another']] as const) {
      const before = await say(review, userId, reply);
      await privateNote(userId, before, text);
    }
    await h.slack.settled();
    expect(h.slack.world.ephemerals.filter((item) => item.seq > seq && item.text === text).map((item) => item.userId)).toEqual([ALICE, BOB, ALICE]);
    expect(publicPostsSince(review, seq)).toEqual([]);
  });
});
