/**
 * Deleting a review, against what happens around it: a decision recorded
 * between the deletion's check and its atomic step, the review's cards
 * after it, a card Slack will not update, and a deletion tried again
 * after its index removal failed. The whole app, the stand-in and a real
 * Redis; Dan is a lead (LEAD_USER_IDS), Carol a workspace admin.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECIDED_WHILE_DELETING, SIGNED_OFF_LEADS_ONLY } from '../../src/leads/delete-review.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import { INPUTS } from '../../src/slack/ids.js';
import { channelListKey, reviewKeys, teamKeys, threadKey } from '../../src/store/keys.js';
import { ALICE, BOT_USER, CAROL, CHANNEL, LEADS, TEAM } from '../support/app-harness.js';
import { startReview, stateOf, typicalReply, waitForVersion, type StartedReview } from '../support/review-driver.js';
import { answerThrough, questionMessage, waitForSuggestionsMessage } from '../support/suggestion-helpers.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, dmChannelOf, ephemeralsOf, finishedReview, leadsCardOf, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
});

afterEach(async () => {
  await h.close();
});

async function signOff(review: StartedReview, userId: string): Promise<void> {
  await h.slack.clickButton({ userId, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_sign_off' });
  const modal = await h.slack.waitFor(() => topModalOf(h, userId), { description: 'the sign-off modal' });
  await h.slack.submitView({ userId, viewId: modal.id, values: { [INPUTS.decision.block]: { [INPUTS.decision.action]: 'approved' } } });
  await waitForVersion(h, review, (state) => state.decision?.by === userId, 'the decision');
}

/** Opens the confirmation of `/alignment-review delete` for `userId`. */
async function openDeletion(reviewId: string, userId: string, channelId = CHANNEL) {
  await h.slack.slashCommand({ userId, channelId, command: '/alignment-review', text: `delete ${reviewId}` });
  return h.slack.waitFor(() => topModalOf(h, userId), { description: `the confirmation for ${userId}` });
}

/** Asks for the deletion, confirms it, and waits until the person is told it was deleted and Slack has settled. */
async function deleteConfirmed(reviewId: string, userId: string, channelId = CHANNEL): Promise<void> {
  const confirmation = await openDeletion(reviewId, userId, channelId);
  await h.slack.submitView({ userId, viewId: confirmation.id });
  await waitForEphemeral(h, userId, /were deleted/);
  await h.slack.settled();
}

/**
 * Runs `between` once, when the next deletion has passed its check and is
 * about to run its atomic step: the store's delete, wrapped for one call.
 */
function beforeNextDeletion(between: () => Promise<void>): void {
  const store = h.store;
  const deleteReview = store.delete.bind(store);
  store.delete = async (...args) => {
    store.delete = deleteReview;
    await between();
    return deleteReview(...args);
  };
}

/** The next run of index-remove.lua on the store's connection fails, as a connection lost at that moment would. */
function failIndexRemovalOnce(): void {
  const host = h.redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = host.arStore_indexRemove!;
  host.arStore_indexRemove = () => {
    host.arStore_indexRemove = original;
    return Promise.reject(new Error('Connection is closed.'));
  };
}

function messageAt(ts: string): WorldMessage {
  const found = h.slack.world.messages.find((message) => message.ts === ts);
  if (!found) throw new Error(`no message at ${ts}`);
  return found;
}

function hasButtons(message: WorldMessage): boolean {
  return JSON.stringify(message.blocks ?? []).includes('"button"');
}

/** The chat.update calls made on a message since the world's `seq`-th call. */
function updatesOf(ts: string, sinceCall: number): Array<Record<string, unknown>> {
  return h.slack.calls.filter((call) => call.id > sinceCall && call.method === 'chat.update' && call.args.ts === ts).map((call) => call.args);
}

/** Every message of the review's thread, its first message included, as it reads now. */
function threadMessages(review: StartedReview): WorldMessage[] {
  return h.slack.world.messages.filter((message) => message.ts === review.threadTs || message.threadTs === review.threadTs);
}

/**
 * A quick check answered through its metric, so its proxy-failure
 * suggestions are posted, waiting on the next question (a choice, with
 * buttons) posted below them.
 */
async function reviewWaitingAfterSuggestions(name: string): Promise<StartedReview & { card: WorldMessage; waiting: WorldMessage }> {
  const review = await startReview(h, `--flow quick-check ${name}`, ALICE);
  await answerThrough(h, review, ALICE, typicalReply, 'metric');
  const card = await waitForSuggestionsMessage(h, review);
  await h.slack.waitFor(() => questionMessage(h, review, 'gaming'), { description: 'the question after the metric' });
  await h.slack.settled();
  expect((await stateOf(h, review.reviewId)).currentQuestionId).toBe('gaming');
  // Read once all is posted: a question asked before the card would be asked again below it.
  return { ...review, card, waiting: questionMessage(h, review, 'gaming')! };
}

