/**
 * Slack's acknowledgement of a reply, a click or a lead's decision waits
 * until it is queued in Redis (src/slack/ack-hold.ts, leads-views.ts).
 *
 * - In-process, with Redis holding every write (CLIENT PAUSE WRITE on a
 *   redis-server of the test's own): the stand-in's delivery stays
 *   unanswered until Redis lets the enqueue through, and then the answer is
 *   stored; a pause longer than the hold's limit gets its ack at the limit,
 *   well inside Slack's 3 s; a decision that cannot be queued keeps its
 *   modal open and says so.
 * - With the app as its own process, SIGKILLed while its enqueue is held in
 *   a proxy in front of Redis (so it never reaches Redis), Slack (the
 *   stand-in, retrying as Slack does) delivers the reply again to the
 *   restarted app, and the answer is stored, once. Acknowledged at once, as
 *   Bolt does by itself, that reply was lost without a word. And killed
 *   after Redis ran the enqueue, before its answer came back, Slack's retry
 *   finds the reply queued and the restarted app applies it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { findQuestion } from '../../src/engine/index.js';
import type { Flow } from '../../src/engine/types.js';
import { createLogger } from '../../src/logger.js';
import { loadAllFlows } from '../../src/server.js';
import type { Delivery } from '../../src/standin/slack/index.js';
import { HELD_ACK_MAX_MS } from '../../src/slack/ack-hold.js';
import { reviewKeys } from '../../src/store/keys.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { DECISION_NOT_SAVED } from '../../src/leads/sign-off.js';
import { INPUTS } from '../../src/slack/ids.js';
import { ALICE, BOT_USER, CAROL, CHANNEL, SIGNING_SECRET, TEAM, type Harness, type Standin } from '../support/app-harness.js';
import { cardWithButtons, finishedReview, topModalOf } from '../leads/support/leads-driver.js';
import { appEnv, startAppProcess, type AppProcess } from '../support/app-process.js';
import { startFaultHarness, startStandardStandin } from '../support/fault-harness.js';
import { startPrivateRedis, type PrivateRedis } from '../support/fault-redis.js';
import { recordFigure } from '../support/fault-figures.js';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.js';
import { currentQuestionOf, startReview, stateOf, waitUntil, type StartedReview } from '../support/review-driver.js';

const flow: Flow = loadAllFlows(parseConfig({ NODE_ENV: 'test' }), createLogger('silent')).get('quick-check')!;
let redis: PrivateRedis;
/** A connection of the test's own, to pause and unpause the server's writes. */
let control: Redis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  control = new Redis(redis.url);
});

afterEach(async () => {
  await control.call('CLIENT', 'UNPAUSE');
});

afterAll(async () => {
  control.disconnect();
  await redis.close();
});

/** Every write waits (reads go on) until UNPAUSE or `ms`. */
async function pauseWrites(ms = 20_000): Promise<void> {
  await control.call('CLIENT', 'PAUSE', String(ms), 'WRITE');
}

/** The deliveries of one person-caused event: the first and Slack's retries of it (same event_id). */
function deliveriesOf(slack: Standin, first: Delivery): Delivery[] {
  return slack.deliveries.filter((delivery) => delivery.eventId === first.eventId);
}

