import { createServer, type Server } from 'node:net';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPermanentSlackError, slackErrorCode } from '../../src/slack/api-errors.js';
import { chatClientFor, createChatClient, type ChatClient, type ChatRetryConfig } from '../../src/slack/chat-client.js';
import { startSlackStandin, type SlackStandin } from '../../src/standin/slack/index.js';
import { freePort } from '../support/global-setup.js';

// Type-level: a real WebClient is a ChatClient, so callers can take either.
const _webClientIsChatClient: ChatClient = new WebClient();

const REVIEWS = 'C0REVIEWS';
const FAST: Partial<ChatRetryConfig> = { retries: 2, minTimeout: 10, maxTimeout: 20 };

let slack: SlackStandin;

beforeEach(async () => {
  slack = await startSlackStandin({ signingSecret: 'chat-client-test-secret', echoBotEvents: false });
});

afterEach(async () => {
  await slack.close();
});

function client(retryConfig: Partial<ChatRetryConfig> = FAST): ChatClient {
  return createChatClient({ token: slack.botToken, apiUrl: slack.apiUrl, retryConfig });
}

const callsOf = (method: string) => slack.calls.filter((call) => call.method === method);

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Resume screener' } },
  { type: 'section', block_id: 'q1', text: { type: 'mrkdwn', text: '*What is the human goal?*' } },
  { type: 'actions', block_id: 'a1', elements: [{ type: 'button', action_id: 'skip', text: { type: 'plain_text', text: 'Skip' }, value: 'skip' }] },
];