function lastCallId(): number {
  return h.slack.calls.at(-1)?.id ?? 0;
}

/** Where the review is still indexed: the thread's lookup, the channel's and the team's lists. */
async function indexEntriesOf(review: StartedReview): Promise<string[]> {
  const found: string[] = [];
  if ((await h.redis!.get(threadKey(h.prefix, TEAM, CHANNEL, review.threadTs))) === review.reviewId) found.push('thread');
  if ((await h.redis!.zscore(channelListKey(h.prefix, TEAM, CHANNEL), review.reviewId)) !== null) found.push('channel');
  if ((await h.redis!.zscore(teamKeys(h.prefix, TEAM).all, review.reviewId)) !== null) found.push('team');
  return found;
}

describe('a decision recorded between the deletion’s check and the deletion', () => {
  it('refuses the starter’s deletion, says why, and keeps the review with its decision', async () => {
    const review = await finishedReview(h, 'Resume screener', ALICE);
    const confirmation = await openDeletion(review.reviewId, ALICE);
    // Checked: Alice started it and nobody has decided. Then Dan decides, before the deletion runs.
    beforeNextDeletion(() => signOff(review, DAN));
    const seq = h.slack.world.seq;
    await h.slack.submitView({ userId: ALICE, viewId: confirmation.id });

    const note = await waitForEphemeral(h, ALICE, /./, seq);
    expect(note.text).toBe(SIGNED_OFF_LEADS_ONLY);
    expect((await stateOf(h, review.reviewId)).decision).toMatchObject({ outcome: 'approved', by: DAN });
    expect(await h.store.findByThread(TEAM, CHANNEL, review.threadTs)).toBe(review.reviewId);
    expect(messageAt(review.threadTs).text).not.toContain('deleted by');
    expect(hasButtons(cardWithButtons(h, review))).toBe(true);
  });

  it('refuses a lead’s deletion too, saying a decision just came in; asked again, it goes', async () => {
    const review = await finishedReview(h, 'Claims triage', ALICE);
    const confirmation = await openDeletion(review.reviewId, CAROL, LEADS);
    beforeNextDeletion(() => signOff(review, DAN));
    const seq = h.slack.world.seq;
    await h.slack.submitView({ userId: CAROL, viewId: confirmation.id });

    expect((await waitForEphemeral(h, CAROL, /./, seq)).text).toBe(DECIDED_WHILE_DELETING);
    expect((await stateOf(h, review.reviewId)).decision).toMatchObject({ by: DAN });

    const again = await openDeletion(review.reviewId, CAROL, LEADS);
    await h.slack.submitView({ userId: CAROL, viewId: again.id });
    await waitForEphemeral(h, CAROL, /were deleted/);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
  });
});

