import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { startFakeApp, type FakeApp } from './support/fake-app.js';
import { loadFixture, missingKeys } from './support/shapes.js';

const { WebClient, LogLevel } = webApi;
const SECRET = 'views-test-secret';

let slack: SlackStandin;
let app: FakeApp;
let client: InstanceType<typeof WebClient>;
let nowMs: number;

const answerModal = {
  type: 'modal',
  callback_id: 'answer-modal',
  private_metadata: 'review-42',
  title: { type: 'plain_text', text: 'Answer' },
  submit: { type: 'plain_text', text: 'Save' },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks: [
    { type: 'input', block_id: 'goal', label: { type: 'plain_text', text: 'Goal' }, optional: false, element: { type: 'plain_text_input', action_id: 'text' } },
    {
      type: 'input',
      block_id: 'risk',
      label: { type: 'plain_text', text: 'Risk' },
      optional: false,
      element: {
        type: 'static_select',
        action_id: 'level',
        options: [
          { text: { type: 'plain_text', text: 'Low' }, value: 'low' },
          { text: { type: 'plain_text', text: 'High' }, value: 'high' },
        ],
      },
    },
    {
      type: 'input',
      block_id: 'areas',
      label: { type: 'plain_text', text: 'Areas' },
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: 'picked',
        options: [
          { text: { type: 'plain_text', text: 'Reward' }, value: 'reward' },
          { text: { type: 'plain_text', text: 'Oversight' }, value: 'oversight' },
        ],
      },
    },
    { type: 'input', block_id: 'notes', label: { type: 'plain_text', text: 'Notes' }, optional: true, element: { type: 'plain_text_input', action_id: 'text' } },
  ],
};

function modal(title: string): Record<string, unknown> {
  return { type: 'modal', title: { type: 'plain_text', text: title }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }] };
}

/** Run the slash command with an app that opens the modal from its handler, as a real app does. */
async function openAnswerModal(userId = 'U0ALICE'): Promise<string> {
  app.respond(async (received) => {
    await client.views.open({ trigger_id: String(received.body.trigger_id), view: answerModal as never });
    return { status: 200 };
  });
  await slack.slashCommand({ userId, channelId: 'C0REVIEWS', command: '/alignment-review', text: 'answer' });
  app.respond(() => ({ status: 200 }));
  const stack = slack.world.modalStacks[userId];
  expect(stack).toHaveLength(1);
  return stack![0]!;
}

beforeEach(async () => {
  nowMs = Date.now();
  app = await startFakeApp(SECRET);
  slack = await startSlackStandin({ signingSecret: SECRET, appUrl: app.url, enterpriseId: 'E0001', triggerLifetimeMs: 3000, now: () => nowMs });
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await slack.close();
  await app.close();
});

describe('opening modals', () => {
  it('opens a modal with the trigger id of a slash command', async () => {
    const viewId = await openAnswerModal();
    const view = slack.world.views[viewId];
    expect(view).toMatchObject({ userId: 'U0ALICE', type: 'modal', rootViewId: viewId, closed: false });
    const call = slack.calls.find((recorded) => recorded.method === 'views.open');
    expect(call?.response).toMatchObject({ ok: true, view: { id: viewId, callback_id: 'answer-modal', private_metadata: 'review-42', app_id: 'A0APP' } });
  });

  it('refuses unknown, reused and expired trigger ids', async () => {
    await expect(client.views.open({ trigger_id: '123.456.made-up', view: modal('x') as never })).rejects.toMatchObject({ data: { error: 'invalid_trigger_id' } });
    const { triggerId } = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/alignment-review', text: '' });
    await client.views.open({ trigger_id: triggerId, view: modal('first') as never });
    await expect(client.views.open({ trigger_id: triggerId, view: modal('again') as never })).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });
    const late = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/alignment-review', text: '' });
    nowMs += 3001;
    await expect(client.views.open({ trigger_id: late.triggerId, view: modal('late') as never })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
  });

  it('refuses views that break Slack’s rules, saying where', async () => {
    const { triggerId } = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/alignment-review', text: '' });
    const longTitle = { ...modal('x'), title: { type: 'plain_text', text: 'A title that is far too long' } };
    await expect(client.views.open({ trigger_id: triggerId, view: longTitle as never })).rejects.toMatchObject({
      data: { error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/title/text]'] } },
    });
    const { submit: _submit, ...withoutSubmit } = answerModal;
    await expect(client.views.open({ trigger_id: triggerId, view: withoutSubmit as never })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    // Refusals do not use the trigger up.
    await client.views.open({ trigger_id: triggerId, view: modal('fine') as never });
  });

  it('pushes up to three modals and no more', async () => {
    const rootId = await openAnswerModal('U0BOB');
    for (const title of ['second', 'third']) {
      const { triggerId } = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/x', text: '' });
      const pushed = await client.views.push({ trigger_id: triggerId, view: modal(title) as never });
      expect(pushed.view).toMatchObject({ root_view_id: rootId });
    }
    const { triggerId } = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/x', text: '' });
    await expect(client.views.push({ trigger_id: triggerId, view: modal('fourth') as never })).rejects.toMatchObject({ data: { error: 'push_limit_reached' } });
    expect(slack.world.modalStacks.U0BOB).toHaveLength(3);
  });

  it('updates by view id or external id and refuses a stale hash', async () => {
    const { triggerId } = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/x', text: '' });
    const opened = await client.views.open({ trigger_id: triggerId, view: { ...modal('one'), external_id: 'review-42-modal' } as never });
    const updated = await client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: modal('two') as never });
    expect(updated.view).toMatchObject({ id: opened.view!.id, title: { text: 'two' } });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    await expect(client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: modal('three') as never })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
    const byExternal = await client.views.update({ external_id: 'review-42-modal', view: modal('four') as never });
    expect(byExternal.view?.id).toBe(opened.view?.id);
    await expect(client.views.update({ view_id: 'V999', view: modal('x') as never })).rejects.toMatchObject({ data: { error: 'not_found' } });
  });

  it('publishes one home tab per person, keeping its id', async () => {
    const home = { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Reviews' } }] };
    const first = await client.views.publish({ user_id: 'U0CAROL', view: home as never });
    const second = await client.views.publish({ user_id: 'U0CAROL', view: home as never });
    expect(second.view?.id).toBe(first.view?.id);
    expect(slack.world.homeViews).toEqual({ U0CAROL: first.view?.id });
    await expect(client.views.publish({ user_id: 'U0CAROL', hash: first.view!.hash!, view: home as never })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
  });
});

