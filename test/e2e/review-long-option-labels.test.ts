/**
 * Through the real app: the agent review's worst-harm question, whose third
 * answer is cut on its button, lists its answers in full; and a natural reply
 * made of one answer's words is taken, with what it says kept beside it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOT_USER, startHarness, type Harness } from '../support/app-harness.js';
import { currentQuestionOf, startReview, typicalReply, waitForVersion } from '../support/review-driver.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

describe('the agent review’s worst-harm question', () => {
  it('lists its answers in full, and takes "we could lose money on bad orders but can put it right"', async () => {
    const review = await startReview(h, '--flow agent-autonomy Order agent', ALICE);
    for (let index = 1; index < 20; index++) {
      const question = (await currentQuestionOf(h, review))!;
      if (question.id === 'misread') break;
      const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: review.channelId, threadTs: review.threadTs, text: typicalReply(question, index) });
      await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
    }
    const misread = (await currentQuestionOf(h, review))!;
    expect(misread.id).toBe('misread');
    const long = misread.options.find((option) => option.label.startsWith('Harm to customers'))!;
    const asked = await h.slack.waitFor(
      (view) => view.world.messages.find((message) => message.threadTs === review.threadTs && message.user === BOT_USER && JSON.stringify(message.blocks).includes(misread.prompt.slice(0, 40))),
      { description: 'the worst-harm question' },
    );
    const sections = (asked.blocks as { type: string; text?: { text: string } }[]).filter((block) => block.type === 'section').map((block) => block.text!.text);
    const list = sections.find((text) => text.startsWith('1. '))!;
    expect(list.split('\n')).toEqual(misread.options.map((option, index) => `${index + 1}. ${option.label.replace(/&/g, '&amp;')}`));
    expect(list).toContain(long.label);

    const text = 'we could lose money on bad orders but can put it right';
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: review.channelId, threadTs: review.threadTs, text });
    const state = await waitForVersion(h, review, (current) => current.answers.misread?.messageTs === ts, 'the worst-harm answer');
    expect(state.answers.misread!.value).toEqual({ kind: 'options', optionIds: ['fixable'], detail: text });
  });
});
