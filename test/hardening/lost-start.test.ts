/**
 * A review whose start the app never finished: the process is killed
 * (SIGKILL) after Slack had the command's ack, while it posts the review's
 * first messages. Slack never sends an acknowledged command again, so the
 * restarted app must find the start itself: it was noted in Redis before
 * the ack (src/reviews/lost-starts.ts). The person is told privately, once;
 * a start that did get stored says nothing and simply goes on.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { lostStartMessage } from '../../src/reviews/lost-starts.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { startsKey } from '../../src/store/keys.js';
import { ALICE, BOT_USER, CHANNEL, SIGNING_SECRET, TEAM, type Standin } from '../support/app-harness.js';
import { appEnv, startAppProcess, type AppProcess } from '../support/app-process.js';
import { startApiProxy, type ApiProxy } from '../support/fault-api-proxy.js';
import { recordFigure } from '../support/fault-figures.js';
import { removeKeys, startStandardStandin } from '../support/fault-harness.js';
import { waitUntil } from '../support/review-driver.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `lost${randomBytes(4).toString('hex')}`;

let slack: Standin;
let proxy: ApiProxy;
let redis: Redis;
let store: RedisStore;
let app: AppProcess | undefined;

async function startApp(): Promise<AppProcess> {
  // Looks every second, and counts a start lost after 2 s (a minute by default).
  const extra = { RESUME_SWEEP_SECONDS: '1', LOST_START_SECONDS: '2' };
  const started = await startAppProcess({ env: appEnv({ apiUrl: proxy.apiUrl, signingSecret: SIGNING_SECRET, redisUrl, prefix, extra }) });
  slack.setAppUrl(started.eventsUrl);
  return started;
}

beforeAll(async () => {
  slack = await startStandardStandin();
  proxy = await startApiProxy(slack.url);
  redis = new Redis(redisUrl);
  store = new RedisStore({ redis, prefix, retentionDays: 1 });
  app = await startApp();
});

beforeEach(() => {
  onTestFailed(() => {
    console.error([...(app?.output ?? []), ...(app?.logs ?? []).slice(-20).map((line) => JSON.stringify(line))].join('\n'));
  });
});

afterAll(async () => {
  await app?.stop();
  await proxy.close();
  await slack.close();
  redis.disconnect();
  await removeKeys(redisUrl, prefix);
});

/** The text of a post: the outbox's client sends JSON, Bolt's WebClient (the root message) a form. */
function postedText(body: string): string {
  try {
    return String((JSON.parse(body) as { text?: unknown }).text ?? '');
  } catch {
    return new URLSearchParams(body).get('text') ?? '';
  }
}

async function killApp(): Promise<void> {
  const exit = await app!.stop('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  app = undefined;
}

function notesFor(systemName: string) {
  return slack.world.ephemerals.filter((note) => note.userId === ALICE && note.text === lostStartMessage(systemName));
}

describe('a start the app never finished', () => {
  it('killed while posting the root message: the restarted app tells the person privately, once, and nothing was stored', async () => {
    const name = 'Lost invoice matcher';
    const holding = proxy.holdNext((method, body) => method === 'chat.postMessage' && postedText(body).includes(name));
    const command = await slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` });
    expect(command.status).toBe(200);
    const held = await holding;
    await killApp();
    await held.release('drop');
    expect(await redis.zcard(startsKey(prefix))).toBe(1);

    const restarted = Date.now();
    app = await startApp();
    const note = await slack.waitFor(() => notesFor(name)[0], { timeoutMs: 15_000, description: 'the private note that the review did not start' });
    recordFigure('lost-start', { toldMs: Date.now() - restarted });
    expect(note.via).toBe('response_url');
    expect(note.channel).toBe(CHANNEL);
    // Told once, though the look runs every second; nothing half-made left behind.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(notesFor(name)).toHaveLength(1);
    expect(await redis.zcard(startsKey(prefix))).toBe(0);
    expect(slack.world.messages.filter((message) => message.user === BOT_USER && message.text.includes(name))).toEqual([]);
    expect(await store.listByChannel(TEAM, CHANNEL, 10)).toEqual([]);
  });

  it('killed while posting the first question, after the review was stored: nothing is said, and the question goes out by itself', async () => {
    const name = 'Stored ticket router';
    const holding = proxy.holdNext((method, body) => method === 'chat.postMessage' && postedText(body).startsWith('Question 1:'));
    await slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` });
    const held = await holding;
    await killApp();
    await held.release('drop');
    const root = slack.world.messages.find((message) => message.user === BOT_USER && !message.threadTs && message.text.includes(name))!;
    expect(root).toBeDefined();

    app = await startApp();
    await slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && message.user === BOT_USER && message.text.startsWith('Question 1:')), {
      timeoutMs: 25_000,
      description: 'the first question, posted by the restarted app',
    });
    // Its note was looked at and left alone: the review exists.
    await waitUntil(async () => (await redis.zcard(startsKey(prefix))) === 0 || undefined, 'the note claimed', 10_000);
    expect(notesFor(name)).toEqual([]);
    expect(slack.world.messages.find((message) => message.ts === root.ts)!.text).toContain(name);
    expect(JSON.stringify(slack.world.messages.find((message) => message.ts === root.ts)!.blocks)).not.toContain('did not start');
  });
});