describe('chat client against the Slack stand-in', () => {
  it('posts a thread reply with its blocks and returns its ts and channel', async () => {
    const chat = client();
    const root = await chat.chat.postMessage({ channel: REVIEWS, text: 'Alignment review: Resume screener' });
    const reply = await chat.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: 'What is the human goal?', blocks });
    expect(reply).toMatchObject({ ok: true, channel: REVIEWS, ts: expect.any(String) });
    expect(reply.ts).not.toBe(root.ts);
    const stored = slack.world.messages.find((message) => message.ts === reply.ts);
    expect(stored).toMatchObject({ channel: REVIEWS, threadTs: root.ts, botId: slack.world.bot.botId, text: 'What is the human goal?' });
    expect(stored?.blocks).toMatchObject(blocks);
    // Sent as JSON: the blocks arrived as an array, not a form field holding a string.
    expect(Array.isArray(callsOf('chat.postMessage')[1]?.args.blocks)).toBe(true);
  });

  it('updates a message', async () => {
    const chat = client();
    const posted = await chat.chat.postMessage({ channel: REVIEWS, text: 'before', blocks });
    const updated = await chat.chat.update({ channel: REVIEWS, ts: posted.ts!, text: 'after', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Answered: *skip*' } }] });
    expect(updated).toMatchObject({ ok: true, channel: REVIEWS, ts: posted.ts });
    const stored = slack.world.messages.find((message) => message.ts === posted.ts);
    expect(stored).toMatchObject({ text: 'after', blocks: [{ type: 'section', text: { text: 'Answered: *skip*' } }] });
    expect(stored?.edited).toBeDefined();
  });

  it('posts an ephemeral message to one person', async () => {
    const answer = await client().chat.postEphemeral({ channel: REVIEWS, user: 'U0BOB', text: 'Only you can see this' });
    expect(answer).toMatchObject({ ok: true, message_ts: expect.any(String) });
    expect(slack.world.ephemerals).toMatchObject([{ userId: 'U0BOB', channel: REVIEWS, text: 'Only you can see this', via: 'web_api' }]);
  });

  it('joins a public channel', async () => {
    const answer = await client().conversations.join({ channel: 'C0RANDOM' });
    expect(answer).toMatchObject({ ok: true, channel: { id: 'C0RANDOM' } });
    expect(slack.world.channels.find((channel) => channel.id === 'C0RANDOM')?.members).toContain(slack.world.bot.userId);
  });

  it('throws Slack refusals as WebClient platform errors, without retrying', async () => {
    const error: unknown = await client().chat.postMessage({ channel: 'C0NOWHERE', text: 'hello' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: 'channel_not_found' } });
    expect(slackErrorCode(error)).toBe('channel_not_found');
    expect(isPermanentSlackError(error)).toBe(true);
    // Even a refusal that may pass later is left to the caller, as WebClient does.
    slack.failNext('chat.update', { error: 'internal_error' });
    await expect(client().chat.update({ channel: REVIEWS, ts: '1.000001', text: 'x' })).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'internal_error' } });
    expect(callsOf('chat.postMessage')).toHaveLength(1);
    expect(callsOf('chat.update')).toHaveLength(1);
  });

  it('sends a per-call token in the header, not the body', async () => {
    await expect(client().chat.postMessage({ channel: REVIEWS, text: 'x', token: 'xoxb-someone-else' })).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('waits out a 429 for its Retry-After, holding the client’s other calls until the retry is through', async () => {
    const chat = client();
    slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const started = Date.now();
    const first = chat.chat.postMessage({ channel: REVIEWS, text: 'first' });
    await new Promise<void>((resolve) => slack.events.once('call', () => resolve()));
    // The stand-in records the call before it answers: give the 429 time to reach the client.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = chat.chat.postMessage({ channel: REVIEWS, text: 'second' });
    await first;
    const firstDone = Date.now();
    await second;
    expect(firstDone - started).toBeGreaterThanOrEqual(950);
    expect(firstDone - started).toBeLessThan(2_500);
    const posts = callsOf('chat.postMessage');
    expect(posts.map((call) => [call.args.text, call.status])).toEqual([
      ['first', 429],
      ['first', 200],
      ['second', 200],
    ]);
    expect(Date.parse(posts[2]!.at) - Date.parse(posts[0]!.at)).toBeGreaterThanOrEqual(950);
    expect(slack.world.messages.map((message) => message.text)).toEqual(['first', 'second']);
  });

  it('throws at once on a 429 without a usable Retry-After, or with no retries left', async () => {
    slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: Number.NaN });
    await expect(client().chat.postMessage({ channel: REVIEWS, text: 'x' })).rejects.toThrow(/Retry header did not contain a valid timeout/);
    slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 30 });
    const started = Date.now();
    await expect(client({ retries: 0 }).chat.postMessage({ channel: REVIEWS, text: 'x' })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 30 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('retries 5xx answers and succeeds', async () => {
    slack.failNext('chat.postMessage', { status: 503, times: 2 });
    const answer = await client().chat.postMessage({ channel: REVIEWS, text: 'through' });
    expect(answer.ok).toBe(true);
    expect(callsOf('chat.postMessage').map((call) => call.status)).toEqual([503, 503, 200]);
    expect(slack.world.messages.map((message) => message.text)).toEqual(['through']);
  });

  it('throws an HTTP error once 5xx answers outlast the retries', async () => {
    slack.failNext('chat.postMessage', { status: 500, times: 10 });
    const error: unknown = await client().chat.postMessage({ channel: REVIEWS, text: 'never' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500, body: { ok: false, error: 'internal_error' } });
    expect(slackErrorCode(error)).toBeUndefined();
    expect(callsOf('chat.postMessage')).toHaveLength(3);
  });

  it('throws a request error when the API cannot be reached', async () => {
    const port = await freePort();
    const chat = createChatClient({ token: 'xoxb-x', apiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 } });
    await expect(chat.chat.postMessage({ channel: REVIEWS, text: 'x' })).rejects.toMatchObject({ code: ErrorCode.RequestError, original: { code: 'ECONNREFUSED' } });
  });

  it('throws a request error when the API does not answer in time', async () => {
    // Reads and never answers; reading lets it see the client hang up.
    const silent: Server = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const chat = createChatClient({ token: 'xoxb-x', apiUrl: `http://127.0.0.1:${port}/api/`, timeoutMs: 100, retryConfig: { retries: 0 } });
      await expect(chat.chat.postMessage({ channel: REVIEWS, text: 'x' })).rejects.toMatchObject({ code: ErrorCode.RequestError, original: { code: 'ETIMEDOUT' } });
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('a post whose answer was lost', () => {
  const inThread = async (chat: ChatClient) => (await chat.chat.postMessage({ channel: REVIEWS, text: 'Alignment review: Resume screener' })).ts!;
  const textsIn = (threadTs: string) => slack.world.messages.filter((message) => message.threadTs === threadTs).map((message) => message.text);

  it('is not posted twice when Slack made it and the connection was cut: the client finds it in the thread by its mark', async () => {
    const chat = client();
    const thread = await inThread(chat);
    slack.failNext('chat.postMessage', { performed: true, lost: true });
    const answer = await chat.chat.postMessage({ channel: REVIEWS, thread_ts: thread, text: 'Question 2: What is the metric?', blocks });
    expect(textsIn(thread)).toEqual(['Question 2: What is the metric?']);
    const posted = slack.world.messages.find((message) => message.threadTs === thread)!;
    expect(answer).toMatchObject({ ok: true, channel: REVIEWS, ts: posted.ts });
    expect(callsOf('chat.postMessage')).toHaveLength(2);
    expect(callsOf('conversations.replies')).toHaveLength(1);
    expect(callsOf('conversations.replies')[0]?.args).toMatchObject({ channel: REVIEWS, ts: thread, include_all_metadata: 'true' });
  });

  it('is not posted twice after a 5xx that came after the post, in a channel: found in its history', async () => {
    const chat = client();
    slack.failNext('chat.postMessage', { performed: true, status: 502 });
    const answer = await chat.chat.postMessage({ channel: REVIEWS, text: 'Review of Resume screener: high risk' });
    expect(slack.world.messages.map((message) => message.text)).toEqual(['Review of Resume screener: high risk']);
    expect(answer.ts).toBe(slack.world.messages[0]!.ts);
    expect(callsOf('conversations.history')).toHaveLength(1);
  });

  it('is posted again, once, when Slack never made it: the look finds nothing', async () => {
    const chat = client();
    const thread = await inThread(chat);
    // Another post in the thread carries another mark, so it is not mistaken for this one.
    await chat.chat.postMessage({ channel: REVIEWS, thread_ts: thread, text: 'Question 1: What is the goal?' });
    slack.failNext('chat.postMessage', { lost: true });
    const answer = await chat.chat.postMessage({ channel: REVIEWS, thread_ts: thread, text: 'Question 1: What is the goal?' });
    expect(textsIn(thread)).toEqual(['Question 1: What is the goal?', 'Question 1: What is the goal?']);
    expect(answer.ts).toBe(slack.world.messages.at(-1)!.ts);
    expect(callsOf('conversations.replies')).toHaveLength(1);
  });

  it('is posted again when the look itself fails, as without it', async () => {
    const chat = client();
    const thread = await inThread(chat);
    slack.failNext('chat.postMessage', { performed: true, lost: true });
    slack.failNext('conversations.replies', { status: 500 });
    const answer = await chat.chat.postMessage({ channel: REVIEWS, thread_ts: thread, text: 'Question 3' });
    expect(answer.ok).toBe(true);
    expect(textsIn(thread)).toEqual(['Question 3', 'Question 3']);
  });

  it('looks for nothing after a refusal or a rate limit, which Slack answers without posting', async () => {
    const chat = client();
    slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 0 });
    await chat.chat.postMessage({ channel: REVIEWS, text: 'after the limit' });
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(chat.chat.postMessage({ channel: REVIEWS, text: 'refused' })).rejects.toMatchObject({ code: ErrorCode.PlatformError });
    expect(callsOf('conversations.history')).toHaveLength(0);
    // Each post carried a mark of its own; a caller's own metadata is sent as given.
    await chat.chat.postMessage({ channel: REVIEWS, text: 'own', metadata: { event_type: 'mine', event_payload: { n: 1 } } });
    const marks = callsOf('chat.postMessage').map((call) => (call.args.metadata as { event_type: string; event_payload: { post?: string } }));
    expect(marks[0]?.event_type).toBe('alignment_review_post');
    expect(new Set(marks.slice(0, 3).map((mark) => mark.event_payload.post)).size).toBe(2);
    expect(marks.at(-1)).toEqual({ event_type: 'mine', event_payload: { n: 1 } });
  });
});

