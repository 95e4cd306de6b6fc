/**
 * Slack's deliveries as they really come: every event one to four times
 * (retries carry X-Slack-Retry-Num), the copies interleaved with later
 * replies; and replies sent together, without waiting, applied in the order
 * they were sent (by message ts), not the order they happen to arrive in.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/standin/slack/deliverer.js';
import { startReview as startReviewInProcess } from '../../src/reviews/start-review.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { ALICE, BOT_USER, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { inProcessReviews } from '../support/fault-deps.js';
import { recordFigure } from '../support/fault-figures.js';
import { currentQuestionOf, startReview, stateOf, typicalReply, waitForSummaryCard, waitForVersion, waitUntil } from '../support/review-driver.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { REVIEWS_PER_MINUTE_PER_TEAM: '1000' } });
});

afterAll(async () => {
  await h.close();
});

/** A copy of a delivery as Slack's retry sends it: same body, freshly signed, with the retry headers. */
function redeliver(delivery: Delivery, retryNum: number) {
  return h.slack.deliverRaw({
    body: delivery.body,
    contentType: delivery.contentType,
    headers: { 'X-Slack-Retry-Num': String(retryNum), 'X-Slack-Retry-Reason': retryNum % 2 ? 'http_timeout' : 'http_error' },
  });
}

/** Every event delivered since, but the echoes of the app's own new posts: people's messages and all message_changed events. */
function personEventsSince(index: number): Delivery[] {
  return h.slack.deliveries.slice(index).filter((delivery) => {
    if (delivery.kind !== 'event') return false;
    const event = (JSON.parse(delivery.body) as { event?: { user?: string; bot_id?: string } }).event;
    return event?.user !== BOT_USER && event?.bot_id === undefined;
  });
}

describe('Slack delivering each event one to four times', () => {
  it('applies every answer of a whole review once, with the copies arriving interleaved with later replies', async () => {
    // A seeded stream of choices, so a failure can be replayed.
    const seed = Date.now() % 100_000;
    const random = fc.sample(fc.integer({ min: 0, max: 999 }), { seed, numRuns: 2000 });
    let next = 0;
    const pick = (n: number) => random[next++ % random.length]! % n;

    const review = await startReview(h, '--flow quick-check Retry storm', ALICE);
    const waiting: { delivery: Delivery; copies: number }[] = [];
    const inFlight: Promise<{ status: number | null }>[] = [];
    let copiesSent = 0;
    const sendSomeCopies = () => {
      // Send a random share of the copies still owed, each without waiting for the others.
      for (const entry of [...waiting]) {
        if (entry.copies === 0 || pick(2) === 0) continue;
        const retryNum = 4 - entry.copies;
        entry.copies -= 1;
        copiesSent += 1;
        inFlight.push(redeliver(entry.delivery, retryNum));
      }
    };

    const sent: Record<string, string> = {};
    for (let index = 1; index < 40; index++) {
      const question = await currentQuestionOf(h, review);
      if (!question) break;
      const mark = h.slack.deliveries.length;
      const reply = typicalReply(question, index);
      sent[question.id] = reply;
      const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: reply });
      sendSomeCopies();
      for (const delivery of personEventsSince(mark)) waiting.push({ delivery, copies: pick(4) });
      await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
    }
    while (waiting.some((entry) => entry.copies > 0)) sendSomeCopies();
    // Every copy is answered 200 (Slack would otherwise keep retrying).
    expect((await Promise.all(inFlight)).map((result) => result.status).filter((status) => status !== 200)).toEqual([]);
    await h.slack.settled();
    await waitForSummaryCard(h, review);
    await waitUntil(async () => (await h.store.peek('T0001', review.reviewId)) === null, 'an empty inbox');

    const state = await stateOf(h, review.reviewId);
    expect(state.status).toBe('completed');
    const answers = state.history.filter((entry) => entry.action === 'answer');
    expect(answers.map((entry) => entry.questionId)).toEqual(Object.keys(sent));
    for (const [questionId, reply] of Object.entries(sent)) {
      const value = state.answers[questionId]!.value;
      if (value.kind === 'text') expect(value.text).toBe(reply);
    }
    // No copy caused a message of its own: one summary card, each question posted once.
    const botPosts = h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER);
    expect(botPosts.filter((message) => /Alignment review summary/.test(message.text))).toHaveLength(1);
    const questionTexts = botPosts.map((message) => message.text).filter((text) => /^Question \d+:/.test(text) && !text.endsWith('answered'));
    expect(new Set(questionTexts).size).toBe(questionTexts.length);
    expect(copiesSent).toBeGreaterThan(0);
    recordFigure('retries', { seed, events: waiting.length, copiesSent, deliveries: waiting.length + copiesSent, answersApplied: answers.length, answersLost: 0, duplicatesApplied: 0 });
  });
});

