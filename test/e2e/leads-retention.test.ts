import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGNED_OFF_LEADS_ONLY } from '../../src/leads/delete-review.js';
import { INPUTS } from '../../src/slack/ids.js';
import { reviewKeys } from '../../src/store/keys.js';
import { DELETION_NOTE_SECONDS } from '../../src/store/types.js';
import { ALICE, BOB, CAROL, CHANNEL, LEADS, TEAM } from '../support/app-harness.js';
import { keysUnder } from '../store/redis-harness.js';
import { startReview, stateOf, waitForVersion, waitUntil } from '../support/review-driver.js';
import { OTHER, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, filesSentTo, finishedReview, openHome, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

async function keys(): Promise<string[]> {
  return keysUnder(h.redis!, h.prefix);
}

/** Every key and sorted-set member that names the review. */
async function tracesOf(reviewId: string): Promise<string[]> {
  const found: string[] = [];
  for (const key of await keys()) {
    if (key.includes(reviewId)) found.push(key);
    const type = await h.redis!.type(key);
    if (type === 'zset') for (const member of await h.redis!.zrange(key, 0, -1)) if (member.includes(reviewId)) found.push(`${key} ∋ ${member}`);
    if (type === 'string' && (await h.redis!.get(key)) === reviewId) found.push(`${key} → ${reviewId}`);
  }
  return found;
}

async function signOff(reviewCard: string, channelId: string, userId: string): Promise<void> {
  await h.slack.clickButton({ userId, channelId, messageTs: reviewCard, actionId: 'ar_sign_off' });
  const modal = await h.slack.waitFor(() => topModalOf(h, userId), { description: 'the sign-off modal' });
  await h.slack.submitView({ userId, viewId: modal.id, values: { [INPUTS.decision.block]: { [INPUTS.decision.action]: 'approved' } } });
}

describe('deleting a review', () => {
  it('asks to confirm, then removes the review, its history, its decision and every index entry pointing to it', async () => {
    const review = await finishedReview(h, 'Resume screener', ALICE);
    const kept = await startReview(h, '--flow quick-check Kept system', ALICE);
    await signOff(cardWithButtons(h, review).ts, CHANNEL, CAROL);
    await waitForVersion(h, review, (state) => state.decision !== undefined, 'the decision');
    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_export' });
    await h.slack.waitFor(() => (filesSentTo(h, BOB).length === 2 ? true : undefined), { description: 'the export' });
    // A finished review has no reminder; give it one (as a reopened review would have) so the delete must drop that entry too.
    await h.store.scheduleReminder(TEAM, review.reviewId, Date.now() + 3_600_000);

    const before = await tracesOf(review.reviewId);
    expect(before.some((trace) => trace.endsWith(':state'))).toBe(true);
    expect(before.some((trace) => trace.includes(':thread:'))).toBe(true);
    expect(before.some((trace) => trace.includes(':chan:'))).toBe(true);
    expect(before.some((trace) => trace.includes(':all ∋'))).toBe(true);
    expect(before.some((trace) => trace.includes(':reminders ∋'))).toBe(true);

    // Signed off, so a lead deletes it (its starter no longer may: see below).
    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: `delete ${review.reviewId}` });
    const modal = await h.slack.waitFor(() => topModalOf(h, CAROL), { description: 'the confirmation' });
    expect(modal.definition.callback_id).toBe('ar_confirm_delete_modal');
    expect(JSON.stringify(modal.definition.blocks)).toContain('Resume screener');
    // Nothing is removed before the confirmation.
    expect(await h.store.get(TEAM, review.reviewId)).not.toBeNull();

    await h.slack.submitView({ userId: CAROL, viewId: modal.id });
    await waitForEphemeral(h, CAROL, /and its history were deleted/);

    // Only the deletion's note is left, for an hour: where the review's messages are, none of what it held.
    const note = reviewKeys(h.prefix, TEAM, review.reviewId).deleted;
    expect(await tracesOf(review.reviewId)).toEqual([note]);
    expect(JSON.stringify(await h.redis!.hgetall(note))).not.toContain('Resume screener');
    expect(await h.redis!.ttl(note)).toBeLessThanOrEqual(DELETION_NOTE_SECONDS);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expect(await h.store.findByThread(TEAM, CHANNEL, review.threadTs)).toBeNull();
    // The other review is untouched.
    expect((await stateOf(h, kept.reviewId)).status).toBe('active');
    expect((await tracesOf(kept.reviewId)).length).toBeGreaterThan(0);

    const root = h.slack.world.messages.find((message) => message.ts === review.threadTs)!;
    expect(root.text).toContain(`deleted by <@${CAROL}>`);
    // A reply in its thread now reaches no review.
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'edit please' });
    await h.slack.settled();
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expect(h.logs.some((line) => line.msg === 'Review deleted' && line.reviewId === review.reviewId && line.user === CAROL)).toBe(true);
  });

  it('lets its starter delete it until a lead records a decision; after that only a lead or an admin may, and a confirmation already open is refused', async () => {
    // Unsigned: the starter asks, confirms, and it is gone.
    const unsigned = await finishedReview(h, 'Draft screener', ALICE);
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `delete ${unsigned.reviewId}` });
    const first = await h.slack.waitFor(() => topModalOf(h, ALICE), { description: 'the confirmation' });
    await h.slack.submitView({ userId: ALICE, viewId: first.id });
    await waitForEphemeral(h, ALICE, /were deleted/);
    expect(await h.store.get(TEAM, unsigned.reviewId)).toBeNull();

    // A confirmation opened before a lead signs the review off is refused once the decision is in.
    const review = await finishedReview(h, 'Signed screener', ALICE);
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `delete ${review.reviewId}` });
    const open = await h.slack.waitFor(() => topModalOf(h, ALICE), { description: 'the confirmation' });
    await signOff(cardWithButtons(h, review).ts, CHANNEL, CAROL);
    await waitForVersion(h, review, (state) => state.decision !== undefined, 'the decision');
    const seq = h.slack.world.seq;
    await h.slack.submitView({ userId: ALICE, viewId: open.id });
    const late = await waitForEphemeral(h, ALICE, /recorded a decision/, seq);
    expect(late.text).toBe(SIGNED_OFF_LEADS_ONLY);
    expect(await h.store.get(TEAM, review.reviewId)).not.toBeNull();

    // Asked again: refused at once, privately, with no confirmation.
    const again = h.slack.world.seq;
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `delete ${review.reviewId}` });
    expect((await waitForEphemeral(h, ALICE, /recorded a decision/, again)).text).toBe(SIGNED_OFF_LEADS_ONLY);
    expect(topModalOf(h, ALICE)).toBeUndefined();
    expect(h.slack.world.ephemerals.filter((item) => item.seq > seq && item.userId !== ALICE)).toEqual([]);
    const state = await stateOf(h, review.reviewId);
    expect(state.decision).toMatchObject({ outcome: 'approved', by: CAROL });
    expect(h.slack.world.messages.find((message) => message.ts === review.threadTs)!.text).not.toContain('deleted by');

    // A lead still may.
    await h.slack.slashCommand({ userId: CAROL, channelId: LEADS, command: '/alignment-review', text: `delete ${review.reviewId}` });
    const modal = await h.slack.waitFor(() => topModalOf(h, CAROL), { description: 'the confirmation' });
    await h.slack.submitView({ userId: CAROL, viewId: modal.id });
    await waitForEphemeral(h, CAROL, /were deleted/);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
  });

  it('refuses anyone else privately, and lets a workspace admin delete another person’s review', async () => {
    const review = await startReview(h, '--flow quick-check Churn predictor', BOB, OTHER);
    await h.slack.slashCommand({ userId: ALICE, channelId: OTHER, command: '/alignment-review', text: `delete ${review.reviewId}` });
    await waitForEphemeral(h, ALICE, /Only the person who started this review, review leads and workspace admins can delete it/);
    expect(topModalOf(h, ALICE)).toBeUndefined();
    expect(await h.store.get(TEAM, review.reviewId)).not.toBeNull();

    await h.slack.slashCommand({ userId: CAROL, channelId: LEADS, command: '/alignment-review', text: `delete ${review.reviewId}` });
    const modal = await h.slack.waitFor(() => topModalOf(h, CAROL), { description: 'the confirmation' });
    await h.slack.submitView({ userId: CAROL, viewId: modal.id });
    await waitForEphemeral(h, CAROL, /were deleted/);
    expect(await tracesOf(review.reviewId)).toEqual([reviewKeys(h.prefix, TEAM, review.reviewId).deleted]);

    await h.slack.slashCommand({ userId: CAROL, channelId: LEADS, command: '/alignment-review', text: `delete ${review.reviewId}` });
    await waitForEphemeral(h, CAROL, /There is no review/);
  });
});