describe('the cards of a deleted review', () => {
  it('say who deleted it and when, in the thread and in the leads’ channel, with no buttons left', async () => {
    const review = await finishedReview(h, 'Loan pricing', ALICE);
    await signOff(review, DAN);
    await h.slack.settled();
    const summary = cardWithButtons(h, review);
    const leads = leadsCardOf(h, review.reviewId);
    expect(hasButtons(leads)).toBe(true);
    const since = lastCallId();

    const confirmation = await openDeletion(review.reviewId, CAROL, LEADS);
    // The confirmation shows the decision that goes with the review: what, who and when.
    const asked = JSON.stringify(confirmation.definition.blocks);
    expect(asked).toMatch(new RegExp(`Decision on record:\\* :white_check_mark: Approved by <@${DAN}> on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC`));
    expect(asked).toContain('its answers, scores, decision and history.');
    await h.slack.submitView({ userId: CAROL, viewId: confirmation.id });
    await waitForEphemeral(h, CAROL, /were deleted/);
    await h.slack.settled();

    const today = new Date().toISOString().slice(0, 10);
    const deletedAt = new RegExp(`deleted by <@${CAROL}> on ${today} \\d{2}:\\d{2} UTC\\. Its answers, scores, decision and history are no longer stored\\.`);
    for (const card of [messageAt(summary.ts), messageAt(leads.ts)]) {
      expect(hasButtons(card)).toBe(false);
      expect(card.text).toMatch(deletedAt);
      expect(JSON.stringify(card.blocks)).toMatch(deletedAt);
      expect(JSON.stringify(card.blocks)).not.toContain('Approved');
    }
    expect(messageAt(review.threadTs).text).toMatch(deletedAt);
    // The proxy-failure suggestions keep their verdict buttons once a review has finished: they go too.
    expect(threadMessages(review).filter(hasButtons)).toEqual([]);
    // One update each, and nothing posted where others read.
    expect(updatesOf(summary.ts, since)).toHaveLength(1);
    expect(updatesOf(leads.ts, since)).toHaveLength(1);
    const aliceDm = dmChannelOf(h, ALICE);
    expect(h.slack.calls.filter((call) => call.id > since && call.method === 'chat.postMessage' && call.args.channel !== aliceDm)).toEqual([]);

    // Alice started it and Carol deleted it: Alice is told, once, in her direct messages with the app.
    const told = h.slack.world.messages.filter((message) => message.channel === aliceDm && message.user === BOT_USER);
    expect(told.map((message) => message.text)).toEqual([
      expect.stringMatching(
        new RegExp(`^<@${CAROL}> deleted your alignment review of \\*Loan pricing\\* \\(review ${review.reviewId}\\) in <#${CHANNEL}> on ${today} \\d{2}:\\d{2} UTC\\. Its answers, scores, decision and history are no longer stored\\.$`),
      ),
    ]);
  });

  it('of a finished review with no decision name no decision, and its starter, deleting it herself, gets no note', async () => {
    const review = await finishedReview(h, 'Queue balancer', ALICE);
    await h.slack.settled();
    const summary = cardWithButtons(h, review);
    const confirmation = await openDeletion(review.reviewId, ALICE);
    const asked = JSON.stringify(confirmation.definition.blocks);
    expect(asked).not.toContain('Decision on record');
    expect(asked).toContain('its answers, scores and history.');
    await h.slack.submitView({ userId: ALICE, viewId: confirmation.id });
    await waitForEphemeral(h, ALICE, /were deleted/);
    await h.slack.settled();

    expect(messageAt(summary.ts).text).toMatch(new RegExp(`deleted by <@${ALICE}> on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\. Its answers, scores and history are no longer stored\\.$`));
    expect(dmChannelOf(h, ALICE)).toBeUndefined();
  });

  it('leaves a card Slack refuses to update as it was, logs it, and the deletion stands', async () => {
    const review = await finishedReview(h, 'Fraud scorer', ALICE);
    await h.slack.settled();
    const summary = cardWithButtons(h, review);
    const leads = leadsCardOf(h, review.reviewId);
    h.slack.failNext('chat.update', { error: 'message_not_found', onlyIf: (args) => args.channel === LEADS });

    await deleteConfirmed(review.reviewId, ALICE);

    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expect(await indexEntriesOf(review)).toEqual([]);
    expect(hasButtons(messageAt(summary.ts))).toBe(false);
    expect(messageAt(summary.ts).text).toContain(`deleted by <@${ALICE}>`);
    expect(messageAt(leads.ts).text).toBe(leads.text);
    expect(h.logs.some((line) => line.msg === 'Could not mark a message of the deleted review' && line.ref === 'leads' && line.reviewId === review.reviewId)).toBe(true);
  });
});

describe('the starter of a review someone else deleted', () => {
  it('is told in a direct message; one Slack refuses is logged, and the deletion stands', async () => {
    const review = await finishedReview(h, 'Pricing agent', ALICE);
    await h.slack.settled();
    h.slack.failNext('conversations.open', { error: 'user_disabled', times: 3, onlyIf: (args) => args.users === ALICE });

    await deleteConfirmed(review.reviewId, DAN, LEADS);

    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expect(dmChannelOf(h, ALICE)).toBeUndefined();
    expect(h.logs.some((line) => line.msg === 'Could not tell the starter their review was deleted' && line.reviewId === review.reviewId && line.user === ALICE)).toBe(true);
  });
});