describe('replies sent together', () => {
  it('are applied in the order they were sent, by message ts', async () => {
    const rounds = Number(process.env.BURST_ROUNDS ?? 8);
    let replies = 0;
    for (let round = 0; round < rounds; round++) {
      const review = await startReview(h, `--flow quick-check Burst ${round}`, ALICE);
      const flow = h.server.deps.flows.get('quick-check')!;
      const [goal, metric, gaming, acts, stakes] = flow.questions;
      const texts = [`Round ${round}: people want honest answers quickly.`, `Round ${round}: tickets closed per hour.`, '2', '3', '1'];
      // Sent without waiting: the stand-in stamps each ts as it is sent, in this order.
      const sentTs = await Promise.all(texts.map((text) => h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text }).then((result) => result.ts)));
      replies += texts.length;
      const state = await waitForVersion(h, review, (item) => Boolean(item.answers[stakes!.id]), 'the fifth answer');
      expect(state.answers[goal!.id]?.value).toEqual({ kind: 'text', text: texts[0] });
      expect(state.answers[metric!.id]?.value).toEqual({ kind: 'text', text: texts[1] });
      expect(state.answers[gaming!.id]?.value).toEqual({ kind: 'options', optionIds: [gaming!.options[1]!.id] });
      expect(state.answers[acts!.id]?.value).toEqual({ kind: 'options', optionIds: [acts!.options[2]!.id] });
      expect(state.answers[stakes!.id]?.value).toEqual({ kind: 'options', optionIds: [stakes!.options[0]!.id] });
      expect([goal, metric, gaming, acts, stakes].map((question) => state.answers[question!.id]?.messageTs)).toEqual(sentTs);
    }
    recordFigure('burst-order', { rounds, replies, outOfOrder: 0 });
  });
});

describe('the inbox', () => {
  it('applies queued replies by message ts, whatever order they were queued in', async () => {
    const reviews = inProcessReviews(new MemoryStore({ retentionDays: 1 }));
    const started = await startReviewInProcess(reviews.deps, reviews.inbox, reviews.client, { teamId: 'T0ORDER', channelId: 'C0ORDER', userId: ALICE, systemName: 'Order bot', flowId: 'quick-check' });
    if (!started.ok) throw new Error(started.message);
    const [goal, metric, gaming] = reviews.deps.flows.get('quick-check')!.questions;
    const replies = [
      { ts: '1800000000.000300', text: '2' },
      { ts: '1800000000.000100', text: 'People want honest answers quickly.' },
      { ts: '1800000000.000200', text: 'Tickets closed per hour.' },
    ];
    // Queued latest first, as deliveries arriving out of order while the review is busy would be.
    for (const reply of replies) {
      const input = { type: 'reply' as const, text: reply.text, messageTs: reply.ts, by: ALICE, at: new Date().toISOString() };
      expect(await reviews.inbox.enqueue('T0ORDER', started.reviewId, { id: `m:${reply.ts}`, seq: reply.ts, input }, [])).toBe(true);
    }
    await reviews.inbox.drain('T0ORDER', started.reviewId);
    const state = (await reviews.deps.store.get('T0ORDER', started.reviewId))!.state;
    expect(state.answers[goal!.id]?.messageTs).toBe('1800000000.000100');
    expect(state.answers[metric!.id]?.messageTs).toBe('1800000000.000200');
    expect(state.answers[gaming!.id]?.value).toEqual({ kind: 'options', optionIds: [gaming!.options[1]!.id] });
  });
});
