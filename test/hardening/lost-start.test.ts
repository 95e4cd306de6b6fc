/**
 * A review whose start the app never finished: the process is killed
 * (SIGKILL) after Slack had the command's ack, while it posts the review's
 * first messages. Slack never sends an acknowledged command again, so the
 * restarted app must find the start itself: it was noted in Redis before
 * the ack (src/reviews/lost-starts.ts). The person is told privately, once;
 * a start that did get stored says nothing and simply goes on.
 */
import { describe, expect, it } from 'vitest';
import { lostStartMessage } from '../../src/reviews/lost-starts.js';
import { parseStartMember, startKey, startsKey } from '../../src/store/keys.js';
import { ALICE, BOT_USER, CHANNEL, TEAM } from '../support/app-harness.js';
import { postedText, useCrashHarness } from '../support/crash-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { waitUntil } from '../support/review-driver.js';

// Looks every second, and counts a start lost after 2 s (a minute by default).
const h = useCrashHarness('lost', { RESUME_SWEEP_SECONDS: '1', LOST_START_SECONDS: '2' });

/** Sends the command, holds its post that `matches`, kills the app, then lets the post through to Slack or drops it. */
async function killWhilePosting(name: string, matches: (text: string) => boolean, mode: 'forward' | 'drop') {
  const holding = h.proxy.holdNext((method, body) => method === 'chat.postMessage' && matches(postedText(body)));
  const command = await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` });
  expect(command.status).toBe(200);
  const held = await holding;
  await h.kill();
  await held.release(mode);
}

function notesFor(systemName: string) {
  return h.slack.world.ephemerals.filter((note) => note.userId === ALICE && note.text === lostStartMessage(systemName));
}

describe('a start the app never finished', () => {
  it('killed while posting the root message: the restarted app tells the person privately, once, and nothing was stored', async () => {
    const name = 'Lost invoice matcher';
    await killWhilePosting(name, (text) => text.includes(name), 'drop');
    expect(await h.redis.zcard(startsKey(h.prefix))).toBe(1);

    const restarted = Date.now();
    await h.start();
    const note = await h.slack.waitFor(() => notesFor(name)[0], { timeoutMs: 15_000, description: 'the private note that the review did not start' });
    recordFigure('lost-start', { toldMs: Date.now() - restarted });
    expect(note.via).toBe('response_url');
    expect(note.channel).toBe(CHANNEL);
    // Told once, though the look runs every second; nothing half-made left behind.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(notesFor(name)).toHaveLength(1);
    expect(await h.redis.zcard(startsKey(h.prefix))).toBe(0);
    expect(h.slack.world.messages.filter((message) => message.user === BOT_USER && message.text.includes(name))).toEqual([]);
    expect(await h.store.listByChannel(TEAM, CHANNEL, 10)).toEqual([]);
  });

  it('killed while Slack posted the root message, before the app heard back: the restarted app finds the message by its mark and says there the review did not start', async () => {
    const name = 'Half-posted claims triager';
    await killWhilePosting(name, (text) => text.includes(name), 'forward');
    const root = h.slack.world.messages.find((message) => message.user === BOT_USER && !message.threadTs && message.text.includes(name))!;
    expect(root).toBeDefined();
    // The dead process never learnt its ts: the start's note holds none.
    const [member] = await h.redis.zrange(startsKey(h.prefix), 0, -1);
    const { teamId, startId } = parseStartMember(member!)!;
    const note = JSON.parse((await h.redis.get(startKey(h.prefix, teamId, startId)))!) as { systemName: string; rootTs?: string };
    expect(note).toMatchObject({ systemName: name });
    expect(note.rootTs).toBeUndefined();

    await h.start();
    await h.slack.waitFor(() => notesFor(name)[0], { timeoutMs: 15_000, description: 'the private note that the review did not start' });
    const marked = await h.slack.waitFor((view) => view.world.messages.find((message) => message.ts === root.ts && message.text.includes('did not start')), {
      timeoutMs: 5_000,
      description: 'the root message saying the review did not start',
    });
    expect(marked.text).toContain(name);
    expect(notesFor(name)).toHaveLength(1);
    expect(await h.store.listByChannel(TEAM, CHANNEL, 10)).toEqual([]);
  });

  it('killed while posting the first question, after the review was stored: nothing is said, and the question goes out by itself', async () => {
    const name = 'Stored ticket router';
    await killWhilePosting(name, (text) => text.startsWith('Question 1:'), 'drop');
    const root = h.slack.world.messages.find((message) => message.user === BOT_USER && !message.threadTs && message.text.includes(name))!;
    expect(root).toBeDefined();

    await h.start();
    await h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && message.user === BOT_USER && message.text.startsWith('Question 1:')), {
      timeoutMs: 25_000,
      description: 'the first question, posted by the restarted app',
    });
    // Its note was looked at and left alone: the review exists.
    await waitUntil(async () => (await h.redis.zcard(startsKey(h.prefix))) === 0 || undefined, 'the note claimed', 10_000);
    expect(notesFor(name)).toEqual([]);
    expect(h.slack.world.messages.find((message) => message.ts === root.ts)!.text).toContain(name);
    expect(JSON.stringify(h.slack.world.messages.find((message) => message.ts === root.ts)!.blocks)).not.toContain('did not start');
  });
});
