import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, BOT_USER, CHANNEL, LEADS, startHarness, type Harness } from '../support/app-harness.js';
import {
  answerByTyping,
  botMessagesInThread,
  currentQuestionOf,
  startReview,
  stateOf,
  waitForSummaryCard,
  waitForVersion,
  waitUntil,
} from '../support/review-driver.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

describe('a whole review through Slack', () => {
  it('runs from the slash command to the summary card in the thread and the leads’ channel, by typing', async () => {
    const review = await startReview(h, '--flow quick-check Resume screener', ALICE);
    const root = h.slack.world.messages.find((message) => message.ts === review.threadTs)!;
    expect(JSON.stringify(root.blocks)).toContain('Resume screener');
    expect(JSON.stringify(root.blocks)).toContain('Answer in the thread');

    const sent = await answerByTyping(h, review, ALICE);
    expect(Object.keys(sent).length).toBeGreaterThanOrEqual(5);
    const state = await stateOf(h, review.reviewId);
    expect(state.status).toBe('completed');
    // Every reply became exactly one answer, by the person who sent it.
    for (const questionId of Object.keys(sent)) {
      expect(state.answers[questionId]?.by).toBe(ALICE);
    }

    const card = await waitForSummaryCard(h, review);
    const cardText = JSON.stringify(card.blocks);
    expect(cardText).toContain('Overall: Level');
    expect(cardText).toContain('Reward misspecification');
    expect(cardText).toContain('Autonomy risk');
    const leadsCard = await h.slack.waitFor((view) => view.world.messages.find((message) => message.channel === LEADS && message.user === BOT_USER), {
      description: 'the leads card',
    });
    expect(JSON.stringify(leadsCard.blocks)).toContain('Resume screener');
    expect(JSON.stringify(leadsCard.blocks)).toMatch(/Open the review thread/);
  });

  it('answers by clicking buttons, and replaces each answered question’s buttons with the answer', async () => {
    const review = await startReview(h, '--flow quick-check Support bot', BOB);
    for (let guard = 0; guard < 20; guard++) {
      const question = await currentQuestionOf(h, review);
      if (!question) break;
      // The question is committed before it is posted: wait for its message.
      const carries = (item: { blocks?: unknown[] }) => JSON.stringify(item.blocks ?? []).includes(JSON.stringify(`"q":"${question.id}"`).slice(1, -1));
      const message =
        question.kind === 'text'
          ? undefined
          : await h.slack.waitFor(() => botMessagesInThread(h.slack, CHANNEL, review.threadTs).filter(carries).at(-1), { description: `the buttons of ${question.id}` });
      if (question.kind === 'text') {
        await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text: 'A reply typed for a text question, long enough.' });
      } else if (question.kind === 'multi') {
        expect(message).toBeDefined();
        await h.slack.submitCheckboxes({ userId: BOB, channelId: CHANNEL, messageTs: message!.ts, actionId: 'ar_multi_select', selectedValues: [question.options[0]!.id] });
        await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: message!.ts, actionId: 'ar_multi_submit' });
      } else {
        expect(message).toBeDefined();
        await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: message!.ts, actionId: 'ar_answer_option_0' });
      }
      const after = await waitForVersion(h, review, (state) => state.currentQuestionId !== question.id, `answer to ${question.id}`);
      if (question.kind !== 'text') {
        expect(after.answers[question.id]?.value).toEqual({ kind: 'options', optionIds: [question.options[0]!.id] });
        // The question's message now shows the answer and has no buttons left.
        const updated = await h.slack.waitFor((view) => {
          const current = view.world.messages.find((item) => item.ts === message!.ts);
          return current && !JSON.stringify(current.blocks).includes('"type":"actions"') ? current : undefined;
        }, { description: 'the answered question without buttons' });
        expect(JSON.stringify(updated.blocks)).toContain(':white_check_mark:');
      }
    }
    expect((await stateOf(h, review.reviewId)).status).toBe('completed');
    await waitForSummaryCard(h, review);
  });
});

