/**
 * Who may say what in a review's thread, what status counts, the start
 * form's check of the leads' channel, and the log of a refusal elsewhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, BOT_USER, CHANNEL, LEADS, PRIVATE_WITHOUT_BOT, PUBLIC_WITHOUT_BOT, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { LEADS_FIELD_NOT_A_MEMBER } from '../../src/reviews/leads-channel-check.js';
import { answerByTyping, currentQuestionOf, startReview, stateOf, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

/** Opens the start form as `userId` and submits it; returns the stand-in's answer and the view. */
async function submitStartForm(userId: string, fields: { system: string; respondents?: string[]; leads?: string }) {
  await h.slack.slashCommand({ userId, channelId: CHANNEL, command: '/alignment-review', text: '' });
  const viewId = await waitUntil(() => h.slack.world.modalStacks[userId]?.at(-1), 'the start modal');
  const result = await h.slack.submitView({
    userId,
    viewId,
    values: {
      ar_in_flow: { ar_flow: 'quick-check' },
      ar_in_system: { ar_system: fields.system },
      ...(fields.respondents ? { ar_in_respondents: { ar_respondents: fields.respondents } } : {}),
      ...(fields.leads ? { ar_in_leads: { ar_leads_channel: fields.leads } } : {}),
    },
  });
  return { result, view: h.slack.world.views[viewId]! };
}

async function reviewStartedAs(system: string): Promise<StartedReview> {
  const root = await h.slack.waitFor((view) => view.world.messages.find((message) => !message.threadTs && message.user === BOT_USER && message.text.includes(system)), {
    description: `the root of ${system}`,
  });
  const review = { reviewId: await waitUntil(() => h.store.findByThread(TEAM, CHANNEL, root.ts), 'the review'), threadTs: root.ts, channelId: CHANNEL };
  await waitUntil(() => currentQuestionOf(h, review), 'the first question');
  return review;
}

/** Says `text` in the thread as `userId`; returns the app's public answer in the thread. */
async function ask(review: StartedReview, userId: string, text: string) {
  const seq = h.slack.world.seq;
  await h.slack.sendMessage({ userId, channelId: CHANNEL, threadTs: review.threadTs, text });
  return h.slack.waitFor((view) => view.world.messages.find((message) => message.seq > seq && message.threadTs === review.threadTs && message.user === BOT_USER), {
    description: `the answer to ${text}`,
  });
}

describe('read-only words in a review only named respondents answer', () => {
  it('the person who started it, not a respondent, gets status and help, and is refused only what would change the review', async () => {
    const { result } = await submitStartForm(ALICE, { system: 'Bob answers', respondents: [BOB] });
    expect(result.responseAction).toBe('close');
    const review = await reviewStartedAs('Bob answers');
    const before = await stateOf(h, review.reviewId);
    const seq = h.slack.world.seq;

    const status = await ask(review, ALICE, 'status');
    expect(JSON.stringify(status.blocks)).toContain('0 of');
    expect(JSON.stringify(status.blocks)).toContain('Waiting on question 1');
    const help = await ask(review, ALICE, 'Help');
    expect(help.text).toBe('Review help');
    await h.slack.settled();
    expect(h.slack.world.ephemerals.filter((item) => item.userId === ALICE && item.seq > seq)).toEqual([]);

    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'skip' });
    const refusal = await h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.userId === ALICE && item.seq > seq), { description: 'the refusal of skip' });
    expect(refusal.text).toBe(`Only <@${BOB}> can answer this review. Your message was not recorded.`);
    expect(await stateOf(h, review.reviewId)).toEqual(before);
  });
});

describe('status', () => {
  it('does not count a skipped question as answered', async () => {
    const review = await startReview(h, '--flow quick-check Skipper', ALICE);
    const first = (await currentQuestionOf(h, review))!;
    await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'skip' });
    await waitForVersion(h, review, (state) => state.answers[first.id]?.value.kind === 'skipped', 'the skip');
    await answerByTyping(h, review, ALICE);
    const state = await stateOf(h, review.reviewId);
    expect(state.status).toBe('completed');
    const values = Object.values(state.answers).map((answer) => answer.value);
    expect(values.filter((value) => value.kind === 'skipped')).toHaveLength(1);
    expect(values.filter((value) => value.kind === 'options' && value.optionIds.includes('not_sure'))).toEqual([]);

    const status = await ask(review, ALICE, 'status');
    const counts = /(\d+) of (\d+) questions answered, (\d+) open\./.exec(JSON.stringify(status.blocks));
    expect(counts).not.toBeNull();
    const [answered, total, open] = counts!.slice(1).map(Number);
    expect(total).toBe(values.length);
    expect(answered).toBe(total! - 1);
    expect(open).toBe(1);
  });
});

describe('the start form’s leads’ channel', () => {
  it('refuses a private channel the app is not in: the form stays open with the reason under the field, and nothing starts', async () => {
    const seq = h.slack.world.seq;
    // Checked before the form closes (start-form-leads-channel.test.ts has the rest).
    const { result, view } = await submitStartForm(ALICE, { system: 'Secret leads', leads: PRIVATE_WITHOUT_BOT });
    expect(result.responseAction).toBe('errors');
    expect(view.errors).toEqual({ ar_in_leads: LEADS_FIELD_NOT_A_MEMBER });
    await h.slack.settled();
    expect(h.slack.world.ephemerals.filter((item) => item.seq > seq)).toEqual([]);
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toEqual([]);
    expect(await h.store.listByTeam(TEAM, 10)).toEqual([]);
  });

  it('takes a public channel the app is not in (it joins it for the summary) and one it is in', async () => {
    for (const [system, leads] of [['Public leads', PUBLIC_WITHOUT_BOT], ['Member leads', LEADS]] as const) {
      const { result } = await submitStartForm(ALICE, { system, leads });
      expect(result.responseAction).toBe('close');
      const review = await reviewStartedAs(system);
      expect((await h.store.get(TEAM, review.reviewId))?.placement.leadsChannel).toBe(leads);
    }
  });
});

describe('a post Slack refuses in another channel', () => {
  it('is logged with the channel that refused, and the review’s own channel apart', async () => {
    const review = await startReview(h, '--flow quick-check Refused leads card', ALICE);
    h.slack.failNext('chat.postMessage', { error: 'channel_not_found', onlyIf: (args) => args.channel === LEADS });
    await answerByTyping(h, review, ALICE);
    const refusal = await waitUntil(() => h.logs.find((line) => line.msg === 'Slack refused a message' && line.reviewId === review.reviewId), 'the refusal logged');
    expect(refusal).toMatchObject({ level: 'error', channel: LEADS, reviewChannel: CHANNEL, op: 'post', slackError: 'channel_not_found' });
  });
});
