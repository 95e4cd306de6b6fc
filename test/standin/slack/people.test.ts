import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { eventsOf, startFakeApp, type FakeApp } from './support/fake-app.js';
import { loadFixture, missingKeys } from './support/shapes.js';

const SECRET = 'people-test-secret';

let slack: SlackStandin;
let app: FakeApp;

beforeEach(async () => {
  app = await startFakeApp(SECRET);
  slack = await startSlackStandin({ signingSecret: SECRET, appUrl: app.url, enterpriseId: 'E0001', threadParentEvents: true });
});

afterEach(async () => {
  await slack.close();
  await app.close();
});

describe('slash commands', () => {
  it('posts the form fields of fixture 01, signed, with a trigger id and a response URL', async () => {
    const result = await slack.slashCommand({ userId: 'U0ALICE', channelId: 'C0REVIEWS', command: '/alignment-review', text: 'start Ranker' });
    expect(result.status).toBe(200);
    const [received] = app.received;
    expect(received?.verified).toBe(true);
    expect(received?.contentType).toBe('application/x-www-form-urlencoded');
    expect(missingKeys(loadFixture('01-slash-command.json'), received?.body)).toEqual([]);
    expect(received?.body).toMatchObject({
      command: '/alignment-review',
      text: 'start Ranker',
      user_id: 'U0ALICE',
      channel_id: 'C0REVIEWS',
      channel_name: 'ai-reviews',
      team_id: 'T0001',
      trigger_id: result.triggerId,
      response_url: result.responseUrl,
    });
  });

  it('shows an acknowledgement that carries a message as an ephemeral, or in the channel when asked', async () => {
    app.respond(() => ({ body: { text: 'Only you see this' } }));
    const quiet = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/alignment-review', text: 'help' });
    expect(quiet.posted.ephemerals).toMatchObject([{ userId: 'U0BOB', channel: 'C0REVIEWS', text: 'Only you see this', via: 'response_url' }]);
    app.respond(() => ({ body: { response_type: 'in_channel', text: 'Everyone sees this' } }));
    const loud = await slack.slashCommand({ userId: 'U0BOB', channelId: 'C0REVIEWS', command: '/alignment-review', text: 'help' });
    expect(loud.posted.messages).toMatchObject([{ channel: 'C0REVIEWS', text: 'Everyone sees this', botId: 'B0BOT' }]);
  });

  it('turns POSTs to the response URL into ephemerals and channel messages', async () => {
    const result = await slack.slashCommand({ userId: 'U0CAROL', channelId: 'C0GENERAL', command: '/alignment-review', text: '' });
    const later = await fetch(result.responseUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'later, privately' }) });
    expect(later.status).toBe(200);
    await fetch(result.responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', text: 'later, publicly' }),
    });
    expect(slack.world.ephemerals.map((ephemeral) => [ephemeral.userId, ephemeral.text])).toEqual([['U0CAROL', 'later, privately']]);
    expect(slack.world.messages.map((message) => message.text)).toEqual(['later, publicly']);
    expect(slack.calls.filter((call) => call.method === 'response_url')).toHaveLength(2);
  });

  it('tells the person when the app fails to answer, as Slack does', async () => {
    app.respond(() => ({ status: 500 }));
    const result = await slack.slashCommand({ userId: 'U0ALICE', channelId: 'C0REVIEWS', command: '/alignment-review', text: '' });
    expect(result.status).toBe(500);
    expect(result.posted.ephemerals).toMatchObject([{ userId: 'U0ALICE', via: 'slack', text: '/alignment-review failed with the error "dispatch_failed"' }]);
  });
});

