import { isValidSlackRequest } from '@slack/bolt';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { multipartParts, parseArgs, uploadedBytes } from '../../../src/standin/slack/body.js';
import { slackSignature, startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { createTsClock } from '../../../src/standin/slack/world/clock.js';

describe('signing', () => {
  it('produces signatures Bolt accepts, and only for the same body and secret', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (body, secret) => {
        const timestamp = Math.floor(Date.now() / 1000);
        const signature = slackSignature(secret, timestamp, body);
        const headers = { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp };
        expect(isValidSlackRequest({ signingSecret: secret, body, headers })).toBe(true);
        expect(isValidSlackRequest({ signingSecret: `${secret}!`, body, headers })).toBe(false);
        expect(isValidSlackRequest({ signingSecret: secret, body: `${body} `, headers })).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('message timestamps', () => {
  it('never repeat and never go backwards, even when the clock stands still', () => {
    const clock = createTsClock(() => 1_700_000_000_000);
    const values = Array.from({ length: 1000 }, () => clock.nextTs());
    expect(values[0]).toBe('1700000000.000000');
    expect(values[1]).toBe('1700000000.000100');
    for (let i = 1; i < values.length; i += 1) expect(Number(values[i])).toBeGreaterThan(Number(values[i - 1]));
    expect(values.every((value) => /^\d{10}\.\d{6}$/.test(value))).toBe(true);
  });
});

describe('request bodies', () => {
  it('reads JSON, form and query arguments', () => {
    const query = new URLSearchParams('channel=C1');
    expect(parseArgs(Buffer.from('{"text":"hi","blocks":[]}'), 'application/json; charset=utf-8', query)).toEqual({
      args: { channel: 'C1', text: 'hi', blocks: [] },
    });
    expect(parseArgs(Buffer.from('text=a%20b&blocks=%5B%5D'), 'application/x-www-form-urlencoded', query)).toEqual({
      args: { channel: 'C1', text: 'a b', blocks: '[]' },
    });
    expect(parseArgs(Buffer.from('{oops'), 'application/json', query)).toEqual({ invalid: 'invalid_json' });
  });

  it('takes the file part out of a multipart upload, bytes intact', () => {
    const boundary = '----standin';
    const bytes = Buffer.from([0, 1, 2, 13, 10, 255, 45, 45]);
    const raw = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const contentType = `multipart/form-data; boundary=${boundary}`;
    const parts = multipartParts(raw, contentType);
    expect(parts.map((part) => [part.name, part.filename])).toEqual([
      ['note', undefined],
      ['file', 'r.bin'],
    ]);
    expect(uploadedBytes(raw, contentType).equals(bytes)).toBe(true);
    expect(uploadedBytes(Buffer.from('plain'), 'text/plain').toString()).toBe('plain');
  });
});

describe('waitFor', () => {
  let slack: SlackStandin;

  beforeEach(async () => {
    slack = await startSlackStandin({ signingSecret: 'wait-test-secret', echoBotEvents: false });
  });

  afterEach(async () => {
    await slack.close();
  });

  it('resolves with what the predicate found once it appears', async () => {
    const found = slack.waitFor(({ world }) => world.messages.find((message) => message.text === 'hello'), { timeoutMs: 2000 });
    await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ channel: 'C0REVIEWS', text: 'hello' }),
    });
    await expect(found).resolves.toMatchObject({ text: 'hello', channel: 'C0REVIEWS' });
  });

  it('rejects on timeout with a readable dump of calls, messages and deliveries', async () => {
    await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ channel: 'C0RANDOM', text: 'refused' }),
    });
    const error = await slack.waitFor(({ calls }) => calls.find((call) => call.method === 'views.open'), { timeoutMs: 150, description: 'a modal' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('waitFor timed out after 150 ms waiting for a modal');
    expect(message).toContain('chat.postMessage error=not_in_channel C0RANDOM refused');
    expect(message).toContain('Messages (0, last 10):');
    expect(message).toContain('Deliveries to the app (0, last 10):');
  });
});
