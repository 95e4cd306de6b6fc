import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, CHANNEL } from '../support/app-harness.js';
import { INPUTS } from '../../src/slack/ids.js';
import type { WorldView } from '../../src/standin/slack/index.js';
import { startReview, stateOf, waitForVersion, type StartedReview } from '../support/review-driver.js';
import { OTHER, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, finishedReview, homeBlocksText, homeOf, openHome, openHomeUntil, topModalOf } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

async function answerOne(review: { threadTs: string; reviewId: string; channelId: string }, userId: string, text: string): Promise<void> {
  const before = (await stateOf(h, review.reviewId)).history.length;
  await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text });
  await waitForVersion(h, review as never, (state) => state.history.length > before, 'the answer applied');
}

describe('App Home', () => {
  it('shows a person the reviews they are part of: open ones with the question they wait on, finished ones with levels, each linked', async () => {
    const empty = await openHome(h, ALICE);
    expect(JSON.stringify(empty.definition.blocks)).toContain('None. Start one with');

    const open = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    await answerOne(open, ALICE, 'Pay the right suppliers the right amount, once.');
    const done = await finishedReview(h, 'Resume screener', ALICE);
    const bobs = await finishedReview(h, 'Churn predictor', BOB, OTHER);

    const home = await openHomeUntil(h, ALICE, (blocks) => blocks.includes('Invoice matcher') && blocks.includes('Resume screener') && blocks.includes('Level'), 'both reviews');
    expect(home.type).toBe('home');
    const text = JSON.stringify(home.definition.blocks);
    expect(text).toContain('Reviews you started, answered or were asked to answer');
    expect(text).toContain('Invoice matcher');
    expect(text).toMatch(/Waiting on question 2 of \d+: _/);
    // Answered moments ago: active, not "idle for 0 minutes".
    expect(text).toContain(`Active just now · started by <@${ALICE}>`);
    expect(text).not.toContain('Idle for 0 minutes');
    // The overall level has a line of its own, apart from the first area.
    expect(text).toMatch(/\\nOverall: \*Level (I|II|III|IV)\*\\nBy area: /);
    expect(text).toContain('Resume screener');
    expect(text).toMatch(/\*Level (I|II|III|IV)\*/);
    expect(text).toContain('Reward misspecification');
    expect(text).toContain('_No decision recorded yet_');
    expect(text).not.toContain(bobs.reviewId);
    // The link button goes to the thread, as a Slack permalink would.
    expect(text).toContain(`https://standin.slack.com/archives/${CHANNEL}/p${open.threadTs.replace('.', '')}`);
    expect(text).toContain(`https://standin.slack.com/archives/${CHANNEL}/p${done.threadTs.replace('.', '')}`);

    const click = await h.slack.clickButton({ userId: ALICE, viewId: home.id, actionId: 'ar_open_thread', value: open.reviewId });
    expect(click.status).toBe(200);
  });

  it('shows an admin every review, and filters by channel and level with the choice kept for next time', async () => {
    const mine = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    const other = await finishedReview(h, 'Churn predictor', BOB, OTHER);
    // Bob never opened the tab: nothing was published for him.
    expect(homeOf(h, BOB)).toBeUndefined();

    const all = await openHomeUntil(h, CAROL, (blocks) => blocks.includes(other.reviewId) && blocks.includes(mine.reviewId), 'both reviews');
    let text = JSON.stringify(all.definition.blocks);
    expect(text).toContain('Every review in this workspace');
    expect(text).toContain(mine.reviewId);
    expect(text).toContain(other.reviewId);
    // The channel filter names channels as people know them.
    expect(text).toContain('#ml-platform');

    await h.slack.selectOption({ userId: CAROL, viewId: all.id, actionId: 'ar_home_filter_channel', value: OTHER });
    await h.slack.waitFor(() => (homeBlocksText(h, CAROL).includes(mine.reviewId) ? undefined : true), { description: 'the home filtered by channel' });
    text = homeBlocksText(h, CAROL);
    expect(text).toContain(other.reviewId);

    const overall = /\*Level (I|II|III|IV)\*/.exec(text)?.[1];
    expect(overall).toBeDefined();
    const wrong = overall === 'IV' ? 'I' : 'IV';
    await h.slack.selectOption({ userId: CAROL, viewId: homeOf(h, CAROL)!.id, actionId: 'ar_home_filter_level', value: wrong });
    await h.slack.waitFor(() => (homeBlocksText(h, CAROL).includes(`Finished at Level ${wrong}*`) ? true : undefined), { description: 'the level filter' });
    text = homeBlocksText(h, CAROL);
    expect(text).not.toContain(other.reviewId);
    expect(text).not.toContain('Open reviews');

    await h.slack.selectOption({ userId: CAROL, viewId: homeOf(h, CAROL)!.id, actionId: 'ar_home_filter_level', value: overall! });
    await h.slack.waitFor(() => (homeBlocksText(h, CAROL).includes(other.reviewId) ? true : undefined), { description: 'the right level' });

    // Opening the tab again keeps both filters.
    const again = await openHome(h, CAROL);
    text = JSON.stringify(again.definition.blocks);
    expect(text).toContain(other.reviewId);
    expect(text).not.toContain(mine.reviewId);
    const filters = (again.definition.blocks as { block_id?: string; elements?: { initial_option?: { value: string } }[] }[]).find((block) => block.block_id === 'ar_home_filters');
    expect(filters?.elements?.map((element) => element.initial_option?.value)).toEqual([OTHER, overall, 'all']);
  });

  it('is published again in the background when a review changes, for people who opened it', async () => {
    const review = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    await openHome(h, ALICE);
    expect(homeBlocksText(h, ALICE)).toMatch(/Waiting on question 1 of/);
    const publishesBefore = h.slack.calls.filter((call) => call.method === 'views.publish').length;

    await answerOne(review, ALICE, 'Pay the right suppliers the right amount, once.');
    await h.slack.waitFor(() => (/Waiting on question 2 of/.test(homeBlocksText(h, ALICE)) ? true : undefined), { description: 'the refreshed home' });
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'pause' });
    await h.slack.waitFor(() => (/Paused/.test(homeBlocksText(h, ALICE)) ? true : undefined), { description: 'the paused review on the home' });
    // Bob never opened his home: nothing is published for him.
    expect(homeOf(h, BOB)).toBeUndefined();
    const publishes = h.slack.calls.filter((call) => call.method === 'views.publish');
    expect(publishes.length - publishesBefore).toBeLessThanOrEqual(3);
  });

  it('marks an open review stale after the reminder time and STALE_DAYS, a paused one too, saying how long it has been paused', async () => {
    const idle = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    const paused = await startReview(h, '--flow quick-check Contract redliner', ALICE);
    await answerOne(paused, ALICE, 'pause');
    let text = JSON.stringify((await openHome(h, ALICE)).definition.blocks);
    expect(text).not.toContain('stale');

    // REMINDER_HOURS 24 + STALE_DAYS 7, and an hour more. (A background refresh from the pause may land first: wait for the new view.)
    h.clock.advanceHours(24 + 7 * 24 + 1);
    await h.slack.openHome({ userId: ALICE });
    text = await h.slack.waitFor(() => (/Idle for 8 days/.test(homeBlocksText(h, ALICE)) ? homeBlocksText(h, ALICE) : undefined), { description: 'the home eight days on' });
    const blocks = entryLines(ALICE);
    expect(blocks.find((line) => line.includes(idle.reviewId))).toContain(':hourglass_flowing_sand: *stale*');
    const pausedLine = blocks.find((line) => line.includes(paused.reviewId));
    expect(pausedLine).toContain(':hourglass_flowing_sand: *stale*');
    expect(pausedLine).toMatch(new RegExp(`:double_vertical_bar: Paused for 8 days \\(since \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\) at question 1 of 8 · started by <@${ALICE}>$`));
    // How long it has been paused, once: no idle line saying the same again.
    expect(pausedLine).not.toContain('Idle for');
    expect(text).toMatch(/Idle for 8 days/);
  });

  it('keeps cancelled reviews out of the open list, and shows them under their own filter with who cancelled and when', async () => {
    const kept = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    const dropped = await startReview(h, '--flow quick-check Contract redliner', ALICE);
    // The first `cancel` asks Bob to confirm; his second cancels.
    await h.slack.sendMessage({ userId: BOB, channelId: dropped.channelId, threadTs: dropped.threadTs, text: 'cancel' });
    await waitForVersion(h, dropped, (state) => state.cancelRequest?.by === BOB, 'the cancel waiting to be confirmed');
    await answerOne(dropped, BOB, 'cancel');
    expect((await stateOf(h, dropped.reviewId)).status).toBe('cancelled');

    const home = await openHomeUntil(h, ALICE, (blocks) => blocks.includes(kept.reviewId) && blocks.includes('1 cancelled review not listed here'), 'the cancelled review counted');
    expect(JSON.stringify(home.definition.blocks)).not.toContain(dropped.reviewId);

    await h.slack.selectOption({ userId: ALICE, viewId: home.id, actionId: 'ar_home_filter_show', value: 'cancelled' });
    await h.slack.waitFor(() => (homeBlocksText(h, ALICE).includes('Cancelled reviews') ? true : undefined), { description: 'the cancelled list' });
    const line = entryLines(ALICE).find((text) => text.includes(dropped.reviewId));
    expect(line).toContain(':no_entry_sign: *Cancelled*');
    expect(line).toMatch(new RegExp(`Cancelled by <@${BOB}> on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC · started by <@${ALICE}>`));
    expect(homeBlocksText(h, ALICE)).not.toContain(kept.reviewId);

    // The choice is kept: opening the tab again shows the cancelled list.
    const again = await openHome(h, ALICE);
    expect(JSON.stringify(again.definition.blocks)).toContain(dropped.reviewId);
    expect(filterValues(again)).toEqual(['all', 'all', 'cancelled']);
  });

  it('lists the finished reviews still waiting for a decision under “Needs a decision”', async () => {
    const decided = await finishedReview(h, 'Resume screener', ALICE);
    const waiting = await finishedReview(h, 'Churn predictor', ALICE);
    await signOff(decided, CAROL);

    const home = await openHomeUntil(h, CAROL, (blocks) => blocks.includes(waiting.reviewId) && blocks.includes('Approved by'), 'both finished reviews, one decided');
    await h.slack.selectOption({ userId: CAROL, viewId: home.id, actionId: 'ar_home_filter_show', value: 'needs_decision' });
    await h.slack.waitFor(() => (homeBlocksText(h, CAROL).includes('Needs a decision*') ? true : undefined), { description: 'the needs-a-decision list' });
    const text = homeBlocksText(h, CAROL);
    expect(text).toContain(waiting.reviewId);
    expect(text).not.toContain(decided.reviewId);
    expect(text).not.toContain('Open reviews');
    expect(text).toContain('_No decision recorded yet_');
  });
});

