/**
 * Through the real app: another person's `cancel` in between does not reset
 * yours, so your second `cancel` within 2 minutes cancels.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { startReview, waitForVersion, type StartedReview } from '../support/review-driver.js';

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

async function privateNote(userId: string, seq: number, text: string) {
  return h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.seq > seq && item.userId === userId && item.text === text), { description: `the private note to ${userId}` });
}

describe('cancel by two people', () => {
  it('Carol, then Bob, then Carol again: Carol’s second cancels, naming her', async () => {
    const review = await startReview(h, '--flow quick-check Ticket router', ALICE);
    const carolSeq = await say(review, CAROL, 'cancel');
    await privateNote(CAROL, carolSeq, CONFIRM);
    await waitForVersion(h, review, (state) => state.cancelRequest?.by === CAROL, 'Carol’s cancel waiting');
    const bobSeq = await say(review, BOB, 'cancel');
    await privateNote(BOB, bobSeq, CONFIRM);
    await waitForVersion(h, review, (state) => state.cancelRequest?.by === BOB, 'Bob’s cancel waiting');

    const againSeq = await say(review, CAROL, 'cancel');
    const cancelled = await waitForVersion(h, review, (state) => state.status !== 'active' || state.cancelRequest?.by === CAROL, 'Carol’s second cancel');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history.at(-1)).toMatchObject({ by: CAROL, action: 'cancel' });
    await h.slack.settled();
    expect(h.slack.world.ephemerals.filter((item) => item.seq > againSeq && item.userId === CAROL && item.text === CONFIRM)).toEqual([]);
    const when = `${cancelled.finishedAt!.slice(0, 16).replace('T', ' ')} UTC`;
    await h.slack.waitFor((view) => {
      const root = view.world.messages.find((message) => message.ts === review.threadTs);
      return root && JSON.stringify(root.blocks).includes(`*Cancelled* by <@${CAROL}> on ${when}.`) ? true : undefined;
    }, { description: 'the root message naming Carol' });
  });
});
