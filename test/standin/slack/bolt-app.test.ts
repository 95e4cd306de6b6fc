/**
 * A real Bolt app (HTTP receiver, signature checks, its own body parsing and
 * self-ignoring middleware) talking to the stand-in both ways: if Bolt
 * understands what the stand-in sends and the stand-in serves what Bolt
 * calls, the app under test will get the same treatment.
 */
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { freePort } from '../../support/global-setup.js';

const SECRET = 'bolt-app-test-secret';

let slack: SlackStandin;
let app: App;
let heard: Array<{ kind: string; detail: string }>;

beforeEach(async () => {
  heard = [];
  slack = await startSlackStandin({ signingSecret: SECRET });
  app = new App({ signingSecret: SECRET, token: slack.botToken, clientOptions: { slackApiUrl: slack.apiUrl }, logLevel: LogLevel.ERROR });

  app.command('/alignment-review', async ({ ack, body, client, respond }) => {
    await ack();
    heard.push({ kind: 'command', detail: body.text });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'start',
        title: { type: 'plain_text', text: 'Start a review' },
        submit: { type: 'plain_text', text: 'Start' },
        blocks: [{ type: 'input', block_id: 'name', label: { type: 'plain_text', text: 'System' }, element: { type: 'plain_text_input', action_id: 'value' } }],
      },
    });
    await respond({ text: 'Opening the form' });
  });

  app.view('start', async ({ ack, view, body, client }) => {
    const name = view.state.values.name?.value?.value ?? '';
    if (name.trim() === '') {
      await ack({ response_action: 'errors', errors: { name: 'Name the system' } });
      return;
    }
    await ack();
    await client.chat.postMessage({
      channel: 'C0REVIEWS',
      text: `Review of ${name} started by <@${body.user.id}>`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Review of *${name}*` } },
        { type: 'actions', block_id: 'controls', elements: [{ type: 'button', action_id: 'pause', text: { type: 'plain_text', text: 'Pause' }, value: name }] },
      ],
    });
  });

  app.action('pause', async ({ ack, respond, body }) => {
    await ack();
    heard.push({ kind: 'action', detail: (body as { actions: Array<{ value: string }> }).actions[0]!.value });
    await respond({ replace_original: true, text: 'Paused' });
  });

  // Bolt's default middleware drops the bot's own messages; what reaches here is about people's
  // messages, and the app itself must skip subtypes such as a thread parent's message_changed.
  app.message(async ({ message, say }) => {
    const text = 'text' in message ? String(message.text) : '';
    heard.push({ kind: message.subtype ?? 'message', detail: text });
    if (message.subtype === undefined) await say({ text: `You said: ${text}`, thread_ts: message.ts });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your reviews' } }] } });
  });

  const port = await freePort();
  await app.start(port);
  slack.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
});

afterEach(async () => {
  await app.stop();
  await slack.close();
});

describe('a real Bolt app against the stand-in', () => {
  it('runs a command, a modal with field errors, a post, a click and a response_url replacement', async () => {
    const command = await slack.slashCommand({ userId: 'U0ALICE', channelId: 'C0REVIEWS', command: '/alignment-review', text: 'new' });
    expect(command.status).toBe(200);
    const viewId = await slack.waitFor(({ world }) => world.modalStacks.U0ALICE?.[0]);
    await slack.waitFor(({ world }) => world.ephemerals.find((ephemeral) => ephemeral.text === 'Opening the form'));

    const refused = await slack.submitView({ userId: 'U0ALICE', viewId, values: { name: { value: '  ' } } });
    expect(refused.responseAction).toBe('errors');
    expect(slack.world.views[viewId]?.errors).toEqual({ name: 'Name the system' });

    const accepted = await slack.submitView({ userId: 'U0ALICE', viewId, values: { name: { value: 'Ranker' } } });
    expect(accepted.responseAction).toBe('close');
    const post = await slack.waitFor(({ world }) => world.messages.find((message) => message.text.startsWith('Review of Ranker')));

    await slack.clickButton({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: post.ts, actionId: 'pause' });
    await slack.waitFor(({ world }) => world.messages.find((message) => message.ts === post.ts && message.text === 'Paused'));
    expect(heard).toEqual([
      { kind: 'command', detail: 'new' },
      { kind: 'action', detail: 'Ranker' },
    ]);
  });

  it('hears people’s messages but not its own echoes, and answers in the thread', async () => {
    const sent = await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'hello bot' });
    const reply = await slack.waitFor(({ world }) => world.messages.find((message) => message.threadTs === sent.ts && message.botId));
    expect(reply.text).toBe('You said: hello bot');
    await slack.settled();
    // The reply's echo and the thread parent's message_changed were delivered and acknowledged...
    expect(slack.deliveries.filter((delivery) => delivery.kind === 'event').map((delivery) => [delivery.description, delivery.status])).toEqual([
      ['message', 200],
      ['message', 200],
      ['message_changed', 200],
    ]);
    // ...Bolt kept the bot's own message from the listener; the change to Bob's thread parent
    // reaches it, as with Slack, for the app's own rules to skip.
    expect(heard).toEqual([
      { kind: 'message', detail: 'hello bot' },
      { kind: 'message_changed', detail: '' },
    ]);
  });

  it('publishes the home tab when a person opens it', async () => {
    await slack.openHome({ userId: 'U0CAROL' });
    await slack.waitFor(({ world }) => world.homeViews.U0CAROL);
    expect(slack.calls.map((call) => call.method)).toContain('views.publish');
  });

  it('refuses what Bolt refuses: unsigned and stale requests', async () => {
    const body = { type: 'event_callback', event: { type: 'message', text: 'forged', user: 'U0BOB', channel: 'C0REVIEWS', ts: '1.000100' } };
    const unsigned = await slack.deliverRaw({ body, contentType: 'application/json', sign: false });
    const stale = await slack.deliverRaw({ body, contentType: 'application/json', timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect([unsigned.status, stale.status]).toEqual([401, 401]);
    expect(heard).toEqual([]);
  });
});
