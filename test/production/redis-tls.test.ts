/**
 * REDIS_URL=rediss://…: the app talks to Redis over TLS, and checks the
 * server's certificate. A redis-server of the test's own listens for TLS
 * only, with a certificate for 127.0.0.1 signed by a CA made for the test
 * (openssl). Trusting that CA (NODE_EXTRA_CA_CERTS, as a deployment adds a
 * managed Redis's CA), the app is ready and runs a review; without it, the
 * app refuses the connection and is not ready.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../src/standin/slack/index.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { appEnv, startAppProcess, type AppProcess } from '../support/app-process.js';
import { freePort } from '../support/global-setup.js';
import { RedisProcesses, until } from '../support/redis-processes.js';
import { waitUntil } from '../support/review-driver.js';

const SIGNING_SECRET = 'tls-signing-secret-0123456789';
const TEAM = 'T0001';
const CHANNEL = 'C0REVIEWS';

let servers: RedisProcesses;
let url: string;
let caFile: string;
let slack: SlackStandin;
const apps: AppProcess[] = [];

/** A CA and a certificate for 127.0.0.1 signed by it, in `dir`. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=alignment-review test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.cnf');
}

async function readyz(app: AppProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  servers = new RedisProcesses('redis-tls');
  makeCertificates(servers.dir);
  caFile = join(servers.dir, 'ca.pem');
  const port = await freePort();
  // TLS only: the plain port is off, so nothing reaches this Redis without TLS.
  const args = ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', servers.dir];
  args.push('--tls-cert-file', join(servers.dir, 'server.pem'), '--tls-key-file', join(servers.dir, 'server.key'), '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no');
  await servers.start(port, args, async () => {
    const probe = new Redis({ host: '127.0.0.1', port, tls: { ca: readFileSync(caFile) }, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused until the server listens: the poll asks again.
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  });
  url = `rediss://127.0.0.1:${port}`;
  slack = await startSlackStandin({ signingSecret: SIGNING_SECRET });
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.stop('SIGKILL');
  await slack?.close();
  await servers?.stop();
});

describe('Redis over TLS (rediss://)', () => {
  it('trusting the server’s CA, the app is ready and stores a review over TLS', async () => {
    const app = await startAppProcess({ env: appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, redisUrl: url, prefix: 'tls', extra: { NODE_EXTRA_CA_CERTS: caFile } }) });
    apps.push(app);
    slack.setAppUrl(app.eventsUrl);
    expect(await readyz(app)).toMatchObject({ status: 200, body: { ok: true, store: true } });

    await slack.slashCommand({ userId: 'U0ALICE', channelId: CHANNEL, command: '/alignment-review', text: '--flow quick-check Encrypted bot' });
    const root = await slack.waitFor(({ world }) => world.messages.find((message) => message.botId && !message.threadTs && message.text.includes('Encrypted bot')), { description: 'the root message' });
    const redis = new Redis(url, { tls: { ca: readFileSync(caFile) } });
    try {
      const store = new RedisStore({ redis, prefix: 'tls', retentionDays: 1 });
      const reviewId = await waitUntil(() => store.findByThread(TEAM, CHANNEL, root.ts), 'the review stored');
      await slack.waitFor(({ world }) => world.messages.find((message) => message.threadTs === root.ts && message.botId && /^Question 1:/.test(message.text)), { description: 'question 1' });
      const { ts } = await slack.sendMessage({ userId: 'U0ALICE', channelId: CHANNEL, threadTs: root.ts, text: 'A bot that drafts answers for our support team to review.' });
      const record = await waitUntil(async () => {
        const stored = await store.get(TEAM, reviewId);
        return Object.values(stored?.state.answers ?? {}).some((answer) => answer.messageTs === ts) ? stored : null;
      }, 'the first answer stored');
      expect(record.state.systemName).toBe('Encrypted bot');
    } finally {
      redis.disconnect();
    }
  });

  it('not trusting it, the app refuses the connection and is not ready', async () => {
    const app = await startAppProcess({ env: appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, redisUrl: url, prefix: 'tls' }) });
    apps.push(app);
    expect(await readyz(app)).toMatchObject({ status: 503, body: { ok: false, store: false } });
    await until('the certificate refusal logged', async () => app.logs.some((line) => line.msg === 'Redis connection error' && /certificate/i.test(JSON.stringify(line))), 10_000);
  });
});
