/**
 * The start form checks the leads' channel before it closes: one the summary
 * cannot reach is said under its field, the form stays open with everything
 * typed, and a fitting pick then starts the review. When Slack cannot say in
 * time, the form closes and the start checks after, as before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, BOT_USER, CHANNEL, LEADS, PRIVATE_WITHOUT_BOT, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { LEADS_FIELD_NOT_A_MEMBER, LEADS_NOT_A_MEMBER } from '../../src/reviews/leads-channel-check.js';
import { waitUntil } from '../support/review-driver.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

async function openForm(userId: string): Promise<string> {
  await h.slack.slashCommand({ userId, channelId: CHANNEL, command: '/alignment-review', text: '' });
  return waitUntil(() => h.slack.world.modalStacks[userId]?.at(-1), 'the start modal');
}

const filled = (leads: string) => ({
  ar_in_flow: { ar_flow: 'quick-check' },
  ar_in_system: { ar_system: 'Refund agent' },
  ar_in_respondents: { ar_respondents: [ALICE, BOB] },
  ar_in_leads: { ar_leads_channel: leads },
});

function rootOf(system: string) {
  return h.slack.world.messages.find((message) => !message.threadTs && message.user === BOT_USER && message.text.includes(system));
}

describe('the start form’s leads’ channel', () => {
  it('a private channel the app is not in: the form stays open with the reason under the field, keeps what was typed, and starts once another is picked', async () => {
    const viewId = await openForm(ALICE);
    const seq = h.slack.world.seq;
    const refused = await h.slack.submitView({ userId: ALICE, viewId, values: filled(PRIVATE_WITHOUT_BOT) });
    expect(refused.responseAction).toBe('errors');
    const view = h.slack.world.views[viewId]!;
    expect(view.errors).toEqual({ ar_in_leads: LEADS_FIELD_NOT_A_MEMBER });
    // Still open, with the flow, the name and the respondents as typed.
    expect(h.slack.world.modalStacks[ALICE]?.at(-1)).toBe(viewId);
    expect(JSON.stringify(view.state)).toContain('Refund agent');
    expect(JSON.stringify(view.state)).toContain(BOB);
    await h.slack.settled();
    expect(h.slack.world.ephemerals.filter((item) => item.seq > seq)).toEqual([]);
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toEqual([]);
    expect(await h.store.listByTeam(TEAM, 10)).toEqual([]);

    // Only the leads' channel changes: the review starts with the rest as first typed.
    const started = await h.slack.submitView({ userId: ALICE, viewId, values: { ar_in_leads: { ar_leads_channel: LEADS } } });
    expect(started.responseAction).toBe('close');
    const root = await h.slack.waitFor(() => rootOf('Refund agent'), { description: 'the review’s root message' });
    const reviewId = await waitUntil(() => h.store.findByThread(TEAM, CHANNEL, root.ts), 'the review');
    const record = (await h.store.get(TEAM, reviewId))!;
    expect(record.placement).toMatchObject({ leadsChannel: LEADS, respondents: [ALICE, BOB] });
    expect(record.state.flowId).toBe('quick-check');
  });

  it('when Slack cannot say in time, closes the form and checks after, telling the person privately as before', async () => {
    const viewId = await openForm(ALICE);
    const seq = h.slack.world.seq;
    h.slack.failNext('conversations.info', { error: 'internal_error' });
    const result = await h.slack.submitView({ userId: ALICE, viewId, values: filled(PRIVATE_WITHOUT_BOT) });
    expect(result.responseAction).toBe('close');
    const note = await h.slack.waitFor((world) => world.world.ephemerals.find((item) => item.seq > seq && item.userId === ALICE && item.text === LEADS_NOT_A_MEMBER), {
      description: 'the private refusal',
    });
    expect(note.channel).toBe(CHANNEL);
    await h.slack.settled();
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toEqual([]);
    expect(await h.store.listByTeam(TEAM, 10)).toEqual([]);
  });

  it('a channel found fit before the form closed is not asked about again', async () => {
    const viewId = await openForm(ALICE);
    const result = await h.slack.submitView({ userId: ALICE, viewId, values: filled(LEADS) });
    expect(result.responseAction).toBe('close');
    await h.slack.waitFor(() => rootOf('Refund agent'), { description: 'the review’s root message' });
    await h.slack.settled();
    expect(h.slack.calls.filter((call) => call.method === 'conversations.info' && call.args.channel === LEADS)).toHaveLength(1);
  });
});
