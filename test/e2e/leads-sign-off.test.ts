import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOT_ASSESSED_WARNING } from '../../src/slack/blocks/sign-off.js';
import { INPUTS } from '../../src/slack/ids.js';
import { ALICE, BOB, BOT_USER, CAROL, CHANNEL, LEADS, TEAM } from '../support/app-harness.js';
import { startReview, stateOf, waitForSummaryCard, waitUntil } from '../support/review-driver.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, ephemeralsOf, finishedReview, leadsCardOf, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
});

afterEach(async () => {
  await h.close();
});

function decisionValues(outcome: string, conditions = '') {
  return {
    [INPUTS.decision.block]: { [INPUTS.decision.action]: outcome },
    [INPUTS.conditions.block]: { [INPUTS.conditions.action]: conditions },
  };
}

describe('recording a decision on a finished review', () => {
  it('refuses someone who is neither a lead nor an admin, privately, and changes nothing', async () => {
    const review = await finishedReview(h, 'Resume screener', ALICE);
    const card = cardWithButtons(h, review);
    const seq = h.slack.world.seq;
    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: card.ts, actionId: 'ar_sign_off' });
    const note = await waitForEphemeral(h, BOB, /Only review leads and workspace admins can do that/, seq);
    expect(note.channel).toBe(CHANNEL);
    expect(topModalOf(h, BOB)).toBeUndefined();
    expect((await stateOf(h, review.reviewId)).decision).toBeUndefined();
  });

  it('lets a workspace admin decide from the leads’ card; conditions are required, and both cards are updated in place', async () => {
    const review = await finishedReview(h, 'Claims cost reducer', ALICE);
    const leadsCard = leadsCardOf(h, review.reviewId);
    const threadCard = cardWithButtons(h, review);
    await h.slack.clickButton({ userId: CAROL, channelId: LEADS, messageTs: leadsCard.ts, actionId: 'ar_sign_off' });
    const modal = await h.slack.waitFor(() => topModalOf(h, CAROL), { description: 'the sign-off modal' });
    expect(modal.definition.callback_id).toBe('ar_sign_off_modal');

    const missing = await h.slack.submitView({ userId: CAROL, viewId: modal.id, values: decisionValues('approved_with_conditions') });
    expect(missing.responseAction).toBe('errors');
    expect(h.slack.world.views[modal.id]?.errors?.[INPUTS.conditions.block]).toMatch(/conditions/);

    const conditions = 'Human review of every denial over $500 & <@U0BOB> owns the audit';
    const done = await h.slack.submitView({ userId: CAROL, viewId: modal.id, values: decisionValues('approved_with_conditions', conditions) });
    expect(done.responseAction).toBe('close');

    const state = await waitUntil(async () => {
      const current = await stateOf(h, review.reviewId);
      return current.decision ? current : null;
    }, 'the decision stored');
    expect(state.decision).toMatchObject({ outcome: 'approved_with_conditions', by: CAROL });
    expect(state.history.at(-1)).toMatchObject({ action: 'decision', by: CAROL, before: null, after: 'approved_with_conditions' });

    // The same two messages now carry the decision: updated, not reposted.
    const updatedThread = await h.slack.waitFor(
      (view) => view.world.messages.find((message) => message.ts === threadCard.ts && JSON.stringify(message.blocks).includes('Approved with conditions')),
      { description: 'the thread card with the decision' },
    );
    const updatedLeads = await h.slack.waitFor(
      (view) => view.world.messages.find((message) => message.ts === leadsCard.ts && JSON.stringify(message.blocks).includes('Approved with conditions')),
      { description: "the leads' card with the decision" },
    );
    for (const message of [updatedThread, updatedLeads]) {
      const text = JSON.stringify(message.blocks);
      expect(text).toContain(`<@${CAROL}>`);
      expect(text).toContain('Human review of every denial over $500');
      // What a person typed into the modal never pings anyone.
      expect(text).not.toContain('<@U0BOB>');
    }
    const leadsCards = h.slack.world.messages.filter((message) => message.channel === LEADS && message.user === BOT_USER && JSON.stringify(message.blocks).includes(review.reviewId));
    expect(leadsCards).toHaveLength(1);
  });

  it('lets a lead named in LEAD_USER_IDS decide, and a new decision replaces the old one with both in the history', async () => {
    const review = await finishedReview(h, 'Support bot', BOB);
    const card = cardWithButtons(h, review);
    for (const [outcome, conditions] of [
      ['changes_needed', 'Add an escalation path first.'],
      ['approved', ''],
    ] as const) {
      await h.slack.clickButton({ userId: DAN, channelId: CHANNEL, messageTs: card.ts, actionId: 'ar_sign_off' });
      const modal = await h.slack.waitFor(() => topModalOf(h, DAN), { description: 'the sign-off modal' });
      expect((await h.slack.submitView({ userId: DAN, viewId: modal.id, values: decisionValues(outcome, conditions) })).responseAction).toBe('close');
      await waitUntil(async () => (await stateOf(h, review.reviewId)).decision?.outcome === outcome, `the decision ${outcome}`);
    }
    const state = await stateOf(h, review.reviewId);
    expect(state.history.filter((entry) => entry.action === 'decision').map((entry) => [entry.before, entry.after, entry.by])).toEqual([
      [null, 'changes_needed', DAN],
      ['changes_needed', 'approved', DAN],
    ]);
    expect(state.decision).not.toHaveProperty('conditions');
    expect(ephemeralsOf(h, DAN)).toEqual([]);
  });

  it('warns in the modal when too little was answered to assess the review, and still takes an approval', async () => {
    const review = await startReview(h, '--flow quick-check Barely answered bot', ALICE);
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'finish' });
    const card = await waitForSummaryCard(h, review);
    expect(JSON.stringify(card.blocks)).toContain('Not enough answered to assess');
    expect((await stateOf(h, review.reviewId)).status).toBe('completed');

    await h.slack.clickButton({ userId: DAN, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_sign_off' });
    const modal = await h.slack.waitFor(() => topModalOf(h, DAN), { description: 'the sign-off modal' });
    const blocks = modal.definition.blocks as { type: string; elements?: { text?: string }[] }[];
    const context = blocks.find((block) => block.type === 'context');
    expect(context?.elements?.[0]?.text).toContain(NOT_ASSESSED_WARNING);
    expect(NOT_ASSESSED_WARNING).toBe('Fewer than half the risk areas were assessed: an approval here is not backed by a score.');
    expect(JSON.stringify(blocks)).toContain('Not enough answered · review');

    expect((await h.slack.submitView({ userId: DAN, viewId: modal.id, values: decisionValues('approved') })).responseAction).toBe('close');
    await waitUntil(async () => (await stateOf(h, review.reviewId)).decision?.outcome === 'approved', 'the approval');
  });

  it('says nothing of the kind for a review answered in full', async () => {
    const review = await finishedReview(h, 'Fully answered bot', ALICE);
    await h.slack.clickButton({ userId: DAN, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_sign_off' });
    const modal = await h.slack.waitFor(() => topModalOf(h, DAN), { description: 'the sign-off modal' });
    expect(JSON.stringify(modal.definition.blocks)).not.toContain(NOT_ASSESSED_WARNING);
  });

  it('says a decision waits for the end when the review is active again', async () => {
    const review = await finishedReview(h, 'Lead scorer', ALICE);
    const card = cardWithButtons(h, review);
    const seq = h.slack.world.seq;
    // An edit that makes a new question apply reopens a finished review (the engine's edit rule); stored here directly.
    const record = (await h.store.get(TEAM, review.reviewId))!;
    expect(await h.store.commit(TEAM, review.reviewId, record.version, { ...record.state, status: 'active' }, null, [])).toBeTruthy();
    await h.slack.clickButton({ userId: CAROL, channelId: CHANNEL, messageTs: card.ts, actionId: 'ar_sign_off' });
    await waitForEphemeral(h, CAROL, /once the review is finished/, seq);
    expect(topModalOf(h, CAROL)).toBeUndefined();
  });
});
