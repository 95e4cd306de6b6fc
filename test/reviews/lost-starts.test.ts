/**
 * Telling the people whose review a process never finished starting
 * (src/reviews/lost-starts.ts), over the in-process store and a recording
 * Web API client; the crash itself is in test/hardening/lost-start.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startReview } from '../../src/engine/index.js';
import { lostStartMessage, lostStartRootText, tellLostStarts } from '../../src/reviews/lost-starts.js';
import { noteStart } from '../../src/reviews/start-review.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { PendingStart } from '../../src/store/types.js';
import { inProcessReviews } from '../support/fault-deps.js';

const TEAM = 'T0001';
const CHANNEL = 'C0REVIEWS';
const LOST_AFTER_MS = 60_000;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A response_url that records what it was sent and answers `status`. */
async function responseUrl(status: number): Promise<{ url: string; received: unknown[] }> {
  const received: unknown[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(status === 200 ? '{"ok":true}' : '{"ok":false}');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/commands/1`, received };
}

function pending(overrides: Partial<PendingStart> = {}): PendingStart {
  return { channelId: CHANNEL, userId: 'U0ALICE', systemName: 'Resume <screener>', notedAt: Date.now() - LOST_AFTER_MS - 1000, ...overrides };
}

describe('starts left unfinished', () => {
  it('marks a root message posted for a review that was never stored, and tells the person through the command’s response_url', async () => {
    const store = new MemoryStore();
    const reviews = inProcessReviews(store);
    const hook = await responseUrl(200);
    await store.noteStart(TEAM, 'trigger-1', pending({ rootTs: '1700000000.000100', responseUrl: hook.url }), 'new');

    expect(await tellLostStarts(reviews.deps, LOST_AFTER_MS)).toBe(1);
    const update = reviews.calls.find((call) => call.method === 'chat.update')!;
    expect(update.args).toMatchObject({ channel: CHANNEL, ts: '1700000000.000100', text: lostStartRootText('Resume <screener>') });
    expect(update.args.text).toContain('Resume &lt;screener&gt;');
    expect(hook.received).toEqual([{ response_type: 'ephemeral', text: lostStartMessage('Resume <screener>') }]);
    expect(reviews.calls.filter((call) => call.method === 'chat.postEphemeral')).toEqual([]);
    // Claimed: the next look says nothing more.
    expect(await tellLostStarts(reviews.deps, LOST_AFTER_MS)).toBe(0);
    expect(hook.received).toHaveLength(1);
  });

  it('tells the person in the channel when there is no response_url (the modal) or it fails', async () => {
    const store = new MemoryStore();
    const reviews = inProcessReviews(store);
    const broken = await responseUrl(500);
    await store.noteStart(TEAM, 'view-1', pending(), 'new');
    await store.noteStart(TEAM, 'trigger-2', pending({ userId: 'U0BOB', responseUrl: broken.url }), 'new');

    expect(await tellLostStarts(reviews.deps, LOST_AFTER_MS)).toBe(2);
    const notes = reviews.calls.filter((call) => call.method === 'chat.postEphemeral').map((call) => call.args);
    expect(notes).toEqual(
      expect.arrayContaining([
        { channel: CHANNEL, user: 'U0ALICE', text: lostStartMessage('Resume <screener>') },
        { channel: CHANNEL, user: 'U0BOB', text: lostStartMessage('Resume <screener>') },
      ]),
    );
    expect(broken.received).toHaveLength(1);
    expect(reviews.calls.filter((call) => call.method === 'chat.update')).toEqual([]);
  });

  it('notes a start once: a replay of the same request notes nothing, and the first request’s note stays as it was', async () => {
    const store = new MemoryStore();
    const reviews = inProcessReviews(store);
    const request = { teamId: TEAM, channelId: CHANNEL, userId: 'U0ALICE', systemName: 'Resume screener', requestId: '1234.5678.abcdef' };
    const first = await noteStart(reviews.deps, request, 'https://hooks.example/commands/1');
    expect(first).toMatchObject({ startId: '1234.5678.abcdef', start: { responseUrl: 'https://hooks.example/commands/1' } });
    expect(await noteStart(reviews.deps, { ...request, systemName: 'Something else' })).toBeUndefined();
    expect(await store.claimLostStarts(Date.now() + 1, 10)).toEqual([{ teamId: TEAM, startId: '1234.5678.abcdef', start: first!.start }]);
  });

  it('says nothing of a start whose review was stored after all, and leaves a start still under way alone', async () => {
    const store = new MemoryStore();
    const reviews = inProcessReviews(store);
    const flow = reviews.deps.flows.get('quick-check')!;
    const step = startReview(flow, { id: 'RSTORED2', systemName: 'Stored', startedBy: 'U0ALICE', at: new Date().toISOString() });
    await store.create({ placement: { teamId: TEAM, channelId: CHANNEL, threadTs: '1700000000.000200' }, state: step.state }, []);
    await store.noteStart(TEAM, 'trigger-3', pending({ rootTs: '1700000000.000200' }), 'new');
    await store.noteStart(TEAM, 'trigger-4', pending({ notedAt: Date.now() }), 'new');

    expect(await tellLostStarts(reviews.deps, LOST_AFTER_MS)).toBe(0);
    expect(reviews.calls).toEqual([]);
    // The one under way is still noted, for a later look should its process die.
    expect((await store.claimLostStarts(Date.now() + 1, 10)).map((item) => item.startId)).toEqual(['trigger-4']);
  });
});