describe('the ack of a reply or a click, in-process', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startFaultHarness({ redisUrl: redis.url });
  });

  afterAll(async () => {
    await h.close();
  });

  async function say(review: StartedReview, text: string) {
    return h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
  }

  it('waits until the reply is queued: nothing is answered while Redis holds the enqueue, and the answer is stored once it lets go', async () => {
    const review = await startReview(h, '--flow quick-check Held ack bot', ALICE);
    const question = (await currentQuestionOf(h, review))!;
    await pauseWrites();
    const sent = say(review, 'Shoppers want the right product, fast.');
    const delivery = await waitUntil(() => h.slack.deliveries.find((entry) => entry.description === 'message' && entry.body.includes('the right product, fast')), 'the reply delivered');
    // Long enough for Bolt's own ack, which it sends before any listener runs.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(delivery.state).toBe('pending');
    await control.call('CLIENT', 'UNPAUSE');
    const { ts } = await sent;
    expect(delivery.state).toBe('answered');
    expect(delivery.status).toBe(200);
    const state = await waitUntil(async () => {
      const current = await stateOf(h, review.reviewId);
      return current.answers[question.id] ? current : null;
    }, 'the answer stored');
    expect(state.answers[question.id]?.messageTs).toBe(ts);
  });

  it('waits until a click is queued, the same way', async () => {
    const review = await startReview(h, '--flow quick-check Held click bot', ALICE);
    for (const text of ['Shoppers want the right product, fast.', 'Click-through rate to the cart.']) {
      const question = (await currentQuestionOf(h, review))!;
      const { ts } = await say(review, text);
      await waitUntil(async () => (await stateOf(h, review.reviewId)).answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
    }
    const choice = (await currentQuestionOf(h, review))!;
    expect(choice.kind).toBe('choice');
    const message = await h.slack.waitFor(
      (view) => view.world.messages.filter((entry) => entry.threadTs === review.threadTs && entry.user === BOT_USER && JSON.stringify(entry.blocks ?? []).includes('ar_answer_option_0')).at(-1),
      { description: 'the choice question with its buttons' },
    );
    await pauseWrites();
    const clicked = h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId: 'ar_answer_option_0' });
    const delivery = await waitUntil(() => h.slack.deliveries.find((entry) => entry.description === 'block_actions' && entry.body.includes(message.ts)), 'the click delivered');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(delivery.state).toBe('pending');
    await control.call('CLIENT', 'UNPAUSE');
    await clicked;
    expect(delivery.status).toBe(200);
    await waitUntil(async () => (await stateOf(h, review.reviewId)).answers[choice.id], 'the click stored');
    expect((await stateOf(h, review.reviewId)).answers[choice.id]?.value).toEqual({ kind: 'options', optionIds: [choice.options[0]!.id] });
  });

  it('never waits past its limit: with Redis holding writes for longer, Slack has its ack well inside 3 s, and the answer still lands', async () => {
    const review = await startReview(h, '--flow quick-check Slow Redis bot', ALICE);
    const question = (await currentQuestionOf(h, review))!;
    // Past the hold's limit, inside the store's command timeout (1.5 s, redis-connection.ts).
    await pauseWrites(HELD_ACK_MAX_MS + 300);
    const { ts } = await say(review, 'Shoppers want honest pages.');
    const delivery = h.slack.deliveries.filter((entry) => entry.description === 'message').at(-1)!;
    expect(delivery.status).toBe(200);
    expect(delivery.durationMs).toBeGreaterThanOrEqual(HELD_ACK_MAX_MS - 50);
    expect(delivery.durationMs).toBeLessThan(2_900);
    recordFigure('held-ack-limit', { ackMs: delivery.durationMs, pausedMs: HELD_ACK_MAX_MS + 300 });
    await waitUntil(async () => (await stateOf(h, review.reviewId)).answers[question.id]?.messageTs === ts, 'the answer stored after the pause', 10_000);
  });
  it('keeps a lead’s decision that could not be stored in its modal, with a message; submitted again, it is recorded once', async () => {
    const review = await finishedReview(h, 'Undecided bot', ALICE);
    await h.slack.clickButton({ userId: CAROL, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_sign_off' });
    const modal = await h.slack.waitFor(() => topModalOf(h, CAROL), { description: 'the sign-off modal' });
    const values = { [INPUTS.decision.block]: { [INPUTS.decision.action]: 'approved' }, [INPUTS.conditions.block]: { [INPUTS.conditions.action]: '' } };

    // Longer than the store's command timeout (1.5 s): the enqueue fails, and Redis runs it late.
    await pauseWrites(2_500);
    const refused = await h.slack.submitView({ userId: CAROL, viewId: modal.id, values });
    expect(refused.responseAction).toBe('errors');
    expect(h.slack.world.views[modal.id]?.errors?.[INPUTS.decision.block]).toBe(DECISION_NOT_SAVED);
    expect(topModalOf(h, CAROL)?.id).toBe(modal.id);
    await control.call('CLIENT', 'UNPAUSE');

    const saved = await h.slack.submitView({ userId: CAROL, viewId: modal.id, values });
    expect(saved.responseAction).toBe('close');
    const state = await waitUntil(async () => {
      const current = await stateOf(h, review.reviewId);
      return current.decision ? current : null;
    }, 'the decision stored');
    expect(state.decision).toMatchObject({ outcome: 'approved', by: CAROL });
    // The late run of the refused submission was retracted: one decision in the history.
    await h.slack.settled();
    expect((await stateOf(h, review.reviewId)).history.filter((entry) => entry.action === 'decision')).toHaveLength(1);
  });
});

