import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, BOT_USER, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { answerByTyping, currentQuestionOf, startReview, stateOf, waitForSummaryCard, waitForVersion } from '../support/review-driver.js';

const harnesses: Harness[] = [];
afterEach(async () => {
  while (harnesses.length) await harnesses.pop()!.close();
});

async function harness(options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
}

describe('state in Redis', () => {
  it('two replies sent at the same moment are both applied once, in the order they were sent', async () => {
    const h = await harness();
    const review = await startReview(h, '--flow alignment-review Concurrent system', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    expect(first.kind).toBe('text');
    // Two people answer at once: the first reply answers the current question, the second the next one.
    const [a, b] = await Promise.all([
      h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'First reply, sent first: what people want.' }),
      h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text: 'Second reply, sent second: what the system optimises.' }),
    ]);
    expect(Number(a.ts)).toBeLessThan(Number(b.ts));
    const state = await waitForVersion(h, review, (item) => Object.values(item.answers).filter((answer) => answer.by === ALICE || answer.by === BOB).length >= 2, 'both answers');
    const answers = Object.values(state.answers).sort((x, y) => x.at.localeCompare(y.at));
    expect(answers.map((answer) => answer.messageTs)).toEqual([a.ts, b.ts]);
    expect(state.answers[first.id]?.messageTs).toBe(a.ts);
    expect(state.history.filter((entry) => entry.action === 'answer')).toHaveLength(2);
  });

  it('picks a review up where it was after the app restarts', async () => {
    const h = await harness();
    const review = await startReview(h, '--flow quick-check Restarted system', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'What people want, before the restart.' });
    await waitForVersion(h, review, (state) => state.answers[first.id]?.messageTs === ts, 'the first answer');
    const before = await stateOf(h, review.reviewId);

    // A new app process against the same Slack and the same Redis keys.
    await h.server.stop();
    const again = await harness({ slack: h.slack, prefix: h.prefix });
    h.slack.setAppUrl(`http://127.0.0.1:${again.server.port}/slack/events`);
    const resumed = await stateOf(again, review.reviewId);
    expect(resumed.answers).toEqual(before.answers);
    expect(resumed.currentQuestionId).toBe(before.currentQuestionId);
    await answerByTyping(again, review, ALICE);
    expect((await stateOf(again, review.reviewId)).status).toBe('completed');
    await waitForSummaryCard(again, review);
  });

  it('keeps every message within Block Kit’s limits however long the answers are', async () => {
    const h = await harness();
    const review = await startReview(h, '--flow alignment-review ' + 'Very long system name '.repeat(9), ALICE);
    const long = (index: number) => `Answer ${index} ` + 'with a great deal of detail about goals, metrics and safeguards; '.repeat(60);
    const sent = await answerByTyping(h, review, ALICE, (question, index) => (question.kind === 'text' ? long(index).slice(0, question.maxLength) : question.kind === 'multi' ? '2, 3' : '1'));
    expect(Object.keys(sent).length).toBeGreaterThan(15);
    await waitForSummaryCard(h, review);
    await h.slack.settled();
    const refused = h.slack.calls.filter((call) => (call.method === 'chat.postMessage' || call.method === 'chat.update') && call.response.ok === false);
    expect(refused.map((call) => call.response.error)).toEqual([]);
    const cards = h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && /Alignment review summary/.test(message.text));
    expect(cards.length).toBeGreaterThanOrEqual(1);
    for (const card of cards) expect((card.blocks ?? []).length).toBeLessThanOrEqual(50);
    // The full text stays in the stored review.
    const state = await stateOf(h, review.reviewId);
    const textAnswers = Object.values(state.answers).filter((answer) => answer.value.kind === 'text');
    expect(textAnswers.some((answer) => answer.value.kind === 'text' && answer.value.text.length > 2000)).toBe(true);
  });
});