describe('words in the thread', () => {
  it('skip, back, status, pause, resume and cancel do what they say', async () => {
    const review = await startReview(h, '--flow quick-check Ranker', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    const say = async (text: string) => {
      const before = h.slack.world.seq;
      await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
      return before;
    };

    await say('skip');
    const afterSkip = await waitForVersion(h, review, (state) => state.currentQuestionId !== first.id, 'skip');
    expect(afterSkip.answers[first.id]?.value).toEqual({ kind: 'skipped' });

    await say('back');
    await waitForVersion(h, review, (state) => state.currentQuestionId === first.id, 'back');

    const seq = await say('status');
    const status = await h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > seq && message.user === BOT_USER && /Status of the review/.test(message.text + JSON.stringify(message.blocks))), {
      description: 'status',
    });
    expect(JSON.stringify(status.blocks)).toContain('Waiting on question 1');

    await say('pause');
    await waitForVersion(h, review, (state) => state.status === 'paused', 'pause');
    const pausedSeq = await say('An answer sent while paused');
    await h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > pausedSeq && message.user === BOT_USER && /paused/.test(JSON.stringify(message.blocks))), {
      description: 'the paused notice',
    });
    expect((await stateOf(h, review.reviewId)).answers[first.id]?.value).toEqual({ kind: 'skipped' });

    await say('resume');
    await waitForVersion(h, review, (state) => state.status === 'active', 'resume');
    // `cancel` asks first, privately; the same person's second `cancel` cancels.
    const cancelSeq = await say('cancel');
    await h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.seq > cancelSeq && item.userId === ALICE && /Reply `cancel` again within 2 minutes to confirm/.test(item.text)), {
      description: 'the private question to confirm',
    });
    expect((await stateOf(h, review.reviewId)).status).toBe('active');
    await say('cancel');
    await waitForVersion(h, review, (state) => state.status === 'cancelled', 'cancel');
  });

  it('an edited reply updates that answer', async () => {
    const review = await startReview(h, '--flow quick-check Summarizer', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    expect(first.kind).toBe('text');
    const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'Help analysts read long reports faster.' });
    await waitForVersion(h, review, (state) => Boolean(state.answers[first.id]), 'first answer');
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts, text: 'Help analysts read long reports faster without missing caveats.' });
    const state = await waitForVersion(h, review, (item) => item.answers[first.id]?.value.kind === 'text' && (item.answers[first.id]!.value as { text: string }).text.includes('caveats'), 'the edit');
    expect(state.history.some((entry) => entry.action === 'edit' && entry.questionId === first.id)).toBe(true);
  });
});

describe('who and what the app listens to', () => {
  it('ignores bot messages, top-level messages and threads it did not start', async () => {
    const review = await startReview(h, '--flow quick-check Feed ranker', ALICE);
    const before = await stateOf(h, review.reviewId);
    // A top-level message, and a thread under someone else's message.
    const { ts } = await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, text: 'lunch?' });
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: ts, text: 'yes' });
    // Another bot replying in the review's thread.
    await h.slack.deliverRaw({
      contentType: 'application/json',
      body: JSON.stringify({
        type: 'event_callback',
        team_id: 'T0001',
        api_app_id: 'A0APP',
        event_id: 'Ev0OTHERBOT',
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'message', channel: CHANNEL, user: 'U0OTHER', bot_id: 'B0OTHER', text: 'I am a bot answer', ts: '1999999999.000100', thread_ts: review.threadTs },
      }),
    });
    await h.slack.settled();
    const after = await stateOf(h, review.reviewId);
    expect(after.history).toHaveLength(before.history.length);
  });

  it('when respondents are named, others are told privately and nothing is recorded', async () => {
    const modal = await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '' });
    expect(modal.status).toBe(200);
    const viewId = await waitUntil(() => h.slack.world.modalStacks[ALICE]?.at(-1), 'the start modal');
    const result = await h.slack.submitView({
      userId: ALICE,
      viewId,
      values: {
        ar_in_flow: { ar_flow: 'quick-check' },
        ar_in_system: { ar_system: 'Scoped review' },
        ar_in_respondents: { ar_respondents: [ALICE] },
      },
    });
    expect(result.status).toBe(200);
    const root = await h.slack.waitFor((view) => view.world.messages.find((message) => !message.threadTs && message.user === BOT_USER && message.text.includes('Scoped review')), {
      description: 'root of the scoped review',
    });
    const scoped = { reviewId: await waitUntil(() => h.store.findByThread('T0001', CHANNEL, root.ts), 'the scoped review'), threadTs: root.ts, channelId: CHANNEL };
    await waitUntil(async () => (await stateOf(h, scoped.reviewId)).currentQuestionId, 'first question');
    const before = await stateOf(h, scoped.reviewId);
    await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: root.ts, text: 'Bob tries to answer' });
    const notice = await h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.userId === BOB && /Only/.test(item.text)), { description: 'the private refusal' });
    expect(notice.text).toContain(`<@${ALICE}>`);
    expect((await stateOf(h, scoped.reviewId)).history).toHaveLength(before.history.length);
  });
});