describe('messages', () => {
  it('delivers a top-level message in the shape of fixture 03', async () => {
    const { ts, status } = await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'Hello World!' });
    expect(status).toBe(200);
    const [body] = eventsOf(app, (event) => event.type === 'message');
    // authed_users is the deprecated field that `authorizations` replaced.
    expect(missingKeys(loadFixture('03-message-top-level-channel.event.json'), body, ['authed_users'])).toEqual([]);
    expect(body?.event).toMatchObject({ type: 'message', user: 'U0BOB', text: 'Hello World!', ts, channel: 'C0REVIEWS', channel_type: 'channel' });
    expect((body?.event as Record<string, unknown>).subtype).toBeUndefined();
    expect(body?.authorizations).toEqual([{ enterprise_id: 'E0001', team_id: 'T0001', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }]);
  });

  it('delivers a thread reply in the shape of fixture 02, then the parent change of fixture 10', async () => {
    const parent = await slack.sendMessage({ userId: 'U0ALICE', channelId: 'C0REVIEWS', text: 'parent' });
    const reply = await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'reply', threadTs: parent.ts });
    const second = await slack.sendMessage({ userId: 'U0CAROL', channelId: 'C0REVIEWS', text: 'second reply', threadTs: parent.ts });
    await slack.settled();
    const [, replyBody] = eventsOf(app, (event) => event.type === 'message' && event.subtype === undefined);
    expect(missingKeys(loadFixture('02-message-thread-reply-in-channel.event.json'), replyBody)).toEqual([]);
    expect(replyBody?.event).toMatchObject({ ts: reply.ts, thread_ts: parent.ts, parent_user_id: 'U0ALICE' });
    const [firstChange, secondChange] = eventsOf(app, (event) => event.subtype === 'message_changed');
    expect(firstChange?.event).toMatchObject({
      message: { ts: parent.ts, thread_ts: parent.ts, reply_count: 1, latest_reply: reply.ts, reply_users: ['U0BOB'] },
      hidden: true,
    });
    // Before the first reply the parent had no thread fields; compare the second change with fixture 10.
    // Fixture 10's parent carries an empty `edited`; Slack sets edited only on edited messages.
    expect(missingKeys(loadFixture('10-thread-parent-message-changed.event.json'), secondChange, ['event.message.edited', 'event.previous_message.edited'])).toEqual([]);
    expect(secondChange?.event).toMatchObject({
      message: { reply_count: 2, latest_reply: second.ts, reply_users: ['U0BOB', 'U0CAROL'] },
      previous_message: { reply_count: 1, latest_reply: reply.ts },
    });
  });

  it('delivers edits in the shape of fixture 06, with thread_ts for thread replies', async () => {
    const parent = await slack.sendMessage({ userId: 'U0ALICE', channelId: 'C0REVIEWS', text: 'parent' });
    const reply = await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'original message', threadTs: parent.ts });
    await slack.settled();
    const before = app.received.length;
    await slack.editMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', ts: reply.ts, text: 'updated message' });
    const body = app.received[before]?.body;
    expect(missingKeys(loadFixture('06-message-changed.event.json'), body)).toEqual([]);
    expect(body?.event).toMatchObject({
      subtype: 'message_changed',
      message: { text: 'updated message', ts: reply.ts, thread_ts: parent.ts, edited: { user: 'U0BOB' } },
      previous_message: { text: 'original message', ts: reply.ts },
    });
    expect(slack.world.messages.find((message) => message.ts === reply.ts)?.text).toBe('updated message');
  });

  it('delivers deletions in the shape of fixture 07', async () => {
    const { ts } = await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'Delete this message' });
    await slack.deleteMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', ts });
    const [body] = eventsOf(app, (event) => event.subtype === 'message_deleted');
    expect(missingKeys(loadFixture('07-message-deleted.event.json'), body)).toEqual([]);
    expect(body?.event).toMatchObject({ deleted_ts: ts, previous_message: { text: 'Delete this message' } });
    expect(slack.world.messages).toHaveLength(0);
  });

  it('lets a person write to the bot directly, as an im message', async () => {
    await slack.sendMessage({ userId: 'U0CAROL', channelId: 'D0CAROL', text: 'hi bot' });
    const [body] = eventsOf(app, (event) => event.type === 'message');
    expect(body?.event).toMatchObject({ channel: 'D0CAROL', channel_type: 'im', user: 'U0CAROL' });
  });

  it('refuses to act for people outside the channel', async () => {
    await expect(slack.sendMessage({ userId: 'U0CAROL', channelId: 'G0LEADS', text: 'x' })).rejects.toThrow(/not a member/);
  });
});

