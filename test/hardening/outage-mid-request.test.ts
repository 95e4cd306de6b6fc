/**
 * Redis goes away in the middle of a request a person is waiting to hear
 * about: after a start's first reads, while its root message is on its way
 * to Slack; after a confirmed deletion's reads, while the admin check is on
 * its way; as the leads' channel is set. The write finds the store down, and is tried again for
 * about 17 s instead of failing at once. Back within that, the request is
 * carried out, once, and the person is told so; away for longer, they are
 * told, once, that it was not, and nothing of it happens later. A store that
 * stalls instead, holding the tries past the wait and running them later,
 * refuses each of them: each runs past the moment the app gave up on it.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notStartedRootText } from '../../src/reviews/lost-starts.js';
import { REQUEST_FAILED } from '../../src/slack/command-failure.js';
import { deleteFailedMessage } from '../../src/leads/delete-review.js';
import { ALICE, BOT_USER, CAROL, CHANNEL, LEADS, TEAM, type Harness, type Standin } from '../support/app-harness.js';
import { startFaultHarness, startStandardStandin } from '../support/fault-harness.js';
import { startPrivateRedis, type PrivateRedis } from '../support/fault-redis.js';
import { recordFigure } from '../support/fault-figures.js';
import { answerByTyping, startReview, waitForSummaryCard, waitUntil } from '../support/review-driver.js';
import { startSlowApiProxy, type SlowApiProxy } from '../support/slow-api-proxy.js';

/** How long the held Slack call waits: Redis must be dead before it goes on, however loaded the machine. */
const HOLD_MS = 1000;
/** How long Redis stays down in the start that waits it out: its root message is held the first HOLD_MS of it. */
const START_DOWN_MS = 5000;
/** How long Redis may hold writes in the start that gives up: well past the start's whole wait (about 17 s of tries, after its held root message and its note's update); the test ends the stall as soon as the person is told. */
const STALL_MS = 45_000;

let redis: PrivateRedis;
let slack: Standin;
let proxy: SlowApiProxy;
let h: Harness;

beforeAll(async () => {
  redis = await startPrivateRedis();
  slack = await startStandardStandin();
  proxy = await startSlowApiProxy(slack.apiUrl);
  h = await startFaultHarness({ redisUrl: redis.url, slack, apiUrl: proxy.apiUrl });
  slack.setAppUrl(`http://127.0.0.1:${h.server.port}/slack/events`);
});

afterAll(async () => {
  if (!redis.running) await redis.restart();
  await h.close();
  await proxy.close();
  await slack.close();
  await redis.close();
});

const stallConnections: Redis[] = [];

afterEach(async () => {
  for (const admin of stallConnections.splice(0)) {
    await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    admin.disconnect();
  }
});

/** Holds every write in Redis (CLIENT PAUSE WRITE) from `begin` to `end`, through a connection of the test's own; ended after the test in any case. */
function writeStall() {
  const admin = new Redis(redis.url);
  stallConnections.push(admin);
  return {
    admin,
    begin: () => admin.call('CLIENT', 'PAUSE', String(STALL_MS), 'WRITE'),
    end: () => admin.call('CLIENT', 'UNPAUSE'),
  };
}

/** What goes wrong with Redis while a Slack call of the request is held: killed by default. */
type Fault = () => Promise<unknown>;

