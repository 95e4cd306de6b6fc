/**
 * What people write after an option's answer ("Yes — the credit risk lead
 * …") reaches every place the answer is shown, through the real app and
 * the Slack stand-in: the answered question's message in the thread (and
 * again after an edit of the reply) and the summary card.
 *
 * The shipped flows' cards show no option's answer (their headline fields
 * are written answers), so this flow makes a yes/no question a headline:
 * the card then shows that answer as the thread does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { botMessagesInThread, currentQuestionOf, startReview, stateOf, waitForSummaryCard, waitForVersion, type StartedReview } from '../support/review-driver.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';

const FLOW = `
id: detail-check
version: 1
title: Detail check
description: Replies that explain their answer, from the thread to the summary card.
summary:
  human_goal: goal
  proxy_metrics: [repayment]
questions:
  - id: goal
    kind: text
    prompt: What do applicants and the bank actually want from it?
  - id: repayment
    kind: yesno
    prompt: Is it judged on how many of the loans it approves are repaid?
  - id: owner
    kind: yesno
    prompt: Is a named person or team answerable for its outcomes?
    yes:
      - { area: goal_misalignment, weight: 0, safeguard: escalation }
    no:
      - { area: goal_misalignment, weight: 2, reason: "No one answers for its outcomes" }
`;

let h: Harness;
let flowsDir: string;

beforeEach(async () => {
  flowsDir = mkdtempSync(join(tmpdir(), 'detail-flows-'));
  writeFileSync(join(flowsDir, 'detail-check.yaml'), FLOW);
  h = await startHarness({ env: { FLOWS_DIR: flowsDir } });
});

afterEach(async () => {
  await h.close();
  rmSync(flowsDir, { recursive: true, force: true });
});

/** The message that asked `questionId`: its buttons carry the question's id. */
async function questionMessageOf(review: StartedReview, questionId: string): Promise<WorldMessage> {
  return h.slack.waitFor(
    () => botMessagesInThread(h.slack, CHANNEL, review.threadTs).find((message) => JSON.stringify(message.blocks ?? []).includes(`\\"q\\":\\"${questionId}\\"`)),
    { description: `the message of ${questionId}` },
  );
}

/** The message with this ts once its blocks include `text`. */
function shownIn(ts: string, text: string): Promise<WorldMessage> {
  return h.slack.waitFor(
    (view) => view.world.messages.find((message) => message.ts === ts && JSON.stringify(message.blocks ?? []).includes(text)),
    { description: `${JSON.stringify(text)} in message ${ts}` },
  );
}

async function reply(review: StartedReview, questionId: string, text: string): Promise<string> {
  const { ts } = await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
  await waitForVersion(h, review, (state) => state.answers[questionId]?.messageTs === ts, `the answer to ${questionId}`);
  return ts;
}

describe('an answer with an explanation after it', () => {
  it('shows the explanation in the answered question’s message, after an edit, and in the summary card', async () => {
    const review = await startReview(h, '--flow detail-check Loan explainer', ALICE);
    expect((await currentQuestionOf(h, review))?.id).toBe('goal');
    await reply(review, 'goal', 'Loans people can repay, decided fairly and explained.');

    // Slack delivers "&" as "&amp;": kept so, and shown as typed.
    const asked = await questionMessageOf(review, 'repayment');
    const replyTs = await reply(review, 'repayment', 'Yes — repayments within 12 months, weighted by loan size &amp; term');
    expect((await stateOf(h, review.reviewId)).answers.repayment?.value).toEqual({
      kind: 'options',
      optionIds: ['yes'],
      detail: 'repayments within 12 months, weighted by loan size &amp; term',
    });
    const answered = await shownIn(asked.ts, ':white_check_mark: Yes — repayments within 12 months, weighted by loan size &amp; term');
    expect(JSON.stringify(answered.blocks)).not.toContain('"type":"actions"');

    // An edit of the reply changes the explanation in the same message.
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: replyTs, text: 'Yes — repayments within 18 months, weighted by loan size' });
    await waitForVersion(h, review, (state) => state.answers.repayment?.value.kind === 'options' && state.answers.repayment.value.detail === 'repayments within 18 months, weighted by loan size', 'the edit');
    await shownIn(asked.ts, ':white_check_mark: Yes — repayments within 18 months, weighted by loan size');

    // The walk-through's reply, recorded as a bare "Yes" before.
    const owner = await questionMessageOf(review, 'owner');
    await reply(review, 'owner', 'Yes — the credit risk lead; the head of retail lending answers for outcomes');
    await shownIn(owner.ts, ':white_check_mark: Yes — the credit risk lead; the head of retail lending answers for outcomes');

    expect((await stateOf(h, review.reviewId)).status).toBe('completed');
    const card = await waitForSummaryCard(h, review);
    expect(JSON.stringify(card.blocks)).toContain('*Proxy metrics:* Yes — repayments within 18 months, weighted by loan size');
  });
});

describe('a system name with & < >', () => {
  it('is counted as typed, not as Slack escapes it', async () => {
    // 160 characters typed, 320 as delivered: under the 200-character limit.
    const name = 'R&amp;D '.repeat(40).trim();
    const review = await startReview(h, `--flow detail-check ${name}`, ALICE);
    expect((await stateOf(h, review.reviewId)).systemName).toBe(name);
  });
});