describe('buttons, checkboxes and selects on messages', () => {
  const reviewBlocks = [
    { type: 'section', block_id: 'q1', text: { type: 'mrkdwn', text: 'Which apply?' } },
    {
      type: 'actions',
      block_id: 'answer',
      elements: [
        {
          type: 'checkboxes',
          action_id: 'choices',
          options: [
            { text: { type: 'mrkdwn', text: 'Clicks' }, value: 'clicks' },
            { text: { type: 'mrkdwn', text: 'Watch time' }, value: 'watch' },
          ],
        },
        {
          type: 'static_select',
          action_id: 'level',
          placeholder: { type: 'plain_text', text: 'Level' },
          options: [
            { text: { type: 'plain_text', text: 'Low' }, value: 'low' },
            { text: { type: 'plain_text', text: 'High' }, value: 'high' },
          ],
        },
        { type: 'button', action_id: 'submit', text: { type: 'plain_text', text: 'Submit' }, value: 'submit-q1' },
        { type: 'button', action_id: 'skip', text: { type: 'plain_text', text: 'Skip' }, value: 'skip-q1' },
      ],
    },
  ];

  async function postQuestion(): Promise<string> {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ channel: 'C0REVIEWS', text: 'Which apply?', blocks: reviewBlocks }),
    });
    const answer = (await response.json()) as { ts: string };
    await slack.settled();
    return answer.ts;
  }

  it('delivers a click as block_actions in the shape of fixture 04, with the message and its blocks', async () => {
    const ts = await postQuestion();
    const before = app.received.length;
    const result = await slack.clickButton({ userId: 'U0ALICE', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'skip' });
    expect(result.status).toBe(200);
    const received = app.received[before];
    expect(received?.verified).toBe(true);
    expect(received?.rawBody.startsWith('payload=')).toBe(true);
    expect(missingKeys(loadFixture('04-block-actions.json'), received?.body)).toEqual([]);
    expect(received?.body).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: ts, channel_id: 'C0REVIEWS', is_ephemeral: false },
      channel: { id: 'C0REVIEWS', name: 'ai-reviews' },
      message: { ts, bot_id: 'B0BOT', blocks: reviewBlocks },
      actions: [{ action_id: 'skip', block_id: 'answer', value: 'skip-q1', type: 'button' }],
    });
  });

  it('records checkbox and select choices in state.values and sends them with the submit click', async () => {
    const ts = await postQuestion();
    const before = app.received.length;
    await slack.submitCheckboxes({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'choices', selectedValues: ['clicks', 'watch'] });
    await slack.selectOption({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'level', value: 'high' });
    await slack.clickButton({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'submit' });
    const [checkboxes, select, click] = app.received.slice(before).map((entry) => entry.body);
    expect(checkboxes).toMatchObject({
      actions: [{ type: 'checkboxes', action_id: 'choices', block_id: 'answer', selected_options: [{ value: 'clicks' }, { value: 'watch' }] }],
    });
    expect(select).toMatchObject({ actions: [{ type: 'static_select', action_id: 'level', selected_option: { value: 'high', text: { text: 'High' } } }] });
    expect(click?.state).toEqual({
      values: {
        answer: {
          choices: {
            type: 'checkboxes',
            selected_options: [
              { text: { type: 'mrkdwn', text: 'Clicks' }, value: 'clicks' },
              { text: { type: 'mrkdwn', text: 'Watch time' }, value: 'watch' },
            ],
          },
          level: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'High', emoji: true }, value: 'high' } },
        },
      },
    });
    // Another person's screen has its own state.
    await slack.clickButton({ userId: 'U0ALICE', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'submit' });
    expect(app.received.at(-1)?.body.state).toMatchObject({ values: { answer: { choices: { selected_options: [] }, level: { selected_option: null } } } });
  });

  it('explains what is on the message when asked to click something that is not', async () => {
    const ts = await postQuestion();
    await expect(slack.clickButton({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'nope' })).rejects.toThrow(/button:submit=submit-q1/);
    await expect(
      slack.submitCheckboxes({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'choices', selectedValues: ['other'] }),
    ).rejects.toThrow(/not an option/);
  });

  it('replaces the clicked message through the response URL', async () => {
    const ts = await postQuestion();
    const before = app.received.length;
    await slack.clickButton({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: ts, actionId: 'skip' });
    const responseUrl = String(app.received[before]?.body.response_url);
    await fetch(responseUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ replace_original: true, text: 'Skipped' }) });
    expect(slack.world.messages.find((message) => message.ts === ts)?.text).toBe('Skipped');
  });

  it('marks clicks on ephemerals as ephemeral and sends no message', async () => {
    await fetch(`${slack.apiUrl}chat.postEphemeral`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ channel: 'C0REVIEWS', user: 'U0BOB', text: 'Resume?', blocks: reviewBlocks }),
    });
    const ephemeral = slack.world.ephemerals[0]!;
    await slack.clickButton({ userId: 'U0BOB', channelId: 'C0REVIEWS', messageTs: ephemeral.ts, actionId: 'submit' });
    const body = app.received.at(-1)?.body;
    expect(body?.container).toMatchObject({ message_ts: ephemeral.ts, is_ephemeral: true });
    expect(body?.message).toBeUndefined();
    await expect(slack.clickButton({ userId: 'U0ALICE', channelId: 'C0REVIEWS', messageTs: ephemeral.ts, actionId: 'submit' })).rejects.toThrow(
      /No message or ephemeral/,
    );
  });
});