describe('chatClientFor', () => {
  it('gives one lean client per token and API URL, and the WebClient itself when it has no token', async () => {
    const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const lean = chatClientFor(web);
    expect(lean).not.toBe(web);
    expect(chatClientFor(new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl }))).toBe(lean);
    expect(chatClientFor(new WebClient('xoxb-other', { slackApiUrl: slack.apiUrl }))).not.toBe(lean);
    const tokenless = new WebClient(undefined, { slackApiUrl: slack.apiUrl });
    expect(chatClientFor(tokenless)).toBe(tokenless);
    const answer = await lean.chat.postMessage({ channel: REVIEWS, text: 'via the lean client' });
    expect(answer).toMatchObject({ ok: true, channel: REVIEWS });
  });

  it('keeps at most 1000 clients, dropping the oldest', () => {
    const apiUrl = 'http://127.0.0.1:9/api/';
    const first = chatClientFor(new WebClient('xoxb-first', { slackApiUrl: apiUrl }));
    for (let i = 0; i < 1000; i += 1) chatClientFor(new WebClient(`xoxb-filler-${i}`, { slackApiUrl: apiUrl }));
    expect(chatClientFor(new WebClient('xoxb-filler-999', { slackApiUrl: apiUrl }))).toBe(chatClientFor(new WebClient('xoxb-filler-999', { slackApiUrl: apiUrl })));
    expect(chatClientFor(new WebClient('xoxb-first', { slackApiUrl: apiUrl }))).not.toBe(first);
  });
});
