/**
 * A recorded decision is told in the review's thread, once, naming who
 * decided and the outcome (with the conditions, cut to fit) and mentioning
 * the person who started the review; a changed decision says so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/slack/ids.js';
import { ALICE, BOT_USER, CHANNEL, LEADS } from '../support/app-harness.js';
import { stateOf, waitUntil } from '../support/review-driver.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, finishedReview, topModalOf } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
});

afterEach(async () => {
  await h.close();
});

async function decide(reviewCardTs: string, outcome: string, conditions = ''): Promise<void> {
  await h.slack.clickButton({ userId: DAN, channelId: CHANNEL, messageTs: reviewCardTs, actionId: 'ar_sign_off' });
  const modal = await h.slack.waitFor(() => topModalOf(h, DAN), { description: 'the sign-off modal' });
  const values = { [INPUTS.decision.block]: { [INPUTS.decision.action]: outcome }, [INPUTS.conditions.block]: { [INPUTS.conditions.action]: conditions } };
  expect((await h.slack.submitView({ userId: DAN, viewId: modal.id, values })).responseAction).toBe('close');
}

describe('the decision note in the thread', () => {
  it('is posted once per decision, mentions the starter, names the lead and the outcome, and says when it changed', async () => {
    const review = await finishedReview(h, 'Claims triage', ALICE);
    const card = cardWithButtons(h, review);
    const notes = () =>
      h.slack.world.messages.filter((message) => message.user === BOT_USER && message.threadTs === review.threadTs && /Decision (recorded|changed)/.test(message.text));

    await decide(card.ts, 'changes_needed');
    await waitUntil(async () => (await stateOf(h, review.reviewId)).decision?.outcome === 'changes_needed', 'the first decision');
    const first = await h.slack.waitFor(() => notes()[0], { description: 'the first note' });
    expect(first.channel).toBe(CHANNEL);
    expect(first.text).toContain(`<@${ALICE}>`);
    const firstText = JSON.stringify(first.blocks);
    expect(firstText).toContain(`<@${ALICE}> <@${DAN}> recorded a decision on this review: :no_entry: *Changes needed*.`);

    const conditions = `Human review of every denial & <!channel> ${'and more. '.repeat(80)}`;
    await decide(card.ts, 'approved_with_conditions', conditions);
    await waitUntil(async () => (await stateOf(h, review.reviewId)).decision?.outcome === 'approved_with_conditions', 'the second decision');
    const second = await h.slack.waitFor(() => notes()[1], { description: 'the second note' });
    const secondText = (second.blocks![0] as { text: { text: string } }).text.text;
    expect(secondText).toContain(`changed the decision on this review to :ballot_box_with_check: *Approved with conditions* (it was Changes needed), on these conditions:`);
    // Typed into a modal, so stored escaped: it pings nobody.
    expect(secondText).toContain('>Human review of every denial &amp; &lt;!channel&gt;');
    expect(secondText).not.toContain('<!channel>');
    expect(secondText).toContain('The conditions in full are on the summary card.');
    expect(secondText.length).toBeLessThan(800);

    await h.slack.settled();
    expect(notes()).toHaveLength(2);
    // In the thread only: the leads' channel has its card, updated in place.
    expect(h.slack.world.messages.filter((message) => message.channel === LEADS && /Decision (recorded|changed)/.test(message.text))).toEqual([]);
  });
});
