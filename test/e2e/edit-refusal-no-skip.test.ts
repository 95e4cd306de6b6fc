/**
 * Through the real Bolt app: an edit of an answered reply to "idk" is refused
 * in the thread without offering `skip` (which would skip the question asked
 * now, not the edited one), while a new reply of "idk" is still offered it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import { ALICE, BOT_USER, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { currentQuestionOf, startReview, stateOf, type StartedReview } from '../support/review-driver.js';

const GOAL = 'Shoppers want to find the right product quickly.';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function botMessageAfter(review: StartedReview, seq: number, wanted: (message: WorldMessage) => boolean, description: string): Promise<WorldMessage> {
  return h.slack.waitFor(
    (view) => view.world.messages.find((message) => message.seq > seq && message.threadTs === review.threadTs && message.user === BOT_USER && wanted(message)),
    { description },
  );
}

/** The whole note as shown in the thread: its fallback text is cut short. */
function shownText(message: WorldMessage): string {
  const section = (message.blocks as { text?: { text?: string } }[] | undefined)?.[0]?.text?.text;
  if (section === undefined) throw new Error(`no section in ${JSON.stringify(message)}`);
  return section;
}

async function answerGoal(review: StartedReview): Promise<string> {
  const seq = h.slack.world.seq;
  const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: GOAL });
  await botMessageAfter(review, seq, (message) => /^Question 2:/.test(message.text), 'the second question');
  return ts;
}

describe('a refused edit that says the person does not know yet', () => {
  it('does not offer `skip`, says how to change or keep the answer, and changes nothing', async () => {
    const review = await startReview(h, '--flow quick-check Shop search', ALICE);
    const goalTs = await answerGoal(review);
    const before = await stateOf(h, review.reviewId);
    expect((await currentQuestionOf(h, review))?.id).toBe('metric');

    const seq = h.slack.world.seq;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: goalTs, text: 'idk' });
    const refusal = shownText(await botMessageAfter(review, seq, (message) => message.text.includes('That edit was not applied'), 'the refusal of the edit'));

    expect(refusal).toContain('"idk" is not an answer to this question.');
    expect(refusal).toContain('edit your reply again');
    expect(refusal).toContain('The earlier answer stands.');
    expect(refusal).not.toContain('skip');
    await h.slack.settled();
    expect(await stateOf(h, review.reviewId)).toEqual(before);
  });

  it('leaves the refusal of a new reply offering `skip`', async () => {
    const review = await startReview(h, '--flow quick-check Shop search', ALICE);
    await answerGoal(review);

    const seq = h.slack.world.seq;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'idk' });
    const refusal = shownText(await botMessageAfter(review, seq, (message) => message.text.includes('is not an answer'), 'the refusal of the reply'));

    expect(refusal).toContain('reply `skip`');
    expect(refusal).not.toContain('edit your reply again');
  });
});
