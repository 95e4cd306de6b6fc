/**
 * The audit trail: every kind of change a review records (answer, edit,
 * skip, back, suggestion verdict, decision) is found in the exported JSON
 * with who did it, when, and what it was before and after.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../src/engine/types.js';
import { INPUTS } from '../../src/slack/ids.js';
import { ALICE, BOB, BOT_USER, CAROL, CHANNEL } from '../support/app-harness.js';
import { answerByTyping, currentQuestionOf, startReview, stateOf, waitForSummaryCard, waitForVersion } from '../support/review-driver.js';
import { startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, filesSentTo, topModalOf } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

describe('the audit trail in the export', () => {
  it('holds every answer, edit, skip, back, verdict and decision with who, when, before and after', async () => {
    const review = await startReview(h, '--flow quick-check Purchasing agent', ALICE);
    const say = async (userId: string, text: string) => (await h.slack.sendMessage({ userId, channelId: CHANNEL, threadTs: review.threadTs, text })).ts;

    // answer, then edit that answer
    expect((await currentQuestionOf(h, review))?.id).toBe('human_goal');
    const goalTs = await say(ALICE, 'Buy what the teams need at a fair price, on time, without waste.');
    await waitForVersion(h, review, (state) => state.currentQuestionId === 'metric', 'the goal answered');
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: goalTs, text: 'Buy what the teams need at a fair price, on time, within policy.' });
    await waitForVersion(h, review, (state) => state.history.some((entry) => entry.action === 'edit'), 'the edit applied');

    // answer the metric (suggestions follow), go back to it, answer it again, then skip the next question
    await say(BOB, 'Savings against list price per order');
    await waitForVersion(h, review, (state) => state.currentQuestionId === 'gaming', 'the metric answered');
    await say(BOB, 'back');
    await waitForVersion(h, review, (state) => state.currentQuestionId === 'metric', 'back at the metric');
    await say(BOB, 'Savings against list price, net of late-delivery costs');
    await waitForVersion(h, review, (state) => state.currentQuestionId === 'gaming', 'the metric answered again');
    await say(BOB, 'skip');
    await waitForVersion(h, review, (state) => state.answers.gaming?.value.kind === 'skipped', 'gaming skipped');

    // a verdict on one suggested proxy failure
    const suggestions = await h.slack.waitFor(
      (view) => view.world.messages.find((message) => message.threadTs === review.threadTs && message.user === BOT_USER && JSON.stringify(message.blocks ?? []).includes('ar_suggestion_relevant')),
      { description: 'the suggested proxy failures' },
    );
    await h.slack.clickButton({ userId: CAROL, channelId: CHANNEL, messageTs: suggestions.ts, actionId: 'ar_suggestion_relevant' });
    await waitForVersion(h, review, (state) => state.suggestions.some((item) => item.verdict?.by === CAROL), 'the verdict');

    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);

    // the decision
    await h.slack.clickButton({ userId: CAROL, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_sign_off' });
    const modal = await h.slack.waitFor(() => topModalOf(h, CAROL), { description: 'the sign-off modal' });
    await h.slack.submitView({
      userId: CAROL,
      viewId: modal.id,
      values: { [INPUTS.decision.block]: { [INPUTS.decision.action]: 'changes_needed' }, [INPUTS.conditions.block]: { [INPUTS.conditions.action]: 'Cap order size.' } },
    });
    await waitForVersion(h, review, (state) => state.decision !== undefined, 'the decision');

    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: `export ${review.reviewId}` });
    const json = await h.slack.waitFor(() => filesSentTo(h, CAROL).find((file) => file.name.endsWith('.json')), { description: 'the JSON export' });
    const exported = JSON.parse(json.content) as { schemaVersion: number; history: HistoryEntry[] };
    expect(exported.schemaVersion).toBe(1);
    const history = exported.history;
    expect(history).toEqual((await stateOf(h, review.reviewId)).history);
    const find = (predicate: (entry: HistoryEntry) => boolean, what: string) => {
      const entry = history.find(predicate);
      if (!entry) throw new Error(`no ${what} in the exported history`);
      expect(Number.isFinite(Date.parse(entry.at))).toBe(true);
      return entry;
    };

    const firstGoal = find((entry) => entry.action === 'answer' && entry.questionId === 'human_goal', 'answer');
    expect(firstGoal).toMatchObject({ by: ALICE, before: null, after: { kind: 'text', text: 'Buy what the teams need at a fair price, on time, without waste.' } });

    const edit = find((entry) => entry.action === 'edit', 'edit');
    expect(edit).toMatchObject({
      by: ALICE,
      questionId: 'human_goal',
      before: { kind: 'text', text: 'Buy what the teams need at a fair price, on time, without waste.' },
      after: { kind: 'text', text: 'Buy what the teams need at a fair price, on time, within policy.' },
    });

    const back = find((entry) => entry.action === 'back', 'back');
    expect(back).toMatchObject({ by: BOB, before: 'gaming', after: 'metric' });

    const again = history.filter((entry) => entry.action === 'answer' && entry.questionId === 'metric');
    expect(again.map((entry) => [entry.by, entry.before, entry.after])).toEqual([
      [BOB, null, { kind: 'text', text: 'Savings against list price per order' }],
      [BOB, { kind: 'text', text: 'Savings against list price per order' }, { kind: 'text', text: 'Savings against list price, net of late-delivery costs' }],
    ]);

    const skip = find((entry) => entry.action === 'skip', 'skip');
    expect(skip).toMatchObject({ by: BOB, questionId: 'gaming', before: null, after: { kind: 'skipped' } });

    const verdict = find((entry) => entry.action === 'verdict', 'verdict');
    expect(verdict).toMatchObject({ by: CAROL, before: null, after: true });
    expect(verdict.suggestionId).toEqual(expect.any(String));

    const decision = find((entry) => entry.action === 'decision', 'decision');
    expect(decision).toMatchObject({ by: CAROL, before: null, after: 'changes_needed', conditions: 'Cap order size.' });

    // The Markdown tells the same story, readably.
    const markdown = filesSentTo(h, CAROL).find((file) => file.name.endsWith('.md'))!.content;
    expect(markdown).toMatch(/\| Alice Moreau \(U0ALICE\) \| edited an answer \|/);
    expect(markdown).toMatch(/\| Bob Okafor \(U0BOB\) \| went back \|/);
    expect(markdown).toMatch(/\| Carol Lindqvist \(U0CAROL\) \| suggestion verdict \| .* \| — \| relevant \|/);
    expect(markdown).toMatch(/\| Carol Lindqvist \(U0CAROL\) \| decision \| — \| — \| Changes needed — Cap order size\. \|/);
  });
});