describe('Slack’s deliveries', () => {
  it('applies a retried delivery once', async () => {
    const review = await startReview(h, '--flow quick-check Retry bot', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'Reduce time analysts spend on triage.' });
    await waitForVersion(h, review, (state) => Boolean(state.answers[first.id]), 'first answer');
    const historyLength = (await stateOf(h, review.reviewId)).history.length;
    for (const retryNum of [1, 2, 3] as const) {
      const result = await h.slack.redeliverLastEvent({ retryNum, retryReason: 'http_timeout' });
      expect(result.status).toBe(200);
    }
    // The same message again under a new event id, as Slack sometimes sends it.
    const original = h.slack.deliveries.filter((delivery) => delivery.kind === 'event' && delivery.body.includes('Reduce time analysts')).at(0)!;
    const copy = JSON.parse(original.body) as { event_id: string };
    copy.event_id = 'Ev0DUPLICATE';
    expect((await h.slack.deliverRaw({ contentType: 'application/json', body: JSON.stringify(copy) })).status).toBe(200);
    await h.slack.settled();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const state = await stateOf(h, review.reviewId);
    expect(state.history).toHaveLength(historyLength);
    // And the review still takes the next answer.
    const second = (await currentQuestionOf(h, review))!;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'The next answer, a fresh message.' });
    await waitForVersion(h, review, (item) => Boolean(item.answers[second.id]), 'the next answer');
  });

  it('refuses unsigned, forged and stale requests and changes nothing', async () => {
    const review = await startReview(h, '--flow quick-check Forgery target', ALICE);
    const before = await stateOf(h, review.reviewId);
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0001',
      api_app_id: 'A0APP',
      event_id: 'Ev0FORGED',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel: CHANNEL, user: ALICE, text: 'forged answer', ts: '1999999999.000200', thread_ts: review.threadTs },
    });
    const unsigned = await h.slack.deliverRaw({ contentType: 'application/json', body, sign: false });
    expect(unsigned.status).toBe(401);
    const forged = await h.slack.deliverRaw({ contentType: 'application/json', body, sign: false, headers: { 'x-slack-signature': 'v0=deadbeef', 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) } });
    expect(forged.status).toBe(401);
    const stale = await h.slack.deliverRaw({ contentType: 'application/json', body, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await stateOf(h, review.reviewId)).history).toHaveLength(before.history.length);
  });
});

describe('escaping', () => {
  it('an answer full of mention and link syntax reaches Slack neutralised', async () => {
    const review = await startReview(h, '--flow quick-check <!channel> bot', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    const nasty = 'Ping <!channel> <!here> <!everyone> <!subteam^S0TEAM|@ops> <@U0BOB> and <https://evil.example|https://good.example> &lt;b&gt;';
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: nasty });
    await waitForVersion(h, review, (state) => Boolean(state.answers[first.id]), 'the nasty answer');
    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    await h.slack.settled();
    const posted = h.slack.calls.filter((call) => call.method === 'chat.postMessage' || call.method === 'chat.update');
    expect(posted.length).toBeGreaterThan(3);
    for (const call of posted) {
      const text = JSON.stringify(call.args);
      expect(text).not.toMatch(/<!(channel|here|everyone)>/);
      expect(text).not.toMatch(/<!subteam\^/);
      expect(text).not.toContain('<https://evil.example|');
      expect(text).not.toContain('<@U0BOB>');
    }
    expect(JSON.stringify(posted.map((call) => call.args))).toContain('https://good.example (https://evil.example)');
  });
});
