import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { eventsOf, startFakeApp, type FakeApp } from './support/fake-app.js';
import { loadFixture, missingKeys } from './support/shapes.js';

const { WebClient, LogLevel } = webApi;
const SECRET = 'echo-test-secret';

let slack: SlackStandin;
let app: FakeApp;
let client: InstanceType<typeof WebClient>;

beforeEach(async () => {
  app = await startFakeApp(SECRET);
  slack = await startSlackStandin({ signingSecret: SECRET, appUrl: app.url, enterpriseId: 'E0001' });
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await slack.close();
  await app.close();
});

describe('echoes of the app’s own actions', () => {
  it('delivers the bot’s own post back as a message event in the shape of fixture 08', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'Hi there!' });
    await slack.settled();
    const [body] = eventsOf(app, (event) => event.type === 'message');
    expect(app.received[0]?.verified).toBe(true);
    expect(missingKeys(loadFixture('08-bot-message-modern-no-subtype.event.json'), body)).toEqual([]);
    expect(body?.event).toMatchObject({ bot_id: 'B0BOT', user: 'U0BOT', ts: posted.ts, text: 'Hi there!', bot_profile: { app_id: 'A0APP' } });
    expect((body?.event as Record<string, unknown>).subtype).toBeUndefined();
  });

  it('delivers message_changed with the bot’s message nested after chat.update', async () => {
    // With blocks, as fixture 06 has them (a text-only bot message carries none).
    const blocks = [{ type: 'section', block_id: 'b', text: { type: 'mrkdwn', text: 'v1' } }];
    const posted = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'v1', blocks });
    await client.chat.update({ channel: 'C0REVIEWS', ts: posted.ts!, text: 'v2' });
    await slack.settled();
    const [changed] = eventsOf(app, (event) => event.subtype === 'message_changed');
    expect(missingKeys(loadFixture('06-message-changed.event.json'), changed)).toEqual([]);
    expect(changed?.event).toMatchObject({
      message: { text: 'v2', bot_id: 'B0BOT', ts: posted.ts, edited: { user: 'U0BOT' } },
      previous_message: { text: 'v1', bot_id: 'B0BOT' },
    });
  });

  it('delivers the reply and then a message_changed on the thread parent, in order', async () => {
    const parent = await slack.sendMessage({ userId: 'U0ALICE', channelId: 'C0REVIEWS', text: '/start' });
    const before = app.received.length;
    const reply = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'Question 1', thread_ts: parent.ts });
    await slack.settled();
    const after = app.received.slice(before).map((entry) => entry.body.event as Record<string, unknown>);
    expect(after.map((event) => [event.subtype ?? 'message', event.ts === reply.ts || (event.message as { ts?: string })?.ts === parent.ts])).toEqual([
      ['message', true],
      ['message_changed', true],
    ]);
    expect(after[0]).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0ALICE', bot_id: 'B0BOT' });
  });

  it('delivers message_deleted after chat.delete', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'gone soon' });
    await client.chat.delete({ channel: 'C0REVIEWS', ts: posted.ts! });
    await slack.settled();
    const [deleted] = eventsOf(app, (event) => event.subtype === 'message_deleted');
    expect(deleted?.event).toMatchObject({ deleted_ts: posted.ts, previous_message: { bot_id: 'B0BOT' } });
  });

  it('answers the Web API before the app has answered the echo', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.respond(async () => {
      await held;
      return { status: 200 };
    });
    const posted = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'not blocked' });
    expect(posted.ok).toBe(true);
    // The echo is on its way but unanswered: the post above did not wait for it.
    await slack.waitFor(({ deliveries }) => deliveries.length === 1);
    expect(slack.deliveries[0]?.state).toBe('pending');
    release();
    await slack.settled();
    expect(slack.deliveries[0]).toMatchObject({ state: 'answered', status: 200 });
  });

  it('sends no echoes when switched off', async () => {
    slack.setEchoBotEvents(false);
    const posted = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'quiet' });
    await client.chat.update({ channel: 'C0REVIEWS', ts: posted.ts!, text: 'still quiet' });
    await slack.settled();
    expect(app.received).toHaveLength(0);
    expect(slack.world.messages.map((message) => message.text)).toEqual(['still quiet']);
  });
});