describe('home, retries and raw requests', () => {
  it('delivers app_home_opened with the published home view', async () => {
    await fetch(`${slack.apiUrl}views.publish`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ user_id: 'U0DAN', view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your reviews' } }] } }),
    });
    await slack.openHome({ userId: 'U0DAN' });
    const [body] = eventsOf(app, (event) => event.type === 'app_home_opened');
    expect(body?.event).toMatchObject({ type: 'app_home_opened', user: 'U0DAN', tab: 'home', channel: 'D0DAN', view: { type: 'home' } });
  });

  it('redelivers the last event with the same event_id and Slack retry headers, freshly signed', async () => {
    await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'once' });
    const first = app.received.at(-1)!;
    const retry = await slack.redeliverLastEvent({ retryNum: 2, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    const second = app.received.at(-1)!;
    expect(second.verified).toBe(true);
    expect(second.body.event_id).toBe(first.body.event_id);
    expect(second.rawBody).toBe(first.rawBody);
    expect(second.headers['x-slack-retry-num']).toBe('2');
    expect(second.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(first.headers['x-slack-retry-num']).toBeUndefined();
  });

  it('sends unsigned, stale and forged requests for the app to refuse', async () => {
    const body = { type: 'event_callback', event: { type: 'message', text: 'forged' } };
    const unsigned = await slack.deliverRaw({ body, contentType: 'application/json', sign: false });
    const stale = await slack.deliverRaw({ body, contentType: 'application/json', timestamp: Math.floor(Date.now() / 1000) - 600 });
    const forged = await slack.deliverRaw({ body, contentType: 'application/json', headers: { 'X-Slack-Signature': 'v0=deadbeef' } });
    const good = await slack.deliverRaw({ body: 'not json at all', contentType: 'application/json' });
    expect([unsigned.status, stale.status, forged.status, good.status]).toEqual([401, 401, 401, 200]);
    expect(app.received.map((entry) => entry.verified)).toEqual([false, false, false, true]);
    expect(app.received[1]?.verifyError).toMatch(/stale|old|timestamp/i);
  });

  it('spreads deliveries over several app URLs, as a load balancer in front of replicas would', async () => {
    const second = await startFakeApp(SECRET);
    try {
      slack.setAppUrl([app.url, second.url]);
      for (let i = 0; i < 40; i++) expect((await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: `reply ${i}` })).status).toBe(200);
      const replies = (target: FakeApp) => eventsOf(target, (event) => event.type === 'message').length;
      const first = replies(app);
      const other = replies(second);
      expect(first + other).toBe(40);
      // Random halves of 40: each gets at least one unless a 1-in-2^39 coin comes up.
      expect(first).toBeGreaterThan(0);
      expect(other).toBeGreaterThan(0);
      expect(second.received.every((received) => received.verified)).toBe(true);
      slack.setAppUrl(second.url);
      await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'only the second' });
      expect(replies(app)).toBe(first);
      expect(replies(second)).toBe(other + 1);
    } finally {
      await second.close();
    }
  });

  it('records an unreachable app as status 0 with the error', async () => {
    slack.setAppUrl('http://127.0.0.1:1/slack/events');
    const result = await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'anyone?' });
    expect(result.status).toBe(0);
    expect(result.delivery?.error).toBeTruthy();
  });
});
