import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';

const { WebClient, LogLevel, WebClientEvent } = webApi;

let slack: SlackStandin;

beforeEach(async () => {
  slack = await startSlackStandin({ signingSecret: 'failures-test-secret', echoBotEvents: false });
});

afterEach(async () => {
  await slack.close();
});

function clientWithRetries(retries: number): InstanceType<typeof WebClient> {
  return new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries, minTimeout: 10, maxTimeout: 20 },
  });
}

describe('injected failures', () => {
  it('rate-limits with 429 and Retry-After; the WebClient waits, retries and succeeds', async () => {
    const client = clientWithRetries(2);
    const waits: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const answer = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'after the limit' });
    expect(answer.ok).toBe(true);
    expect(waits).toEqual([1]);
    const posts = slack.calls.filter((call) => call.method === 'chat.postMessage');
    expect(posts.map((call) => [call.status, call.response.ok])).toEqual([
      [429, false],
      [200, true],
    ]);
    expect(slack.world.messages).toHaveLength(1);
  });

  it('answers the raw 429 with the Retry-After header and Slack’s error body', async () => {
    slack.failNext('auth.test', { error: 'ratelimited', retryAfter: 7 });
    const response = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', headers: { Authorization: `Bearer ${slack.botToken}` } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('fails with Slack error codes for as many calls as asked, then recovers', async () => {
    const client = clientWithRetries(0);
    slack.failNext('chat.postMessage', { error: 'not_in_channel', times: 2 });
    await expect(client.chat.postMessage({ channel: 'C0REVIEWS', text: '1' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(client.chat.postMessage({ channel: 'C0REVIEWS', text: '2' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await client.chat.postMessage({ channel: 'C0REVIEWS', text: '3' });
    expect(slack.world.messages.map((message) => message.text)).toEqual(['3']);
    // Other methods are not affected.
    slack.failNext('chat.update', { error: 'internal_error' });
    expect((await client.auth.test()).ok).toBe(true);
  });

  it('fails with 5xx statuses that the WebClient retries', async () => {
    const client = clientWithRetries(2);
    slack.failNext('conversations.info', { status: 503 });
    const answer = await client.conversations.info({ channel: 'C0REVIEWS' });
    expect(answer.ok).toBe(true);
    expect(slack.calls.map((call) => call.status)).toEqual([503, 200]);
    expect(slack.calls[0]?.response).toEqual({ ok: false, error: 'internal_error' });
    const noRetries = clientWithRetries(0);
    slack.failNext('conversations.info', { status: 500 });
    await expect(noRetries.conversations.info({ channel: 'C0REVIEWS' })).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
  });

  it('fails after doing the work when asked: a 5xx after the post, or no answer at all, the connection cut', async () => {
    const client = clientWithRetries(0);
    slack.failNext('chat.postMessage', { performed: true, status: 500 });
    await expect(client.chat.postMessage({ channel: 'C0REVIEWS', text: 'posted, then a 500' })).rejects.toMatchObject({ statusCode: 500 });
    slack.failNext('chat.postMessage', { performed: true, lost: true });
    const cut = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.botToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'C0REVIEWS', text: 'posted, then cut' }),
    }).then(
      () => 'answered',
      (error: unknown) => error,
    );
    expect(cut).toBeInstanceOf(TypeError);
    // Cut before the work: nothing posted.
    slack.failNext('chat.postMessage', { lost: true });
    await expect(fetch(`${slack.apiUrl}chat.postMessage`, { method: 'POST', headers: { Authorization: `Bearer ${slack.botToken}` }, body: new URLSearchParams({ channel: 'C0REVIEWS', text: 'never' }) })).rejects.toBeInstanceOf(TypeError);
    expect(slack.world.messages.map((message) => message.text)).toEqual(['posted, then a 500', 'posted, then cut']);
  });
});

describe('message metadata', () => {
  it('is kept with a post and shown by history and replies only when asked for (include_all_metadata)', async () => {
    const client = clientWithRetries(0);
    const metadata = { event_type: 'review_post', event_payload: { post: 'p1' } };
    const root = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'root', metadata });
    const reply = await client.chat.postMessage({ channel: 'C0REVIEWS', thread_ts: root.ts, text: 'reply', metadata: { ...metadata, event_payload: { post: 'p2' } } });
    expect(root.message?.metadata).toEqual(metadata);
    const history = await client.conversations.history({ channel: 'C0REVIEWS' });
    expect(history.messages?.[0]).not.toHaveProperty('metadata');
    const withMetadata = await client.conversations.history({ channel: 'C0REVIEWS', include_all_metadata: true });
    expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);
    const replies = await client.conversations.replies({ channel: 'C0REVIEWS', ts: root.ts!, include_all_metadata: true });
    expect(replies.messages?.map((message) => [message.ts, message.metadata?.event_payload])).toEqual([
      [root.ts, { post: 'p1' }],
      [reply.ts, { post: 'p2' }],
    ]);
    // Only replies in the range asked for; the thread's parent comes first all the same.
    const later = await client.conversations.replies({ channel: 'C0REVIEWS', ts: root.ts!, oldest: reply.ts!, inclusive: false });
    expect(later.messages?.map((message) => message.ts)).toEqual([root.ts]);
  });
});
