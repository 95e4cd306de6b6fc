/**
 * People who are not allowed. With respondents named, anyone else's clicks,
 * words that steer the review, replies and edits are refused privately and
 * change nothing; the read-only words (status, help) are answered for
 * anyone in the channel. A
 * sign-off or deletion submitted by hand (a forged view_submission: the
 * modal is only ever opened for those allowed) by someone who is neither a
 * lead, an admin nor the starter is refused too. The leads' own tests cover
 * the buttons and commands: test/e2e/leads-sign-off.test.ts,
 * leads-retention.test.ts (delete) and leads-export.test.ts (export --all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactiveBody } from '../../src/standin/slack/payloads/interactive.js';
import { ALICE, BOB, BOT_USER, CHANNEL, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { answerByTyping, currentQuestionOf, stateOf, waitForSummaryCard, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';

let h: Harness;
let review: StartedReview;

beforeAll(async () => {
  h = await startHarness();
  // Alice starts a review only she may answer.
  await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '' });
  const viewId = await waitUntil(() => h.slack.world.modalStacks[ALICE]?.at(-1), 'the start modal');
  await h.slack.submitView({ userId: ALICE, viewId, values: { ar_in_flow: { ar_flow: 'quick-check' }, ar_in_system: { ar_system: 'Scoped system' }, ar_in_respondents: { ar_respondents: [ALICE] } } });
  const root = await h.slack.waitFor((view) => view.world.messages.find((message) => !message.threadTs && message.user === BOT_USER && message.text.includes('Scoped system')), { description: 'the root' });
  review = { reviewId: await waitUntil(() => h.store.findByThread(TEAM, CHANNEL, root.ts), 'the review'), threadTs: root.ts, channelId: CHANNEL };
  for (const text of ['People want honest answers quickly.', 'Tickets closed per hour.']) {
    const question = await waitUntil(() => currentQuestionOf(h, review), 'a question');
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
    await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, 'an answer');
  }
  await waitUntil(async () => (await stateOf(h, review.reviewId)).suggestions.length > 0 && (await h.store.peek(TEAM, review.reviewId)) === null, 'the suggestions');
  await h.slack.settled();
});

afterAll(async () => {
  await h.close();
});

function refusalsTo(userId: string, since: number) {
  return h.slack.world.ephemerals.filter((item) => item.userId === userId && item.seq > since && /Only <@U0ALICE> can answer/.test(item.text));
}

function lastMessageWith(actionId: string) {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && JSON.stringify(message.blocks ?? []).includes(actionId)).at(-1)!;
}

describe('someone who is not a named respondent', () => {
  it('is refused privately for every click, word, reply and edit, and nothing changes', async () => {
    const before = await stateOf(h, review.reviewId);
    const seq = h.slack.world.seq;
    const attempts: (() => Promise<unknown>)[] = [
      () => h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: lastMessageWith('ar_answer_option_0').ts, actionId: 'ar_answer_option_0' }),
      () => h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: lastMessageWith('ar_suggestion_relevant').ts, actionId: 'ar_suggestion_relevant' }),
      ...['1', 'skip', 'back', 'pause', 'resume', 'cancel', 'finish'].map((text) => () => h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text })),
      async () => {
        const { ts } = await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text: 'A reply Bob will edit' });
        await h.slack.editMessage({ userId: BOB, channelId: CHANNEL, ts, text: 'Bob edited his reply' });
      },
    ];
    for (const attempt of attempts) await attempt();
    await h.slack.settled();
    // One private refusal per attempt (the edited reply counts twice: the reply and its edit).
    await waitUntil(() => refusalsTo(BOB, seq).length >= attempts.length + 1 || undefined, 'the refusals');
    expect(refusalsTo(BOB, seq)).toHaveLength(attempts.length + 1);
    // Each refusal names what was refused: the two clicks were not messages. (Sorted: a refusal is sent after its ack.)
    expect(refusalsTo(BOB, seq).map((item) => item.text.replace(/^Only <@U0ALICE> can answer this review\. /, '')).sort()).toEqual([
      ...Array<string>(2).fill('Your click was not recorded.'),
      'Your edit was not applied.',
      ...Array<string>(8).fill('Your message was not recorded.'),
    ]);
    const after = await stateOf(h, review.reviewId);
    expect(after).toEqual(before);
    // Nothing public was said to or about Bob's attempts.
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toEqual([]);
    // Alice still answers.
    const question = (await currentQuestionOf(h, review))!;
    await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: lastMessageWith('ar_answer_option_0').ts, actionId: 'ar_answer_option_0' });
    await waitForVersion(h, review, (state) => state.answers[question.id]?.by === ALICE, 'Alice’s click');
    recordFigure('not-respondent', { attempts: attempts.length + 1, refusedPrivately: refusalsTo(BOB, seq).length, changed: 0 });
  });
});

describe('anyone in the channel', () => {
  it('may ask status and help, answered in the thread, and nothing changes', async () => {
    const before = await stateOf(h, review.reviewId);
    for (const text of ['status', 'help']) {
      const seq = h.slack.world.seq;
      await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text });
      const answer = await h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > seq && message.threadTs === review.threadTs && message.user === BOT_USER), {
        description: `the answer to ${text}`,
      });
      expect(answer.text).toBe(text === 'status' ? 'Review status' : 'Review help');
      await h.slack.settled();
      expect(refusalsTo(BOB, seq)).toEqual([]);
    }
    expect(await stateOf(h, review.reviewId)).toEqual(before);
  });
});

describe('leads’ modals submitted by hand', () => {
  it('a sign-off and a deletion by someone who may not are refused, and the review stays as it was', async () => {
    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    await h.slack.settled();
    const before = await stateOf(h, review.reviewId);
    const metadata = JSON.stringify({ r: review.reviewId, c: CHANNEL });
    const submit = (callbackId: string, values: Record<string, unknown>) =>
      h.slack.deliverRaw({
        contentType: 'application/x-www-form-urlencoded',
        body: interactiveBody({ type: 'view_submission', team: { id: TEAM }, user: { id: BOB, team_id: TEAM }, view: { id: `V0BOB${callbackId.length}`, callback_id: callbackId, private_metadata: metadata, state: { values } } }),
      });
    const signOff = await submit('ar_sign_off_modal', { ar_in_decision: { ar_decision: { type: 'radio_buttons', selected_option: { value: 'approved' } } }, ar_in_conditions: { ar_conditions: { type: 'plain_text_input', value: '' } } });
    expect(signOff.status).toBe(200);
    expect(signOff.json).toMatchObject({ response_action: 'errors' });
    const seq = h.slack.world.seq;
    const deletion = await submit('ar_confirm_delete_modal', {});
    expect(deletion.status).toBe(200);
    await h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.userId === BOB && item.seq > seq), { description: 'the private refusal of the deletion' });
    const after = await h.store.get(TEAM, review.reviewId);
    expect(after?.state).toEqual(before);
    expect(after?.state.decision).toBeUndefined();
    recordFigure('forged-leads-modals', { refused: 2, changed: 0 });
  });
});
