/**
 * Slack's retries of an event delivery the app did not take: the stand-in
 * sends the same body and event_id again, freshly signed, with
 * X-Slack-Retry-Num and X-Slack-Retry-Reason, after each configured wait;
 * not after a 2xx, not when the app says X-Slack-No-Retry: 1, and never for
 * slash commands or clicks (Slack does not retry those).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { startFakeApp, type FakeApp } from './support/fake-app.js';

const SECRET = 'retry-test-secret';
const WAITS = [20, 40, 60];

let slack: SlackStandin | undefined;
let app: FakeApp | undefined;

afterEach(async () => {
  await slack?.close();
  await app?.close();
  slack = undefined;
  app = undefined;
});

async function start(retries: number[] | undefined): Promise<{ slack: SlackStandin; app: FakeApp }> {
  app = await startFakeApp(SECRET);
  slack = await startSlackStandin({ signingSecret: SECRET, appUrl: app.url, echoBotEvents: false, threadParentEvents: false, ...(retries ? { eventRetryDelaysMs: retries } : {}) });
  return { slack, app };
}

function say(standin: SlackStandin) {
  return standin.sendMessage({ userId: 'U0ALICE', channelId: 'C0GENERAL', text: 'hello' });
}

describe('event retries', () => {
  it('delivers an event again after an error answer, with the retry headers, until the app takes it', async () => {
    const { slack, app } = await start(WAITS);
    let answered = 0;
    app.respond(() => ({ status: ++answered < 3 ? 500 : 200 }));
    await say(slack);
    expect(app.received).toHaveLength(3);
    expect(app.received.every((entry) => entry.verified)).toBe(true);
    expect(new Set(app.received.map((entry) => entry.body.event_id)).size).toBe(1);
    expect(app.received.map((entry) => entry.headers['x-slack-retry-num'])).toEqual([undefined, '1', '2']);
    expect(app.received.map((entry) => entry.headers['x-slack-retry-reason'])).toEqual([undefined, 'http_error', 'http_error']);
    expect(slack.deliveries.map((delivery) => delivery.status)).toEqual([500, 500, 200]);
  });

  it('gives up after the last wait, and does not retry an answer that says X-Slack-No-Retry', async () => {
    const { slack, app } = await start(WAITS);
    app.respond(() => ({ status: 503 }));
    await say(slack);
    expect(app.received).toHaveLength(1 + WAITS.length);
    app.respond(() => ({ status: 500, headers: { 'X-Slack-No-Retry': '1' } }));
    await say(slack);
    expect(app.received).toHaveLength(2 + WAITS.length);
    expect(slack.deliveries.at(-1)!.noRetry).toBe(true);
  });

  it('retries a delivery that found no app (connection_failed) and one the app did not answer in time (http_timeout)', async () => {
    app = await startFakeApp(SECRET);
    slack = await startSlackStandin({ signingSecret: SECRET, appUrl: 'http://127.0.0.1:9/slack/events', echoBotEvents: false, threadParentEvents: false, eventRetryDelaysMs: [20], deliveryTimeoutMs: 200 });
    const lost = await say(slack);
    expect(lost.delivery?.state).toBe('failed');
    expect(slack.deliveries.map((delivery) => delivery.headers['X-Slack-Retry-Reason'])).toEqual([undefined, 'connection_failed']);
    slack.setAppUrl(app.url);
    let first = true;
    app.respond(() => {
      const slow = first;
      first = false;
      return slow ? { status: 200, delayMs: 400 } : { status: 200 };
    });
    await say(slack);
    expect(slack.deliveries.slice(2).map((delivery) => delivery.headers['X-Slack-Retry-Reason'])).toEqual([undefined, 'http_timeout']);
    expect(slack.deliveries.at(-1)!.status).toBe(200);
  });

  it('does not retry slash commands (Slack does not), nor anything without retry waits (the default)', async () => {
    const { slack, app } = await start(WAITS);
    app.respond(() => ({ status: 500 }));
    await slack.slashCommand({ userId: 'U0ALICE', channelId: 'C0GENERAL', command: '/alignment-review', text: '' });
    expect(app.received).toHaveLength(1);
    await slack.close();
    await app.close();
    const plain = await start(undefined);
    plain.app.respond(() => ({ status: 500 }));
    await say(plain.slack);
    expect(plain.app.received).toHaveLength(1);
  });
});