/** Starts a review whose root message is held on its way to Slack while Redis fails; resolves with the root message. */
async function startAcrossAnOutage(systemName: string, fault: Fault = () => redis.kill()) {
  const since = slack.world.seq;
  // Its root message, and no other post (a card of an earlier review may still be on its way).
  const held = proxy.holdNext('chat.postMessage', HOLD_MS, (body) => body.includes(systemName) && !body.includes('thread_ts'));
  await slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${systemName}` });
  await held;
  await fault();
  const faultAt = Date.now();
  const root = await slack.waitFor((view) => view.world.messages.find((message) => message.seq > since && message.user === BOT_USER && !message.threadTs), { description: 'the root message' });
  return { since, root, faultAt };
}

function privateNotes(since: number, userId = ALICE) {
  return slack.world.ephemerals.filter((entry) => entry.seq > since && entry.userId === userId);
}

/**
 * Carol, an admin, confirms the deletion of Alice's review; the admin check
 * (users.info) is held on its way to Slack while Redis is killed, so the
 * deletion itself finds Redis down.
 */
async function deleteAcrossAnOutage(systemName: string, fault: Fault = () => redis.kill()) {
  const review = await startReview(h, `--flow quick-check ${systemName}`, ALICE);
  await slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: `delete ${review.reviewId}` });
  const modal = await slack.waitFor((view) => Object.values(view.world.views).find((entry) => entry.definition.callback_id === 'ar_confirm_delete_modal' && !entry.closed), { description: 'the confirmation' });
  const since = slack.world.seq;
  const held = proxy.holdNext('users.info', HOLD_MS, (body) => body.includes(CAROL));
  await slack.submitView({ userId: CAROL, viewId: modal.id });
  await held;
  await fault();
  return { review, since, faultAt: Date.now() };
}

describe('Redis away while a review starts', () => {
  it('back within the start’s wait: the review starts, once, and nobody is told it failed', async () => {
    const { since, root, faultAt } = await startAcrossAnOutage('StartOutageBot');
    // Down past the first tries of the note and the review (each times out after 1.5 s, the first after the held root message).
    await new Promise((resolve) => setTimeout(resolve, START_DOWN_MS - (Date.now() - faultAt)));
    await redis.restart();
    const first = await slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && message.user === BOT_USER && message.text.startsWith('Question 1:')), {
      description: 'question 1, after the outage',
      timeoutMs: 20_000,
    });
    const startedMs = Date.now() - faultAt;
    await slack.settled();
    expect(privateNotes(since)).toEqual([]);
    expect(slack.world.messages.filter((message) => message.seq > since && message.user === BOT_USER && !message.threadTs)).toEqual([root]);
    expect(slack.world.messages.filter((message) => message.threadTs === root.ts && message.user === BOT_USER)).toEqual([first]);
    expect(h.logs.some((line) => line.msg === 'Could not store a new review yet; trying again')).toBe(true);
    const reviewId = (await h.store.findByThread(TEAM, CHANNEL, root.ts))!;
    const review = { reviewId, threadTs: root.ts, channelId: CHANNEL };
    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    recordFigure('redis-outage-start', { downMs: START_DOWN_MS, firstQuestionMs: startedMs, toldFailed: 0, reviews: 1 });
  });

  it('away for longer: the person is told once, and no review appears once Redis is back', async () => {
    const { since, root, faultAt } = await startAcrossAnOutage('LongStartOutageBot');
    const note = await slack.waitFor(() => privateNotes(since).find((entry) => entry.text === REQUEST_FAILED), { description: 'the private note', timeoutMs: 30_000 });
    expect(note.via).toBe('response_url');
    const failedMs = Date.now() - faultAt;
    await slack.waitFor((view) => view.world.messages.find((message) => message.ts === root.ts && message.text === notStartedRootText('LongStartOutageBot', 'I could not save it')), { description: 'the root message marked' });
    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
    // Nothing the start tried while Redis was away runs later.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await h.store.findByThread(TEAM, CHANNEL, root.ts)).toBeNull();
    expect(slack.world.messages.filter((message) => message.threadTs === root.ts)).toEqual([]);
    expect(privateNotes(since)).toHaveLength(1);
    recordFigure('redis-outage-start-long', { toldAfterMs: failedMs, told: 1, reviews: 0 });
  });

  it('stalled for longer, holding its writes: the person is told once, and no review appears once Redis runs what it held', async () => {
    const stall = writeStall();
    // Every write (each script) now waits in Redis, unanswered, past the start's whole wait; so does all that follows it on the app's connection.
    const { since, root, faultAt: stalledAt } = await startAcrossAnOutage('StallStartBot', stall.begin);
    await slack.waitFor(() => privateNotes(since).find((entry) => entry.text === REQUEST_FAILED), { description: 'the private note', timeoutMs: 40_000 });
    const failedMs = Date.now() - stalledAt;
    await slack.waitFor((view) => view.world.messages.find((message) => message.ts === root.ts && message.text === notStartedRootText('StallStartBot', 'I could not save it')), { description: 'the root message marked' });
    // The stall ends: Redis runs every try of the create it held, each past the moment the app gave up on it.
    await stall.end();
    await waitUntil(() => h.store.ping(), 'the app’s connection to answer again', 10_000);
    const placements = await Promise.all((await stall.admin.keys('*:state')).map((key) => stall.admin.hget(key, 'p')));
    expect(placements.filter((placement) => placement?.includes(root.ts))).toEqual([]);
    expect(h.logs.filter((line) => line.msg === 'Could not store a new review yet; trying again').length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(slack.world.messages.filter((message) => message.threadTs === root.ts)).toEqual([]);
    expect(privateNotes(since)).toHaveLength(1);
    recordFigure('redis-stall-start', { toldAfterMs: failedMs, told: 1, reviews: 0 });
  }, 60_000);
});

describe('Redis away while a confirmed deletion runs', () => {
  it('back within the wait: the review is deleted and the person told so', async () => {
    const { review, since, faultAt } = await deleteAcrossAnOutage('DeleteOutageBot');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await redis.restart();
    const note = await slack.waitFor(() => privateNotes(since, CAROL)[0], { description: 'the private note', timeoutMs: 20_000 });
    const toldMs = Date.now() - faultAt;
    expect(note.text).toBe(`:wastebasket: Review \`${review.reviewId}\` and its history were deleted.`);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    const root = slack.world.messages.find((message) => message.ts === review.threadTs)!;
    expect(root.text).toContain('deleted by <@U0CAROL>');
    expect(h.logs.some((line) => line.msg === 'Could not delete a review yet; trying again')).toBe(true);
    await slack.settled();
    expect(privateNotes(since, CAROL)).toHaveLength(1);
    recordFigure('redis-outage-delete', { downMs: 3500, toldMs, deleted: 1 });
  });

  it('away for longer: the person is told it is still there, and it is', async () => {
    const { review, since, faultAt } = await deleteAcrossAnOutage('LongDeleteOutageBot');
    const note = await slack.waitFor(() => privateNotes(since, CAROL)[0], { description: 'the private note', timeoutMs: 30_000 });
    const toldMs = Date.now() - faultAt;
    expect(note.text).toBe(deleteFailedMessage(review.reviewId));
    await redis.restart();
    await waitUntil(() => h.store.ping(), 'the app to reconnect', 10_000);
    // Nothing the deletion tried while Redis was away runs later.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await h.store.get(TEAM, review.reviewId)).not.toBeNull();
    expect(privateNotes(since, CAROL)).toHaveLength(1);
    recordFigure('redis-outage-delete-long', { toldMs, told: 1, kept: 1 });
  });

  it('stalled for longer, holding its writes: the person is told it is still there, and it still is once Redis runs what it held', async () => {
    const stall = writeStall();
    // Each try of the deletion now waits in Redis, unanswered, past the whole wait.
    const { review, since, faultAt: stalledAt } = await deleteAcrossAnOutage('StallDeleteBot', stall.begin);
    const note = await slack.waitFor(() => privateNotes(since, CAROL)[0], { description: 'the private note', timeoutMs: 40_000 });
    const toldMs = Date.now() - stalledAt;
    expect(note.text).toBe(deleteFailedMessage(review.reviewId));
    // The stall ends: Redis runs every try it held, each past the moment the app gave up on it.
    await stall.end();
    await waitUntil(() => h.store.ping(), 'the app’s connection to answer again', 10_000);
    expect(await h.store.get(TEAM, review.reviewId)).not.toBeNull();
    expect(h.logs.filter((line) => line.msg === 'Could not delete a review yet; trying again').length).toBeGreaterThan(0);
    const root = slack.world.messages.find((message) => message.ts === review.threadTs)!;
    expect(root.text).not.toContain('deleted by');
    expect(privateNotes(since, CAROL)).toHaveLength(1);
    recordFigure('redis-stall-delete', { toldAfterMs: toldMs, told: 1, kept: 1 });
  }, 60_000);
});

describe('Redis away while the leads’ channel is set', () => {
  it('back within the wait: the channel is set and the person told so, not that it failed', async () => {
    await redis.kill();
    const since = slack.world.seq;
    // Carol, an admin: only leads and admins may change the leads' channel.
    await slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: `config leads <#${LEADS}|ai-leads>` });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await redis.restart();
    const note = await slack.waitFor(() => privateNotes(since, CAROL)[0], { description: 'the private answer', timeoutMs: 20_000 });
    expect(note.text).toContain(`Summary cards will go to <#${LEADS}>`);
    expect((await h.store.getSettings(TEAM)).leads_channel).toBe(LEADS);
    await slack.settled();
    expect(privateNotes(since, CAROL)).toHaveLength(1);
  });
});
