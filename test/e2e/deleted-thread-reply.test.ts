/**
 * A reply, an edit or a word in a deleted review's thread: the person is
 * told privately, in the thread, who deleted the review and when, and that
 * nothing was recorded, whether the process had served the thread before
 * (its thread directory still names the review) or not (a restart, another
 * replica). Replies elsewhere go on as before. The whole app, the stand-in
 * and a real Redis; Dan is a lead.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorldEphemeral } from '../../src/standin/slack/index.js';
import { reviewKeys } from '../../src/store/keys.js';
import { ALICE, BOB, BOT_USER, CHANNEL, LEADS, TEAM } from '../support/app-harness.js';
import { botMessagesInThread, currentQuestionOf, startReview, stateOf, typicalReply, waitForVersion, type StartedReview } from '../support/review-driver.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { ephemeralsOf, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
});

afterEach(async () => {
  await h.close();
});

/** Asks for the deletion, confirms it, and waits until the person is told it was deleted and Slack has settled. */
async function deleteConfirmed(reviewId: string, userId: string, channelId = CHANNEL): Promise<void> {
  await h.slack.slashCommand({ userId, channelId, command: '/alignment-review', text: `delete ${reviewId}` });
  const confirmation = await h.slack.waitFor(() => topModalOf(h, userId), { description: `the confirmation for ${userId}` });
  await h.slack.submitView({ userId, viewId: confirmation.id });
  await waitForEphemeral(h, userId, /were deleted/);
  await h.slack.settled();
}

/** "deleted by <@U…> on 2024-11-27 09:41 UTC", as the thread's first message says it once the review is deleted. */
function deletedByAndAt(review: StartedReview): string {
  const root = h.slack.world.messages.find((message) => message.ts === review.threadTs)!;
  const found = /deleted by <@U\w+> on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/.exec(root.text);
  if (!found) throw new Error(`the first message does not say it was deleted: ${root.text}`);
  return found[0];
}

/** What the app said privately to `userId` in the review's thread since the world's `seq`. */
function notesInThread(review: StartedReview, userId: string, since: number): WorldEphemeral[] {
  return ephemeralsOf(h, userId, since).filter((note) => note.channel === review.channelId && note.threadTs === review.threadTs);
}

/** The one private note `userId` gets in the thread after `since`, once Slack has settled. */
async function theNoteInThread(review: StartedReview, userId: string, since: number): Promise<WorldEphemeral> {
  await waitForEphemeral(h, userId, /deleted/, since);
  await h.slack.settled();
  const notes = notesInThread(review, userId, since);
  expect(notes).toHaveLength(1);
  return notes[0]!;
}

/** The review's own keys still in Redis: after a deletion only its note, whatever is sent to the thread. */
async function reviewKeysLeft(review: StartedReview): Promise<string[]> {
  const keys = reviewKeys(h.prefix, TEAM, review.reviewId);
  const left: string[] = [];
  for (const [name, key] of Object.entries(keys)) if ((await h.redis!.exists(key)) === 1) left.push(name);
  return left;
}

async function answerCurrentQuestion(review: StartedReview, userId: string): Promise<string> {
  const question = (await currentQuestionOf(h, review))!;
  const { ts } = await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text: typicalReply(question, 1) });
  await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
  return ts;
}

describe('a reply in a deleted review’s thread', () => {
  it('is told privately who deleted it and when, and that it was not recorded, by a process that never served the thread', async () => {
    const review = await startReview(h, '--flow quick-check Resume screener', ALICE);
    await deleteConfirmed(review.reviewId, ALICE);
    const botPostsBefore = botMessagesInThread(h.slack, CHANNEL, review.threadTs).length;

    const seq = h.slack.world.seq;
    await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: review.threadTs, text: 'The goal is to shortlist fairly.' });
    const note = await theNoteInThread(review, BOB, seq);

    expect(note.text).toBe(`:wastebasket: This review was ${deletedByAndAt(review)}, so there is nothing left to answer. Your message was not recorded.`);
    expect(note.text).toContain(`<@${ALICE}>`);
    // Privately: nothing new in the thread for everyone, and nothing of the reply stored.
    expect(botMessagesInThread(h.slack, CHANNEL, review.threadTs)).toHaveLength(botPostsBefore);
    expect(notesInThread(review, ALICE, seq)).toEqual([]);
    expect(await reviewKeysLeft(review)).toEqual(['deleted']);
  });

  it('is told so by the process that served the thread, for a reply, a word and an edit; and after a restart, for an edit', async () => {
    const review = await startReview(h, '--flow quick-check Resume screener', ALICE);
    const answerTs = await answerCurrentQuestion(review, ALICE);
    await deleteConfirmed(review.reviewId, DAN, LEADS);
    const botPostsBefore = botMessagesInThread(h.slack, CHANNEL, review.threadTs).length;

    let seq = h.slack.world.seq;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'One more thing about the goal.' });
    expect((await theNoteInThread(review, ALICE, seq)).text).toBe(
      `:wastebasket: This review was ${deletedByAndAt(review)}, so there is nothing left to answer. Your message was not recorded.`,
    );
    expect(deletedByAndAt(review)).toContain(`<@${DAN}>`);

    seq = h.slack.world.seq;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'status' });
    expect((await theNoteInThread(review, ALICE, seq)).text).toMatch(/This review was deleted by .* Your message was not recorded\.$/);

    seq = h.slack.world.seq;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: answerTs, text: 'Shortlist candidates fairly, on the job’s real needs.' });
    expect((await theNoteInThread(review, ALICE, seq)).text).toBe(
      `:wastebasket: This review was ${deletedByAndAt(review)}, so there is nothing left to answer. Your edit was not applied.`,
    );

    await h.restart();
    seq = h.slack.world.seq;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: answerTs, text: 'Shortlist fairly, and say why.' });
    expect((await theNoteInThread(review, ALICE, seq)).text).toMatch(/This review was deleted by .* Your edit was not applied\.$/);

    expect(botMessagesInThread(h.slack, CHANNEL, review.threadTs)).toHaveLength(botPostsBefore);
    expect(await reviewKeysLeft(review)).toEqual(['deleted']);
  });
});

describe('replies elsewhere, once a review was deleted', () => {
  it('in a live review’s thread are recorded as before, with no note', async () => {
    const gone = await startReview(h, '--flow quick-check Resume screener', ALICE);
    const live = await startReview(h, '--flow quick-check Loan triage', ALICE);
    await deleteConfirmed(gone.reviewId, ALICE);

    const seq = h.slack.world.seq;
    await answerCurrentQuestion(live, BOB);
    await h.slack.settled();
    expect(Object.keys((await stateOf(h, live.reviewId)).answers)).toHaveLength(1);
    expect(ephemeralsOf(h, BOB, seq)).toEqual([]);
  });

  it('in a thread the app did not start get no answer, as before', async () => {
    const gone = await startReview(h, '--flow quick-check Resume screener', ALICE);
    await deleteConfirmed(gone.reviewId, ALICE);
    const { ts: rootTs } = await h.slack.sendMessage({ userId: BOB, channelId: CHANNEL, text: 'Lunch at noon?' });

    const seq = h.slack.world.seq;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: rootTs, text: 'Sure.' });
    await h.slack.settled();
    expect(ephemeralsOf(h, ALICE, seq)).toEqual([]);
    expect(h.slack.world.messages.filter((message) => message.threadTs === rootTs && message.user === BOT_USER)).toEqual([]);
  });
});