describe('an open review deleted', () => {
  it('leaves no message of its thread with a button: the question it waits on and the suggestion cards say it was deleted', async () => {
    const review = await reviewWaitingAfterSuggestions('Checkout ranker');
    expect(hasButtons(review.card)).toBe(true);
    expect(hasButtons(review.waiting)).toBe(true);
    const since = lastCallId();

    await deleteConfirmed(review.reviewId, ALICE);

    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expect(threadMessages(review).filter(hasButtons)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    // Open, it never had scores or a decision: the note names only what it had, and the time as Home gives it.
    const deletedAt = new RegExp(`deleted by <@${ALICE}> on ${today} \\d{2}:\\d{2} UTC\\. Its answers and history are no longer stored\\.`);
    for (const message of [messageAt(review.card.ts), messageAt(review.waiting.ts), messageAt(review.threadTs)]) {
      expect(message.text).toMatch(deletedAt);
      expect(JSON.stringify(message.blocks)).toMatch(deletedAt);
      expect(message.text).not.toMatch(/scores|decision/);
    }
    // She deleted it herself: no note to tell her.
    expect(dmChannelOf(h, ALICE)).toBeUndefined();
    // Only the messages that had buttons are updated, and the first message: not the answered questions.
    const updated = h.slack.calls.filter((call) => call.id > since && call.method === 'chat.update').map((call) => call.args.ts);
    expect([...updated].sort()).toEqual([review.threadTs, review.card.ts, review.waiting.ts].sort());
    expect(h.slack.calls.filter((call) => call.id > since && call.method === 'chat.postMessage')).toEqual([]);
  });

  it('logs a question Slack refuses to update, and the deletion stands, the suggestion card updated all the same', async () => {
    const review = await reviewWaitingAfterSuggestions('Support router');
    h.slack.failNext('chat.update', { error: 'message_not_found', onlyIf: (args) => args.ts === review.waiting.ts });

    await deleteConfirmed(review.reviewId, ALICE);

    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expect(await indexEntriesOf(review)).toEqual([]);
    expect(hasButtons(messageAt(review.card.ts))).toBe(false);
    expect(messageAt(review.card.ts).text).toContain(`deleted by <@${ALICE}>`);
    expect(hasButtons(messageAt(review.waiting.ts))).toBe(true);
    expect(h.logs.some((line) => line.msg === 'Could not mark a message of the deleted review' && line.ref === 'q:gaming' && line.reviewId === review.reviewId)).toBe(true);
  });
});

describe('a deletion tried again', () => {
  it('after its index removal failed: the retry removes the index entries, and the cards are updated once, the person told once', async () => {
    const review = await finishedReview(h, 'Churn predictor', ALICE);
    await h.slack.settled();
    const summary = cardWithButtons(h, review);
    const leads = leadsCardOf(h, review.reviewId);
    expect(await indexEntriesOf(review)).toEqual(['thread', 'channel', 'team']);
    const since = lastCallId();
    const seq = h.slack.world.seq;
    failIndexRemovalOnce();

    const confirmation = await openDeletion(review.reviewId, CAROL, LEADS);
    await h.slack.submitView({ userId: CAROL, viewId: confirmation.id });
    await waitForEphemeral(h, CAROL, /were deleted/, seq);
    await h.slack.settled();

    expect(h.logs.some((line) => line.msg === 'Could not delete a review yet; trying again' && line.reviewId === review.reviewId)).toBe(true);
    expect(await h.store.get(TEAM, review.reviewId)).toBeNull();
    expect(await indexEntriesOf(review)).toEqual([]);
    expect(await h.redis!.exists(reviewKeys(h.prefix, TEAM, review.reviewId).state)).toBe(0);
    expect(updatesOf(summary.ts, since)).toHaveLength(1);
    expect(updatesOf(leads.ts, since)).toHaveLength(1);
    expect(updatesOf(review.threadTs, since)).toHaveLength(1);
    expect(ephemeralsOf(h, CAROL, seq).map((note) => note.text)).toEqual([`:wastebasket: Review \`${review.reviewId}\` and its history were deleted.`]);
    const aliceDm = dmChannelOf(h, ALICE);
    expect(h.slack.world.messages.filter((message) => message.channel === aliceDm && message.user === BOT_USER && message.text.includes('deleted your alignment review'))).toHaveLength(1);
  });

  it('by a second confirmation: it is told the review was already deleted, and nothing is updated again', async () => {
    const review = await finishedReview(h, 'Ad bidder', ALICE);
    await h.slack.settled();
    const summary = cardWithButtons(h, review);
    const first = await openDeletion(review.reviewId, CAROL, LEADS);
    const second = await openDeletion(review.reviewId, DAN, LEADS);
    const since = lastCallId();

    await h.slack.submitView({ userId: CAROL, viewId: first.id });
    await waitForEphemeral(h, CAROL, /were deleted/);
    await h.slack.settled();
    const seq = h.slack.world.seq;
    await h.slack.submitView({ userId: DAN, viewId: second.id });
    expect((await waitForEphemeral(h, DAN, /./, seq)).text).toBe(`Review \`${review.reviewId}\` was already deleted.`);
    await h.slack.settled();

    expect(updatesOf(summary.ts, since)).toHaveLength(1);
    expect(messageAt(summary.ts).text).toContain(`deleted by <@${CAROL}>`);
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toEqual([]);
  });
});