describe('the app killed while the reply is on its way to Redis', () => {
  let slack: Standin;
  let store: RedisStore;
  let proxy: HoldingProxy;
  let app: AppProcess | undefined;
  const prefix = `held${randomBytes(4).toString('hex')}`;

  /** The app reaches Redis through the holding proxy. */
  async function startApp(): Promise<AppProcess> {
    const started = await startAppProcess({ env: appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, redisUrl: proxy.url, prefix }) });
    slack.setAppUrl(started.eventsUrl);
    return started;
  }

  beforeAll(async () => {
    // Slack's retries at once, after a minute and after five, shortened: the restart takes a second or two, and
    // up to ten on a machine busy with the rest of the suite, which the last retry still waits for.
    slack = await startStandardStandin({ eventRetryDelaysMs: [100, 3_000, 20_000] });
    proxy = await startHoldingProxy({ host: '127.0.0.1', port: redis.port });
    store = new RedisStore({ redis: new Redis(redis.url), prefix, retentionDays: 1 });
    app = await startApp();
  });

  afterAll(async () => {
    await app?.stop();
    await store.close();
    await proxy.close();
    await slack.close();
  });

  function questionPosted(threadTs: string, number: number, timeoutMs = 10_000) {
    return slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === threadTs && message.user === BOT_USER && message.text.startsWith(`Question ${number}:`)), { description: `question ${number}`, timeoutMs });
  }

  /** A quick-check review started through the slash command, its first question posted. */
  async function startQuickReview(name: string): Promise<{ threadTs: string; reviewId: string }> {
    const before = slack.world.seq;
    await slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` });
    const root = await slack.waitFor((view) => view.world.messages.find((message) => message.seq > before && message.user === BOT_USER && message.channel === CHANNEL && !message.threadTs), { description: 'the root message' });
    const reviewId = await waitUntil(() => store.findByThread(TEAM, CHANNEL, root.ts), 'the review stored');
    await questionPosted(root.ts, 1);
    return { threadTs: root.ts, reviewId };
  }

  /** The question's answer is the reply sent at `ts`, applied once (the question goes out just before the commit: inbox.ts, postingOrder). */
  async function expectAnsweredOnce(reviewId: string, questionId: string, ts: string): Promise<void> {
    const stored = await waitUntil(async () => {
      const current = (await store.get(TEAM, reviewId))!.state;
      return current.answers[questionId] ? current : null;
    }, 'the answer stored');
    expect(stored.answers[questionId]?.messageTs).toBe(ts);
    expect(stored.history.filter((entry) => entry.action === 'answer' && entry.questionId === questionId)).toHaveLength(1);
  }

  it('Slack delivers it again to the restarted app, and the answer is stored once', async () => {
    onTestFailed(() => console.error([...(app?.output ?? []), ...(app?.logs ?? []).slice(-20).map((line) => JSON.stringify(line))].join('\n')));
    const { threadTs, reviewId } = await startQuickReview('Killed bot');
    await slack.settled();
    // The start's work done, lock let go: a lock the dead app held would only hold the review up for its lease.
    await waitUntil(async () => (await control.exists(reviewKeys(prefix, TEAM, reviewId).lock)) === 0, 'the review unlocked');
    const state = (await store.get(TEAM, reviewId))!.state;
    const question = findQuestion(flow, state, state.currentQuestionId!)!;

    // The app's next commands stay in the proxy; the process dies with them there, the reply not yet queued.
    proxy.hold();
    const sent = slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs, text: 'Shoppers want the right product, fast.' });
    const first = await waitUntil(() => slack.deliveries.find((entry) => entry.description === 'message' && entry.body.includes('the right product, fast')), 'the reply delivered');
    await waitUntil(() => proxy.heldBytes() > 0, 'the app on its way to Redis with the reply');
    const killedAt = Date.now();
    await app!.stop('SIGKILL');
    app = undefined;
    // Its connections closed, what it had sent is gone with them.
    await waitUntil(() => proxy.heldBytes() === 0, 'the dead app’s commands dropped');
    proxy.release();
    app = await startApp();

    const { ts } = await sent;
    const attempts = deliveriesOf(slack, first);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts[0]!.state).toBe('failed');
    expect(attempts.at(-1)!.status).toBe(200);
    expect(attempts.at(-1)!.headers['X-Slack-Retry-Num']).toBe(String(attempts.length - 1));
    await questionPosted(threadTs, 2);
    await expectAnsweredOnce(reviewId, question.id, ts);
    recordFigure('held-ack-crash-before-enqueue', { deliveries: attempts.length, answersLost: 0, appliedTimes: 1, storedAfterKillMs: Date.now() - killedAt });
  }, 60_000);

  it('taken by Redis just as the app died: Slack delivers it again, and the restarted app applies the queued reply without waiting for its next look', async () => {
    onTestFailed(() => console.error([...(app?.output ?? []), ...(app?.logs ?? []).slice(-20).map((line) => JSON.stringify(line))].join('\n')));
    const { threadTs, reviewId } = await startQuickReview('Queued bot');
    // A first answer, so the app knows the thread and its next reply goes straight to the enqueue.
    await slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs, text: 'Shoppers want the right product, fast.' });
    await questionPosted(threadTs, 2);
    await slack.settled();
    const state = await waitUntil(async () => {
      const current = (await store.get(TEAM, reviewId))!.state;
      return Object.keys(current.answers).length === 1 && (await store.peek(TEAM, reviewId)) === null ? current : null;
    }, 'the first answer stored');
    await waitUntil(async () => (await control.exists(reviewKeys(prefix, TEAM, reviewId).lock)) === 0, 'the review unlocked');
    const question = findQuestion(flow, state, state.currentQuestionId!)!;

    // The enqueue runs in Redis, lock and all; its answer stays in the proxy, and the app dies waiting for it.
    proxy.hold('replies');
    const sent = slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs, text: 'Click-through rate to the cart.' });
    const first = await waitUntil(() => slack.deliveries.find((entry) => entry.description === 'message' && entry.body.includes('Click-through rate to the cart')), 'the reply delivered');
    await waitUntil(async () => (await store.peek(TEAM, reviewId)) !== null, 'the reply queued');
    expect(first.state).toBe('pending');
    const killedAt = Date.now();
    await app!.stop('SIGKILL');
    app = undefined;
    proxy.release();
    app = await startApp();

    const { ts } = await sent;
    const attempts = deliveriesOf(slack, first);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.at(-1)!.status).toBe(200);
    // The dead app's lock lapses after 15 s (inbox.ts); its look for reviews left with work took this minute's turn.
    await questionPosted(threadTs, 3, 30_000);
    await expectAnsweredOnce(reviewId, question.id, ts);
    recordFigure('held-ack-crash-after-enqueue', { deliveries: attempts.length, answersLost: 0, appliedTimes: 1, storedAfterKillMs: Date.now() - killedAt });
  }, 60_000);
});
