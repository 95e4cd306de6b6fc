import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';

const { WebClient, LogLevel } = webApi;
const SECRET = 'web-api-test-secret';

let slack: SlackStandin;
let client: InstanceType<typeof WebClient>;

beforeEach(async () => {
  slack = await startSlackStandin({ signingSecret: SECRET, echoBotEvents: false });
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await slack.close();
});

describe('identity', () => {
  it('answers auth.test with the bot and the team', async () => {
    const answer = await client.auth.test();
    expect(answer).toMatchObject({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0001' });
  });

  it('refuses a wrong or missing token', async () => {
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    const anonymous = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('reports admins and owners in users.info and unknown people as user_not_found', async () => {
    const alice = await client.users.info({ user: 'U0ALICE' });
    expect(alice.user).toMatchObject({ id: 'U0ALICE', is_admin: true, is_owner: true, is_bot: false });
    const bob = await client.users.info({ user: 'U0BOB' });
    expect(bob.user).toMatchObject({ is_admin: false, is_owner: false });
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('answers team.info', async () => {
    const answer = await client.team.info();
    expect(answer.team).toMatchObject({ id: 'T0001', domain: 'standin' });
  });
});

describe('chat', () => {
  it('stores a bot message with bot authorship and strictly increasing ts', async () => {
    const first = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'first' });
    const second = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'second' });
    expect(first.message).toMatchObject({ bot_id: 'B0BOT', user: 'U0BOT', text: 'first', app_id: 'A0APP' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(slack.world.messages.map((message) => [message.text, message.botId, message.user])).toEqual([
      ['first', 'B0BOT', 'U0BOT'],
      ['second', 'B0BOT', 'U0BOT'],
    ]);
  });

  it('posts by channel name and fills in block ids the app left out', async () => {
    const answer = await client.chat.postMessage({
      channel: '#ai-reviews',
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }],
    });
    expect(answer.channel).toBe('C0REVIEWS');
    const blocks = answer.message?.blocks as Array<{ block_id?: string }>;
    expect(typeof blocks[0]?.block_id).toBe('string');
  });

  it('refuses channels the bot cannot post in, as Slack does', async () => {
    await expect(client.chat.postMessage({ channel: 'G0SECRET', text: 'x' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(client.chat.postMessage({ channel: 'C0RANDOM', text: 'x' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(client.chat.postMessage({ channel: 'C0NOWHERE', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client.chat.postMessage({ channel: 'C0REVIEWS', text: '' })).rejects.toMatchObject({ data: { error: 'no_text' } });
  });

  it('threads replies and lists them with conversations.replies and history', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'parent' });
    const reply = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'reply', thread_ts: parent.ts! });
    expect(reply.message).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0BOT' });
    const thread = await client.conversations.replies({ channel: 'C0REVIEWS', ts: parent.ts! });
    expect(thread.messages?.map((message) => message.text)).toEqual(['parent', 'reply']);
    expect(thread.messages?.[0]).toMatchObject({ reply_count: 1, latest_reply: reply.ts, reply_users: ['U0BOT'] });
    await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'later' });
    const history = await client.conversations.history({ channel: 'C0REVIEWS' });
    expect(history.messages?.map((message) => message.text)).toEqual(['later', 'parent']);
    expect(history.response_metadata?.next_cursor).toBe('');
  });

  it('updates a bot message, keeping its blocks when none are sent, and marks it edited', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C0REVIEWS',
      text: 'v1',
      blocks: [{ type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: 'v1' } }],
    });
    const updated = await client.chat.update({ channel: 'C0REVIEWS', ts: posted.ts!, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'v2' });
    const stored = slack.world.messages.find((message) => message.ts === posted.ts);
    expect(stored?.text).toBe('v2');
    expect(stored?.blocks).toEqual([{ type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: 'v1' } }]);
    expect(stored?.edited?.user).toBe('U0BOT');
    await expect(client.chat.update({ channel: 'C0REVIEWS', ts: '1.000000', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
  });

  it('will not update or delete what a person wrote', async () => {
    const { ts } = await slack.sendMessage({ userId: 'U0BOB', channelId: 'C0REVIEWS', text: 'mine' });
    await expect(client.chat.update({ channel: 'C0REVIEWS', ts, text: 'x' })).rejects.toMatchObject({ data: { error: 'cant_update_message' } });
    await expect(client.chat.delete({ channel: 'C0REVIEWS', ts })).rejects.toMatchObject({ data: { error: 'cant_delete_message' } });
  });

  it('keeps ephemerals per person and refuses people outside the channel', async () => {
    const answer = await client.chat.postEphemeral({ channel: 'G0LEADS', user: 'U0BOB', text: 'just for bob' });
    expect(answer.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(slack.world.ephemerals).toMatchObject([{ userId: 'U0BOB', channel: 'G0LEADS', text: 'just for bob', ts: answer.message_ts }]);
    await expect(client.chat.postEphemeral({ channel: 'G0LEADS', user: 'U0CAROL', text: 'x' })).rejects.toMatchObject({
      data: { error: 'user_not_in_channel' },
    });
  });

  it('deletes bot messages and gives permalinks', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'bye' });
    const link = await client.chat.getPermalink({ channel: 'C0REVIEWS', message_ts: posted.ts! });
    expect(link.permalink).toBe(`${slack.url}/archives/C0REVIEWS/p${posted.ts!.replace('.', '')}`);
    await client.chat.delete({ channel: 'C0REVIEWS', ts: posted.ts! });
    expect(slack.world.messages).toHaveLength(0);
    await expect(client.chat.getPermalink({ channel: 'C0REVIEWS', message_ts: posted.ts! })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('opens a direct-message channel with conversations.open, once', async () => {
    const first = await client.conversations.open({ users: 'U0DAN' });
    const again = await client.conversations.open({ users: 'U0DAN' });
    expect(first.channel).toEqual({ id: 'D0DAN' });
    expect(again).toMatchObject({ channel: { id: 'D0DAN' }, already_open: true });
    expect(slack.world.channels.filter((channel) => channel.isIm)).toHaveLength(1);
    await expect(client.conversations.open({ users: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('opens a direct-message channel when posting to a person', async () => {
    const answer = await client.chat.postMessage({ channel: 'U0CAROL', text: 'hi carol' });
    expect(answer.channel).toBe('D0CAROL');
    const info = await client.conversations.info({ channel: 'D0CAROL' });
    expect(info.channel).toMatchObject({ is_im: true, user: 'U0CAROL' });
  });
});

describe('conversations', () => {
  it('joins public channels, not private ones', async () => {
    const joined = await client.conversations.join({ channel: 'C0RANDOM' });
    expect(joined.channel).toMatchObject({ id: 'C0RANDOM', is_member: true });
    await client.chat.postMessage({ channel: 'C0RANDOM', text: 'now I can post' });
    await expect(client.conversations.join({ channel: 'G0SECRET' })).rejects.toMatchObject({
      data: { error: 'method_not_supported_for_channel_type' },
    });
  });

  it('hides private channels the bot is not in and pages members', async () => {
    await expect(client.conversations.info({ channel: 'G0SECRET' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    const info = await client.conversations.info({ channel: 'G0LEADS' });
    expect(info.channel).toMatchObject({ is_private: true, is_group: true, is_member: true });
    const first = await client.conversations.members({ channel: 'C0GENERAL', limit: 3 });
    expect(first.members).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL']);
    const rest = await client.conversations.members({ channel: 'C0GENERAL', limit: 3, cursor: first.response_metadata!.next_cursor! });
    expect(rest.members).toEqual(['U0DAN', 'U0BOT']);
    expect(rest.response_metadata?.next_cursor).toBe('');
  });
});

describe('the wire', () => {
  it('accepts JSON bodies with a Bearer token and records calls without the token', async () => {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ channel: 'C0REVIEWS', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0REVIEWS' });
    const form = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${slack.botToken}`,
    });
    expect(await form.json()).toMatchObject({ ok: true });
    expect(slack.calls.map((call) => call.method)).toEqual(['chat.postMessage', 'auth.test']);
    expect(JSON.stringify(slack.calls)).not.toContain(slack.botToken);
  });

  it('answers unknown methods with unknown_method and records them', async () => {
    const response = await fetch(`${slack.apiUrl}reactions.add`, { method: 'POST', headers: { Authorization: `Bearer ${slack.botToken}` } });
    expect(await response.json()).toMatchObject({ ok: false, error: 'unknown_method' });
    expect(slack.calls.at(-1)).toMatchObject({ method: 'reactions.add', response: { error: 'unknown_method' } });
  });

  it('emits a change per world change and a call per call', async () => {
    const changes: string[] = [];
    const calls: string[] = [];
    slack.events.on('change', (change: { reason: string }) => changes.push(change.reason));
    slack.events.on('call', (call: { method: string }) => calls.push(call.method));
    await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'x' });
    await client.auth.test();
    expect(changes).toEqual(['message']);
    expect(calls).toEqual(['chat.postMessage', 'auth.test']);
  });

  it('gives a JSON snapshot equal to the world and independent of it', async () => {
    await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'snap' });
    const snapshot = slack.snapshot();
    expect(snapshot).toEqual(JSON.parse(JSON.stringify(slack.world)));
    snapshot.messages.length = 0;
    expect(slack.world.messages).toHaveLength(1);
    const served = await fetch(`${slack.url}/snapshot`);
    expect(((await served.json()) as { messages: unknown[] }).messages).toHaveLength(1);
  });
});
