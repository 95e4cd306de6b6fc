/**
 * Socket Mode end to end: with SLACK_APP_TOKEN the app opens a WebSocket
 * (apps.connections.open, then `hello`), takes Slack's envelopes over it,
 * acknowledges each by its envelope_id, and answers through the Web API as
 * in HTTP mode. A small front in this test speaks the socket side; every
 * other Web API call goes on to the Slack stand-in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createLogger } from '../../src/logger.js';
import { startServer, type ServerHandle } from '../../src/server.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { ALICE, BOT_ID, BOT_USER, CHANNEL, TEAM, startStandardStandin, testAppConfig, type Standin } from '../support/app-harness.js';
import { freePort } from '../support/global-setup.js';
import { waitUntil } from '../support/review-driver.js';

interface SocketFront {
  apiUrl: string;
  /** Envelope ids the app acknowledged. */
  acks: string[];
  opened: number;
  send(envelope: Record<string, unknown>): void;
  close(): Promise<void>;
}

async function startSocketFront(standin: Standin): Promise<SocketFront> {
  const sockets: WebSocket[] = [];
  const acks: string[] = [];
  let opened = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0];
      if (method === 'apps.connections.open') {
        opened++;
        expect(request.headers.authorization).toBe('Bearer xapp-1-A0APP-1-socket');
        const { port } = server.address() as AddressInfo;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${port}/link` }));
        return;
      }
      const forwarded = await fetch(`${standin.apiUrl}${method}`, {
        method: 'POST',
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json', authorization: request.headers.authorization ?? '' },
        body: Buffer.concat(chunks),
      });
      response.writeHead(forwarded.status, { 'content-type': 'application/json' });
      response.end(await forwarded.text());
    })();
  });
  const wss = new WebSocketServer({ server, path: '/link' });
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string };
      if (message.envelope_id) acks.push(message.envelope_id);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APP' }, debug_info: { host: 'standin' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    acks,
    get opened() {
      return opened;
    },
    send(envelope) {
      for (const socket of sockets) socket.send(JSON.stringify(envelope));
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('Socket Mode', () => {
  it('starts a review from a slash_commands envelope and takes a reply from an events_api envelope, acknowledging each', async () => {
    const slack = await startStandardStandin();
    cleanup.push(() => slack.close());
    const front = await startSocketFront(slack);
    cleanup.push(() => front.close());
    const store = new MemoryStore({ retentionDays: 1 });
    const config = testAppConfig(front.apiUrl, await freePort(), { SLACK_APP_TOKEN: 'xapp-1-A0APP-1-socket', LOG_LEVEL: 'silent' });
    const server: ServerHandle = await startServer(config, { store, logger: createLogger('silent'), botUserId: BOT_USER, botId: BOT_ID });
    cleanup.push(() => server.stop());
    expect(server.slack.mode).toBe('socket');
    expect(front.opened).toBe(1);

    // Slack's slash_commands envelope (shared/slack-fixtures/12), for this workspace.
    front.send({
      envelope_id: 'env-command-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'verification-token',
        team_id: TEAM,
        team_domain: 'standin',
        channel_id: CHANNEL,
        channel_name: 'ai-reviews',
        user_id: ALICE,
        user_name: 'alice',
        command: '/alignment-review',
        text: '--flow quick-check Socket system',
        api_app_id: 'A0APP',
        response_url: `${slack.url}/response/unused`,
        trigger_id: '1.2.socket',
      },
    });
    await waitUntil(() => front.acks.includes('env-command-1'), 'the ack of the command envelope');
    const root = await slack.waitFor((view) => view.world.messages.find((message) => message.user === BOT_USER && !message.threadTs && message.text.includes('Socket system')), {
      description: 'the root message',
    });
    await slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && /^Question 1:/.test(message.text)), { description: 'the first question' });
    const reviewId = (await store.findByThread(TEAM, CHANNEL, root.ts))!;
    const first = (await store.get(TEAM, reviewId))!.state.currentQuestionId!;

    // A thread reply as an events_api envelope (shared/slack-fixtures/11 shape).
    const replyTs = (Number(root.ts) + 5).toFixed(6);
    front.send({
      envelope_id: 'env-event-1',
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      payload: {
        token: 'verification-token',
        team_id: TEAM,
        api_app_id: 'A0APP',
        type: 'event_callback',
        event_id: 'Ev0SOCKET1',
        event_time: Math.floor(Number(replyTs)),
        authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
        event: {
          type: 'message',
          channel: CHANNEL,
          channel_type: 'channel',
          user: ALICE,
          text: 'People want shortlists that are fair and fast, over a socket.',
          ts: replyTs,
          thread_ts: root.ts,
          parent_user_id: BOT_USER,
          event_ts: replyTs,
        },
      },
    });
    await waitUntil(() => front.acks.includes('env-event-1'), 'the ack of the event envelope');
    const state = await waitUntil(async () => {
      const record = await store.get(TEAM, reviewId);
      return record?.state.answers[first] ? record.state : null;
    }, 'the answer applied');
    expect(state.answers[first]).toMatchObject({ by: ALICE, messageTs: replyTs });
    await slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && /^Question 2:/.test(message.text)), { description: 'the second question' });
  });
});
