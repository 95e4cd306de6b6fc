/**
 * The playground's web server over HTTP: the page and its files, the world
 * and its live stream, and POST /api/act — what it carries out and what it
 * refuses without changing anything.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PERSON, LEADS_CHANNEL, REVIEW_CHANNEL } from '../../src/playground/workspace.js';
import { startTestPlayground, type TestPlayground } from './support/playground.js';

let playground: TestPlayground;

beforeAll(async () => {
  playground = await startTestPlayground();
});

afterAll(async () => {
  await playground?.stop();
});

async function act(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${playground.base}/api/act`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A raw request, so the Host header can be anything (fetch always sends the real one). */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: playground.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the playground web server', () => {
  it('serves the page, its scripts and styles, and nothing outside its folder', async () => {
    const page = await fetch(`${playground.base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    const script = await fetch(`${playground.base}/render/blocks.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${playground.base}/style.css`)).status).toBe(200);
    expect((await fetch(`${playground.base}/%2e%2e/index.ts`)).status).toBe(404);
    expect((await fetch(`${playground.base}/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${playground.base}/render/blocks.d.ts`)).status).toBe(404);
  });

  it('gives the world and what the page shows about the playground', async () => {
    const body = (await (await fetch(`${playground.base}/api/world`)).json()) as { world: { team: { id: string }; channels: { id: string }[] }; playground: Record<string, unknown> };
    expect(body.world.team.id).toBe('T0001');
    expect(body.world.channels.map((channel) => channel.id)).toEqual(expect.arrayContaining([REVIEW_CHANNEL, LEADS_CHANNEL]));
    expect(body.playground).toMatchObject({ reviewChannel: REVIEW_CHANNEL, leadsChannel: LEADS_CHANNEL, defaultPerson: DEFAULT_PERSON, commands: ['/alignment-review'] });
    expect(String(body.playground.store)).toContain('in-process memory store');
    expect(String(body.playground.model)).toContain('offline library');
  });

  it('answers only requests addressed to localhost while it listens on the loopback address', async () => {
    expect(await getWithHost('/api/world', `localhost:${playground.port}`)).toBe(200);
    expect(await getWithHost('/api/world', 'attacker.example')).toBe(403);
  });

  it('streams the world as it changes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${playground.base}/api/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        received += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: world');
    await act({ action: 'sendMessage', userId: 'U0BOB', channelId: 'C0GENERAL', text: 'streamed hello' });
    await readUntil('streamed hello');
    controller.abort();
  });

  it('carries out a person’s message as Slack’s client would send it', async () => {
    const { status, json } = await act({ action: 'sendMessage', userId: 'U0CAROL', channelId: REVIEW_CHANNEL, text: 'a <b> & @bob' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: true, status: 200 });
    const stored = playground.slack.world.messages.find((message) => message.ts === json.ts);
    expect(stored).toMatchObject({ user: 'U0CAROL', channel: REVIEW_CHANNEL, text: 'a &lt;b&gt; &amp; <@U0BOB>' });
  });

  it('runs the app’s slash command and shows its private answer to the person', async () => {
    const before = playground.slack.world.seq;
    const { json } = await act({ action: 'slashCommand', userId: 'U0BOB', channelId: REVIEW_CHANNEL, command: '/alignment-review', text: 'help' });
    expect(json).toMatchObject({ ok: true, status: 200 });
    await playground.slack.waitFor(({ world }) => world.ephemerals.find((item) => item.seq > before && item.userId === 'U0BOB' && item.text.includes('help')), { description: 'the help answer' });
  });

  it('refuses bodies that do not fit with a 400 that says why, and changes nothing', async () => {
    const before = JSON.stringify(playground.slack.snapshot().messages);
    const deliveries = playground.slack.deliveries.length;
    const cases: [unknown, RegExp][] = [
      [{ action: 'launchMissiles', userId: 'U0ALICE' }, /action/],
      [{ action: 'sendMessage', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, text: '   ' }, /text: is empty/],
      [{ action: 'sendMessage', userId: 'alice', channelId: REVIEW_CHANNEL, text: 'hi' }, /userId: must be a user id/],
      [{ action: 'sendMessage', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, text: 'hi', extra: 1 }, /extra/],
      [{ action: 'sendMessage', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, text: 'hi', threadTs: 'yesterday' }, /threadTs: must be a message ts/],
      [{ action: 'slashCommand', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, command: '/remind', text: 'me' }, /command: is not a command of this app/],
      [{ action: 'clickButton', userId: 'U0ALICE', actionId: 'ar_skip' }, /either viewId, or channelId and messageTs/],
      [{ action: 'clickButton', userId: 'U0ALICE', viewId: 'V1', channelId: REVIEW_CHANNEL, messageTs: '1700000000.000100', actionId: 'ar_skip' }, /either viewId/],
      [{ action: 'submitView', userId: 'U0ALICE', viewId: 'V1', values: { b: { a: 5 } } }, /values/],
      // Fits the schema, not the world: the stand-in says what is missing.
      [{ action: 'sendMessage', userId: 'U0NOBODY', channelId: REVIEW_CHANNEL, text: 'hi' }, /No person U0NOBODY/],
      [{ action: 'sendMessage', userId: 'U0CAROL', channelId: LEADS_CHANNEL, text: 'hi' }, /not a member/],
      [{ action: 'editMessage', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, ts: '1700000000.000100', text: 'x' }, /No message/],
      [{ action: 'clickButton', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, messageTs: '1700000000.000100', actionId: 'ar_skip' }, /No message or ephemeral/],
      [{ action: 'submitView', userId: 'U0ALICE', viewId: 'V0NONE', values: {} }, /not the top modal/],
    ];
    for (const [body, message] of cases) {
      const { status, json } = await act(body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.ok).toBe(false);
      expect(String(json.error), JSON.stringify(body)).toMatch(message);
    }
    expect((await act('{not json')).status).toBe(400);
    expect((await act({ action: 'openHome', userId: 'U0ALICE' }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await act({ action: 'sendMessage', userId: 'U0ALICE', channelId: REVIEW_CHANNEL, text: 'x'.repeat(300_000) })).status).toBe(413);
    expect(JSON.stringify(playground.slack.snapshot().messages)).toBe(before);
    expect(playground.slack.deliveries.length).toBe(deliveries);
  });

  it('serves an uploaded file as a plain-text download', async () => {
    playground.slack.world.files.push({ id: 'F0TEST', name: 'report <1>.md', title: 'Report', length: 5, content: '<h1>x', bytes: 5, uploaded: true, completed: true, userId: 'U0BOT', created: 1 });
    const response = await fetch(`${playground.base}/api/files/F0TEST`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="report_1_.md"');
    expect(await response.text()).toBe('<h1>x');
    expect((await fetch(`${playground.base}/api/files/F0MISSING`)).status).toBe(404);
  });
});
