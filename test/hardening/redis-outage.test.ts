/**
 * Redis goes away mid-review: its own redis-server (append-only file on) is
 * killed and started again. While it is down, replies and clicks are told
 * "I could not save that answer" within a few seconds and the review does
 * not move; once it is back, the review goes on from where it was with
 * every answer confirmed before the outage, and nothing said during the
 * outage sneaks in later.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Question, ReviewState } from '../../src/engine/types.js';
import { COULD_NOT_SAVE } from '../../src/reviews/thread-input.js';
import { deleteFailedMessage } from '../../src/leads/delete-review.js';
import { startFailedMessage } from '../../src/reviews/start-review.js';
import { REQUEST_FAILED } from '../../src/slack/command-failure.js';
import { ALICE, BOT_USER, CAROL, CHANNEL, TEAM, type Harness } from '../support/app-harness.js';
import { cardWithButtons, finishedReview, homeOf, openHome, openHomeUntil } from '../leads/support/leads-driver.js';
import { HOME_UNAVAILABLE } from '../../src/slack/blocks/home.js';
import { startFaultHarness } from '../support/fault-harness.js';
import { startPrivateRedis, type PrivateRedis } from '../support/fault-redis.js';
import { answerByTyping, currentQuestionOf, startReview, stateOf, waitForSummaryCard, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';
import { logLinesWith } from '../support/fault-checks.js';
import { recordFigure } from '../support/fault-figures.js';

let redis: PrivateRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startPrivateRedis();
  h = await startFaultHarness({ redisUrl: redis.url });
});

afterAll(async () => {
  if (!redis.running) await redis.restart();
  await h.close();
  await redis.close();
});

function notSavedNotices(since: number) {
  return h.slack.world.messages.filter((message) => message.seq > since && message.user === BOT_USER && message.text.includes(COULD_NOT_SAVE));
}

async function say(review: { threadTs: string }, text: string) {
  return h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
}

async function reviewWaitingOnAChoice(name: string) {
  const review = await startReview(h, `--flow quick-check ${name}`, ALICE);
  // Two answers confirmed before the fault: each time the next question was posted.
  const confirmed: Record<string, string> = {};
  for (const text of ['Shoppers want the right product fast and honest pages.', 'Click-through rate to the cart.']) {
    const question = (await currentQuestionOf(h, review))!;
    const { ts } = await say(review, text);
    await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
    const next = (await currentQuestionOf(h, review))!;
    await h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.startsWith('Question') && message.text.includes(next.prompt.slice(0, 30))), {
      description: `question ${next.id} posted`,
    });
    confirmed[question.id] = text;
  }
  // Background work after the second answer (the offline suggestions) settles first.
  await waitUntil(async () => (await stateOf(h, review.reviewId)).suggestions.length > 0 && (await h.store.peek(TEAM, review.reviewId)) === null, 'the suggestions to land');
  await h.slack.settled();
  const before = await stateOf(h, review.reviewId);
  const waiting = (await currentQuestionOf(h, review))!;
  expect(waiting.kind).toBe('choice');
  return { review, confirmed, waiting, before };
}

async function expectUnmoved(review: StartedReview, before: ReviewState, waitingId: string, confirmed: Record<string, string>) {
  const after = await stateOf(h, review.reviewId);
  expect(after.currentQuestionId).toBe(waitingId);
  expect(after.history).toHaveLength(before.history.length);
  for (const [questionId, text] of Object.entries(confirmed)) {
    expect(after.answers[questionId]?.value).toEqual({ kind: 'text', text });
  }
  expect(await h.store.peek(TEAM, review.reviewId)).toBeNull();
}

async function expectResentAnswerApplied(review: StartedReview, waiting: Question, reply: string, optionIndex: number) {
  const resent = await say(review, reply);
  const resumed = await waitForVersion(h, review, (state) => state.answers[waiting.id]?.messageTs === resent.ts, 'the resent answer');
  expect(resumed.answers[waiting.id]?.value).toEqual({ kind: 'options', optionIds: [waiting.options[optionIndex]!.id] });
}

async function finishAndCheck(review: StartedReview, confirmed: Record<string, string>) {
  await answerByTyping(h, review, ALICE);
  await waitForSummaryCard(h, review);
  const final = await stateOf(h, review.reviewId);
  expect(final.status).toBe('completed');
  for (const [questionId, text] of Object.entries(confirmed)) {
    expect(final.answers[questionId]?.value).toEqual({ kind: 'text', text });
  }
  // Each question was answered exactly once: nothing from the fault slipped in.
  const answeredIds = final.history.filter((entry) => entry.action === 'answer').map((entry) => entry.questionId);
  expect(new Set(answeredIds).size).toBe(answeredIds.length);
  // The errors the outage caused were logged without anyone's answers.
  const answers = Object.values(final.answers).flatMap((answer) => (answer.value.kind === 'text' ? [answer.value.text] : []));
  expect(logLinesWith(h.logs, answers)).toEqual([]);
  expect(h.logs.some((line) => line.level === 'error' || line.level === 'warn')).toBe(true);
}

describe('Redis killed and restarted mid-review', () => {
  it('tells people their reply was not saved, keeps the review where it was, and goes on once Redis is back', async () => {
    const { review, confirmed, waiting, before } = await reviewWaitingOnAChoice('Outage bot');
    const questionMessage = h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && JSON.stringify(message.blocks ?? []).includes('ar_answer_option_0')).at(-1)!;

    await redis.kill();

    // A typed reply and a click while Redis is down: each is answered in the thread within a few seconds.
    const seq = h.slack.world.seq;
    const typedAt = Date.now();
    void say(review, '1');
    await h.slack.waitFor(() => notSavedNotices(seq).length >= 1 || undefined, { timeoutMs: 6000, description: 'the not-saved notice for the reply' });
    const typedNoticeMs = Date.now() - typedAt;
    const clickAt = Date.now();
    void h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: questionMessage.ts, actionId: 'ar_answer_option_1' });
    await h.slack.waitFor(() => notSavedNotices(seq).length >= 2 || undefined, { timeoutMs: 6000, description: 'the not-saved notice for the click' });
    const clickNoticeMs = Date.now() - clickAt;
    expect(typedNoticeMs).toBeLessThan(5000);
    expect(clickNoticeMs).toBeLessThan(5000);
    for (const notice of notSavedNotices(seq)) {
      expect(notice.threadTs).toBe(review.threadTs);
      expect(notice.text).toContain(`<@${ALICE}>`);
    }

    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
    // Give anything the client still held from the outage the chance to run, then look.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await expectUnmoved(review, before, waiting.id, confirmed);

    // The person sends it again: it is applied to the question it was meant for, once, and the review goes on.
    await expectResentAnswerApplied(review, waiting, '2', 1);
    await finishAndCheck(review, confirmed);
    recordFigure('redis-outage', { noticeMsTyped: typedNoticeMs, noticeMsClick: clickNoticeMs, confirmedBeforeOutage: Object.keys(confirmed).length, answersLost: 0 });
  });

  it('answers a slash command that could not be carried out privately, instead of leaving it unanswered', async () => {
    await redis.kill();
    const startedAt = Date.now();
    const since = h.slack.world.seq;
    const reviewsBefore = h.slack.world.messages.filter((message) => message.user === BOT_USER && !message.threadTs).length;
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: 'Outage starter' });
    const notice = await h.slack.waitFor((view) => view.world.ephemerals.find((entry) => entry.seq > since && entry.userId === ALICE && entry.text === REQUEST_FAILED), { timeoutMs: 8000, description: 'the private note' });
    expect(notice.via).toBe('response_url');
    const noticeMs = Date.now() - startedAt;
    expect(h.slack.world.messages.filter((message) => message.user === BOT_USER && !message.threadTs)).toHaveLength(reviewsBefore);
    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
    recordFigure('redis-outage-command', { noticeMs, reviewsStarted: 0 });
  });

  it('tells a lead whose Export or decision button failed on a summary card', async () => {
    const review = await finishedReview(h, 'Card outage bot', ALICE);
    const card = cardWithButtons(h, review);
    await redis.kill();
    for (const actionId of ['ar_export', 'ar_sign_off']) {
      const since = h.slack.world.seq;
      await h.slack.clickButton({ userId: CAROL, channelId: CHANNEL, messageTs: card.ts, actionId });
      const note = await h.slack.waitFor((view) => view.world.ephemerals.find((entry) => entry.seq > since && entry.userId === CAROL && entry.text === REQUEST_FAILED), { timeoutMs: 8000, description: `the private note for ${actionId}` });
      expect(note.channel).toBe(CHANNEL);
    }
    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
  });

  it('tells a person whose review could not start after its modal closed', async () => {
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '' });
    const viewId = await waitUntil(() => h.slack.world.modalStacks[ALICE]?.at(-1), 'the start modal');
    await redis.kill();
    const since = h.slack.world.seq;
    await h.slack.submitView({ userId: ALICE, viewId, values: { ar_in_flow: { ar_flow: 'quick-check' }, ar_in_system: { ar_system: 'Modal outage bot' } } });
    const note = await h.slack.waitFor((view) => view.world.ephemerals.find((entry) => entry.seq > since && entry.userId === ALICE && entry.text === startFailedMessage('Modal outage bot')), { timeoutMs: 8000, description: 'the private note' });
    expect(note.channel).toBe(CHANNEL);
    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
  });

  it('tells a person whose confirmed deletion the store refused that the review is still there', async () => {
    const review = await startReview(h, '--flow quick-check Outage deletion', ALICE);
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `delete ${review.reviewId}` });
    const modal = await h.slack.waitFor((view) => Object.values(view.world.views).find((entry) => entry.definition.callback_id === 'ar_confirm_delete_modal' && !entry.closed), { description: 'the confirmation' });
    await redis.kill();
    const since = h.slack.world.seq;
    await h.slack.submitView({ userId: ALICE, viewId: modal.id });
    const note = await h.slack.waitFor((view) => view.world.ephemerals.find((entry) => entry.seq > since && entry.userId === ALICE && entry.text === deleteFailedMessage(review.reviewId)), { timeoutMs: 8000, description: 'the private note' });
    expect(note.channel).toBe(CHANNEL);
    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
    expect(await h.store.get(TEAM, review.reviewId)).not.toBeNull();
  });

  it('says in App Home that the reviews could not be loaded, when the tab is opened or a filter chosen while Redis is down, and shows them again once it is back', async () => {
    await startReview(h, '--flow quick-check Home outage bot', ALICE);
    const home = await openHomeUntil(h, ALICE, (blocks) => blocks.includes('Home outage bot'), 'the review');
    await redis.kill();
    const started = Date.now();
    // A filter chosen on the home that was showing.
    await h.slack.selectOption({ userId: ALICE, viewId: home.id, actionId: 'ar_home_filter_channel', value: CHANNEL });
    const unavailable = await h.slack.waitFor(() => (JSON.stringify(homeOf(h, ALICE)?.definition.blocks ?? []).includes(HOME_UNAVAILABLE) ? homeOf(h, ALICE) : undefined), {
      timeoutMs: 8000,
      description: 'the home saying the reviews could not be loaded',
    });
    recordFigure('redis-outage-home', { noticeMs: Date.now() - started });
    expect(JSON.stringify(unavailable.definition.blocks)).not.toContain('Home outage bot');
    // Opened again, still down: the same words, not an empty list.
    const reopened = await openHome(h, ALICE);
    expect(JSON.stringify(reopened.definition.blocks)).toContain(HOME_UNAVAILABLE);
    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
    const back = await openHomeUntil(h, ALICE, (blocks) => blocks.includes('Home outage bot'), 'the review again');
    expect(JSON.stringify(back.definition.blocks)).not.toContain(HOME_UNAVAILABLE);
  });

  it('a reply whose save timed out while Redis stalled is not applied when Redis runs it late', async () => {
    const { review, confirmed, waiting, before } = await reviewWaitingOnAChoice('Stall bot');
    const admin = new Redis(redis.url);
    const pauseMs = 3000;
    const seq = h.slack.world.seq;
    try {
      // Reads still pass, writes (every script) wait: the reply's thread is found, its queueing times out.
      await admin.call('CLIENT', 'PAUSE', String(pauseMs), 'WRITE');
      const sentAt = Date.now();
      void say(review, '1');
      await h.slack.waitFor(() => notSavedNotices(seq).length >= 1 || undefined, { timeoutMs: 6000, description: 'the not-saved notice' });
      expect(Date.now() - sentAt).toBeLessThan(pauseMs);
      // The stall clears just after the app gave up (the worst moment): Redis runs the late
      // enqueue, and the app's retraction right behind it.
      await admin.call('CLIENT', 'UNPAUSE');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await waitUntil(async () => (await h.store.peek(TEAM, review.reviewId)) === null, 'the late reply retracted', 10_000);
      await expectUnmoved(review, before, waiting.id, confirmed);
      await expectResentAnswerApplied(review, waiting, '3', 2);
      await finishAndCheck(review, confirmed);
    } finally {
      admin.disconnect();
    }
    recordFigure('redis-stall', { pauseMs, lateRepliesApplied: 0, answersLost: 0 });
  });
});