describe('retention', () => {
  it('gives every key a whole review writes an expiry: reminders, exports, sign-off, settings, App Home', async () => {
    await h.slack.slashCommand({ userId: CAROL, channelId: LEADS, command: '/alignment-review', text: `config leads <#${LEADS}|ai-leads>` });
    await waitForEphemeral(h, CAROL, /Summary cards will go to/);
    await openHome(h, ALICE);
    const nudged = await startReview(h, '--flow quick-check Idle system', ALICE);
    h.clock.advanceHours(25);
    expect(await h.server.leads.reminders.tick()).toBe(1);
    expect(await h.store.refs(TEAM, nudged.reviewId)).toHaveProperty('reminded');

    const review = await finishedReview(h, 'Resume screener', ALICE);
    await signOff(cardWithButtons(h, review).ts, CHANNEL, CAROL);
    await waitForVersion(h, review, (state) => state.decision !== undefined, 'the decision');
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `export ${review.reviewId}` });
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv' });
    await h.slack.waitFor(() => (filesSentTo(h, ALICE).length >= 3 ? true : undefined), { description: 'the exports' });
    await h.slack.openHome({ userId: CAROL });
    // One review still waits, so its reminder is scheduled.
    const open = await startReview(h, '--flow quick-check Waiting system', BOB);
    await h.slack.settled();
    await waitUntil(async () => (await keys()).some((key) => key.includes(':user:U0CAROL')), 'the admin’s home settings');

    const all = await keys();
    const kinds = (pattern: RegExp) => all.filter((key) => pattern.test(key));
    // The run must have written each kind of key, or the check below proves little.
    for (const pattern of [/:state$/, /:refs$/, /:seen$/, /:thread:/, /:chan:/, /:all$/, /:settings$/, /:user:/, /:reminders$/, /:rl:/]) {
      expect(kinds(pattern).length, String(pattern)).toBeGreaterThan(0);
    }
    expect(await h.redis!.zscore(all.find((key) => key.endsWith(':reminders'))!, `${TEAM} ${open.reviewId}`)).not.toBeNull();

    const withoutExpiry: string[] = [];
    // -1 is a key without an expiry; -2 is a key gone since it was listed (a start's note cleared meanwhile), which is fine.
    for (const key of all) if ((await h.redis!.pttl(key)) === -1) withoutExpiry.push(key);
    expect(withoutExpiry).toEqual([]);
    // Nothing outlives the retention period (180 days) by more than the index margin of a day.
    for (const key of all) expect(await h.redis!.ttl(key)).toBeLessThanOrEqual(181 * 86_400);
  });
});