describe('submitting modals', () => {
  it('sends view_submission in the shape of fixture 05 with state.values from the inputs', async () => {
    const viewId = await openAnswerModal();
    const before = app.received.length;
    const result = await slack.submitView({
      userId: 'U0ALICE',
      viewId,
      values: { goal: { text: 'Rank useful posts' }, risk: { level: 'high' }, areas: { picked: ['reward'] } },
    });
    expect(result).toMatchObject({ status: 200, responseAction: 'close' });
    const received = app.received[before]!;
    expect(received.verified).toBe(true);
    // state.values is keyed by the app's own block ids, so its keys are compared below instead.
    expect(missingKeys(loadFixture('05-view-submission.json'), received.body, ['view.state.values'])).toEqual([]);
    expect(received.body).toMatchObject({
      type: 'view_submission',
      user: { id: 'U0ALICE' },
      view: { id: viewId, callback_id: 'answer-modal', private_metadata: 'review-42' },
    });
    expect((received.body.view as { state: unknown }).state).toEqual({
      values: {
        goal: { text: { type: 'plain_text_input', value: 'Rank useful posts' } },
        risk: { level: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'High', emoji: true }, value: 'high' } } },
        areas: { picked: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'Reward', emoji: true }, value: 'reward' }] } },
        notes: { text: { type: 'plain_text_input', value: null } },
      },
    });
    expect(slack.world.modalStacks.U0ALICE).toBeUndefined();
    expect(slack.world.views[viewId]?.closed).toBe(true);
  });

  it('reports an input the person emptied as Slack does (null, or no options), and one left out with its initial value', async () => {
    const prefilled = {
      ...answerModal,
      blocks: answerModal.blocks.map((block) => {
        if (block.block_id === 'goal') return { ...block, element: { ...block.element, initial_value: 'Rank useful posts' } };
        if (block.block_id === 'notes') return { ...block, element: { ...block.element, initial_value: 'Earlier notes' } };
        if (block.block_id === 'risk') return { ...block, element: { ...block.element, initial_option: block.element.options![1] } };
        return { ...block, element: { ...block.element, initial_options: [block.element.options![0]] } };
      }),
    };
    app.respond(async (received) => {
      await client.views.open({ trigger_id: String(received.body.trigger_id), view: prefilled as never });
      return { status: 200 };
    });
    await slack.slashCommand({ userId: 'U0ALICE', channelId: 'C0REVIEWS', command: '/alignment-review', text: 'answer' });
    app.respond(() => ({ status: 200 }));
    const viewId = slack.world.modalStacks.U0ALICE![0]!;
    await slack.submitView({ userId: 'U0ALICE', viewId, values: { notes: { text: null }, risk: { level: null }, areas: { picked: [] } } });
    expect((app.received.at(-1)!.body.view as { state: unknown }).state).toEqual({
      values: {
        goal: { text: { type: 'plain_text_input', value: 'Rank useful posts' } },
        risk: { level: { type: 'static_select', selected_option: null } },
        areas: { picked: { type: 'checkboxes', selected_options: [] } },
        notes: { text: { type: 'plain_text_input', value: null } },
      },
    });
  });

  it('keeps choices made inside input blocks without telling the app until submission', async () => {
    const viewId = await openAnswerModal();
    const before = app.received.length;
    const picked = await slack.selectOption({ userId: 'U0ALICE', viewId, actionId: 'level', value: 'low' });
    const ticked = await slack.submitCheckboxes({ userId: 'U0ALICE', viewId, actionId: 'picked', selectedValues: ['oversight'] });
    expect([picked.status, ticked.status]).toEqual([null, null]);
    expect(app.received.length).toBe(before);
    await slack.submitView({ userId: 'U0ALICE', viewId, values: { goal: { text: 'x' } } });
    const state = (app.received.at(-1)!.body.view as { state: { values: Record<string, Record<string, Record<string, unknown>>> } }).state.values;
    expect(state.risk?.level?.selected_option).toMatchObject({ value: 'low' });
    expect(state.areas?.picked?.selected_options).toMatchObject([{ value: 'oversight' }]);
  });

  it('shows field errors and keeps the modal open, then closes it on an empty answer', async () => {
    const viewId = await openAnswerModal();
    app.respond(() => ({ body: { response_action: 'errors', errors: { goal: 'Say what the system is for' } } }));
    const refused = await slack.submitView({ userId: 'U0ALICE', viewId, values: { goal: { text: '?' } } });
    expect(refused.responseAction).toBe('errors');
    expect(slack.world.views[viewId]).toMatchObject({ closed: false, errors: { goal: 'Say what the system is for' } });
    expect(slack.world.modalStacks.U0ALICE).toEqual([viewId]);
    app.respond(() => ({ status: 200 }));
    await slack.submitView({ userId: 'U0ALICE', viewId, values: { goal: { text: 'Rank useful posts' } } });
    expect(slack.world.modalStacks.U0ALICE).toBeUndefined();
  });

  it('updates, pushes and clears as the answer says', async () => {
    const viewId = await openAnswerModal();
    app.respond(() => ({ body: { response_action: 'update', view: modal('Thanks') } }));
    const updated = await slack.submitView({ userId: 'U0ALICE', viewId, values: { goal: { text: 'x' } } });
    expect(updated.responseAction).toBe('update');
    expect(slack.world.views[viewId]?.definition.title).toMatchObject({ text: 'Thanks' });
    app.respond(() => ({ body: { response_action: 'push', view: modal('Step 2') } }));
    await slack.submitView({ userId: 'U0ALICE', viewId });
    expect(slack.world.modalStacks.U0ALICE).toHaveLength(2);
    const topId = slack.world.modalStacks.U0ALICE![1]!;
    app.respond(() => ({ body: { response_action: 'clear' } }));
    await slack.submitView({ userId: 'U0ALICE', viewId: topId });
    expect(slack.world.modalStacks.U0ALICE).toBeUndefined();
  });

  it('reports an invalid view in the answer instead of showing it', async () => {
    const viewId = await openAnswerModal();
    app.respond(() => ({ body: { response_action: 'update', view: { type: 'modal', blocks: [] } } }));
    const result = await slack.submitView({ userId: 'U0ALICE', viewId });
    expect(result.problem).toMatch(/must provide a title/);
    expect(slack.world.views[viewId]?.definition.callback_id).toBe('answer-modal');
  });

  it('refuses to submit a view that is not on top, or a value for an element that is not there', async () => {
    const viewId = await openAnswerModal();
    await expect(slack.submitView({ userId: 'U0BOB', viewId })).rejects.toThrow(/not the top modal/);
    await expect(slack.submitView({ userId: 'U0ALICE', viewId, values: { goal: { nope: 'x' } } })).rejects.toThrow(/goal\/text/);
  });

  it('tells the app about a closed modal only when it asked', async () => {
    const { triggerId } = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/x', text: '' });
    const opened = await client.views.open({ trigger_id: triggerId, view: { ...modal('bye'), notify_on_close: true } as never });
    const result = await slack.closeView({ userId: 'U0BOB', viewId: opened.view!.id! });
    expect(result.status).toBe(200);
    expect(app.received.at(-1)?.body).toMatchObject({ type: 'view_closed', view: { id: opened.view!.id }, is_cleared: false });
    expect(slack.world.modalStacks.U0BOB).toBeUndefined();
  });
});
