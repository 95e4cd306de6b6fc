import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESCHEDULE_AFTER_MS, runDueReminders } from '../../src/leads/reminders.js';
import { reminderMember, remindersKey, reviewKeys } from '../../src/store/keys.js';
import { ALICE, BOT_USER, CHANNEL, TEAM } from '../support/app-harness.js';
import { startReview, stateOf, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';
import { startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

function nudges(review: StartedReview) {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.startsWith('Reminder:'));
}

/** When the review is due its reminder, as stored; null when it has none. */
async function dueAt(review: StartedReview): Promise<number | null> {
  const score = await h.redis!.zscore(remindersKey(h.prefix), reminderMember(TEAM, review.reviewId));
  return score === null ? null : Number(score);
}

/**
 * Replies, then waits until the change has been applied, the drain let go of the review (the reminder
 * follows a change before that), and the reminder is a day after the reply, or up to RESCHEDULE_AFTER_MS
 * earlier when an earlier change of the active review set it that recently (the loop moves such a
 * reminder when it comes due).
 */
async function reply(review: StartedReview, text: string): Promise<void> {
  const before = (await stateOf(h, review.reviewId)).history.length;
  const sentAt = h.clock.now().getTime();
  await h.slack.sendMessage({ userId: ALICE, channelId: review.channelId, threadTs: review.threadTs, text });
  const state = await waitForVersion(h, review, (current) => current.history.length > before, `"${text}" applied`);
  await waitUntil(async () => {
    if (await h.redis!.exists(reviewKeys(h.prefix, TEAM, review.reviewId).lock)) return false;
    const due = await dueAt(review);
    return state.status === 'active' ? due !== null && due >= sentAt + 24 * 3_600_000 - RESCHEDULE_AFTER_MS : due === null;
  }, `the reminder after "${text}"`);
}

describe('reminders for idle reviews', () => {
  it('nudges once after REMINDER_HOURS, naming the question it waits on, and again only after new activity', async () => {
    const review = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    await reply(review, 'Pay the right suppliers the right amount, once.');

    h.clock.advanceHours(23);
    expect(await h.server.leads.reminders.tick()).toBe(0);
    expect(nudges(review)).toHaveLength(0);

    h.clock.advanceHours(2);
    expect(await h.server.leads.reminders.tick()).toBe(1);
    const [nudge] = nudges(review);
    const text = JSON.stringify(nudge!.blocks);
    expect(text).toContain(`<@${ALICE}>`);
    expect(text).toMatch(/question 2 of \d+/);
    expect(text).toContain('metric');

    // However long it stays idle: one nudge.
    h.clock.advanceHours(48);
    expect(await h.server.leads.reminders.tick()).toBe(0);
    expect(nudges(review)).toHaveLength(1);

    // An answer starts a new idle period, which gets its own nudge.
    await reply(review, 'Savings against list price per order');
    h.clock.advanceHours(25);
    expect(await h.server.leads.reminders.tick()).toBe(1);
    expect(nudges(review)).toHaveLength(2);
  });

  it('nudges once when Slack made the reminder but its answer was lost', async () => {
    const review = await startReview(h, '--flow quick-check Claims triager', ALICE);
    await reply(review, 'Settle honest claims quickly and fairly.');
    h.clock.advanceHours(25);
    h.slack.failNext('chat.postMessage', { performed: true, lost: true, onlyIf: (args) => args.thread_ts === review.threadTs });
    expect(await h.server.leads.reminders.tick()).toBe(1);
    expect(nudges(review)).toHaveLength(1);
    h.clock.advanceHours(48);
    expect(await h.server.leads.reminders.tick()).toBe(0);
    expect(nudges(review)).toHaveLength(1);
  });

  it('never nudges a paused or finished review', async () => {
    const paused = await startReview(h, '--flow quick-check Contract redliner', ALICE);
    await reply(paused, 'pause');
    const cancelled = await startReview(h, '--flow quick-check Ticket router', ALICE);
    // The first `cancel` asks to be confirmed; the second cancels.
    await h.slack.sendMessage({ userId: ALICE, channelId: cancelled.channelId, threadTs: cancelled.threadTs, text: 'cancel' });
    await waitForVersion(h, cancelled, (state) => state.cancelRequest?.by === ALICE, 'the cancel waiting to be confirmed');
    await reply(cancelled, 'cancel');
    h.clock.advanceHours(24 * 30);
    expect(await h.server.leads.reminders.tick()).toBe(0);
    expect(nudges(paused)).toHaveLength(0);
    expect(nudges(cancelled)).toHaveLength(0);

    // Resumed, it is due again a REMINDER_HOURS later.
    await reply(paused, 'resume');
    h.clock.advanceHours(25);
    expect(await h.server.leads.reminders.tick()).toBe(1);
    expect(nudges(paused)).toHaveLength(1);
  });

  it('sends each reminder once with two replicas looking at the same time', async () => {
    const reviews = [
      await startReview(h, '--flow quick-check First system', ALICE),
      await startReview(h, '--flow quick-check Second system', ALICE),
      await startReview(h, '--flow quick-check Third system', ALICE),
    ];
    const replica = await h.addReplica();
    h.clock.advanceHours(25);
    const sent = await Promise.all([
      h.server.leads.reminders.tick(),
      replica.leads.reminders.tick(),
      runDueReminders(h.server.deps),
      runDueReminders(replica.deps),
    ]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(3);
    for (const review of reviews) expect(nudges(review)).toHaveLength(1);
  });

  it('loses no reminder over a restart, nor when the replica that claimed it dies before sending', async () => {
    const review = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    await h.restart();
    h.clock.advanceHours(25);

    // A replica claims the reminder and dies before sending it: its lease (10 minutes) holds it back…
    const claimed = await h.store.claimDueReminders(h.clock.now().getTime(), 10, 10 * 60_000);
    expect(claimed.map((item) => item.reviewId)).toEqual([review.reviewId]);
    expect(await h.server.leads.reminders.tick()).toBe(0);

    // …then it is due again, and the restarted app sends it.
    h.clock.advanceHours(0.25);
    expect(await h.server.leads.reminders.tick()).toBe(1);
    expect(nudges(review)).toHaveLength(1);
    expect(h.logs.some((line) => line.msg === 'Reminder sent' && line.reviewId === review.reviewId)).toBe(true);
  });

  it('does not send a retried reminder twice when the first attempt got through', async () => {
    const review = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    h.clock.advanceHours(25);
    expect(await h.server.leads.reminders.tick()).toBe(1);
    // As if the sender died after posting but before dropping the claim: the time comes round again.
    await h.store.scheduleReminder('T0001', review.reviewId, h.clock.now().getTime());
    expect(await h.server.leads.reminders.tick()).toBe(0);
    expect(nudges(review)).toHaveLength(1);
    expect(h.slack.world.messages.filter((message) => message.channel === CHANNEL && message.threadTs === review.threadTs && /^Reminder/.test(message.text))).toHaveLength(1);
  });
});