describe('App Home: the “Needs a decision” queue', () => {
  it('says how long each review has waited, and marks one whose answers were edited after its decision', async () => {
    const decided = await finishedReview(h, 'Resume screener', ALICE);
    const waiting = await finishedReview(h, 'Churn predictor', ALICE);
    await signOff(decided, CAROL);
    const goal = (await stateOf(h, decided.reviewId)).answers.human_goal!;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: goal.messageTs!, text: 'Hire the people who will do the job well, fairly.' });
    await waitForVersion(h, decided, (state) => state.decision?.answersChangedAt !== undefined, 'the edit after the decision');
    h.clock.advanceHours(3 * 24 + 1);

    const home = await openHomeUntil(h, CAROL, (blocks) => blocks.includes(waiting.reviewId) && blocks.includes('needs a decision again'), 'the edited decision');
    await h.slack.selectOption({ userId: CAROL, viewId: home.id, actionId: 'ar_home_filter_show', value: 'needs_decision' });
    await h.slack.waitFor(() => (homeBlocksText(h, CAROL).includes('Needs a decision*') ? true : undefined), { description: 'the needs-a-decision list' });
    const rows = entryLines(CAROL);
    const waitingRow = rows.findIndex((line) => line.includes(waiting.reviewId));
    const decidedRow = rows.findIndex((line) => line.includes(decided.reviewId));
    // Waiting since it finished comes before waiting since the edit, made later.
    expect(waitingRow).toBeGreaterThan(-1);
    expect(decidedRow).toBeGreaterThan(waitingRow);
    expect(rows[waitingRow]).toMatch(/\nFinished 3 days ago \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\) · _No decision recorded yet_$/);
    expect(rows[waitingRow]).not.toContain('Needs a decision again');
    expect(rows[decidedRow]).toContain(`\`${decided.reviewId}\` · :warning: *Needs a decision again*`);
    expect(rows[decidedRow]).toMatch(new RegExp(`\\nAnswers edited 3 days ago, after :white_check_mark: Approved by <@${CAROL}> on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC`));
  });
});

/** The text of each block of a person's home, one entry per review. */
function entryLines(userId: string): string[] {
  return (homeOf(h, userId)!.definition.blocks as { text?: { text?: string } }[]).map((block) => block.text?.text ?? '');
}

function filterValues(view: WorldView): (string | undefined)[] | undefined {
  const filters = (view.definition.blocks as { block_id?: string; elements?: { initial_option?: { value: string } }[] }[]).find((block) => block.block_id === 'ar_home_filters');
  return filters?.elements?.map((element) => element.initial_option?.value);
}

async function signOff(review: StartedReview, userId: string): Promise<void> {
  await h.slack.clickButton({ userId, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_sign_off' });
  const modal = await h.slack.waitFor(() => topModalOf(h, userId), { description: 'the sign-off modal' });
  await h.slack.submitView({ userId, viewId: modal.id, values: { [INPUTS.decision.block]: { [INPUTS.decision.action]: 'approved' } } });
  await waitForVersion(h, review, (state) => state.decision !== undefined, 'the decision');
}
