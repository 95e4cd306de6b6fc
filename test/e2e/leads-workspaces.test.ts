/**
 * One deployment, many workspaces: two workspaces (two stand-ins, each with
 * its own bot token, behind one Web API address that routes by token as
 * Slack does) install the app through Slack's OAuth flow, then run reviews
 * that never see each other.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { findQuestion } from '../../src/engine/index.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type ServerHandle } from '../../src/server.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { startSlackStandin } from '../../src/standin/slack/index.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { CHANNEL, LEADS, SIGNING_SECRET, logCollector, type Standin } from '../support/app-harness.js';
import { freePort } from '../support/global-setup.js';
import { typicalReply, waitUntil } from '../support/review-driver.js';
import { keysUnder } from '../store/redis-harness.js';
import { TEST_LEADS_OPTIONS, TestClock } from '../leads/support/leads-harness.js';
import { startSlackRouter, type SlackRouter } from '../leads/support/slack-router.js';

interface Workspace {
  teamId: string;
  token: string;
  slack: Standin;
  bot: string;
  person: string;
  admin: string;
}

const ONE = { teamId: 'T0001', bot: 'U1BOT', person: 'U1ALICE', admin: 'U1CAROL', token: 'xoxb-team-one', domain: 'one' };
const TWO = { teamId: 'T0002', bot: 'U2BOT', person: 'U2ERIN', admin: 'U2FRANK', token: 'xoxb-team-two', domain: 'two' };

function workspaceStandin(spec: typeof ONE): Promise<Standin> {
  return startSlackStandin({
    signingSecret: SIGNING_SECRET,
    teamId: spec.teamId,
    teamDomain: spec.domain,
    teamName: `Workspace ${spec.domain}`,
    botUserId: spec.bot,
    botId: spec.bot.replace(/^U/, 'B'),
    botToken: spec.token,
    users: [
      { id: spec.person, name: 'person' },
      { id: spec.admin, name: 'admin', isAdmin: true },
    ],
    // The same channel ids in both workspaces: only the team keeps their reviews apart.
    channels: [
      { id: CHANNEL, name: 'ai-reviews', members: [spec.person, spec.admin, spec.bot] },
      { id: LEADS, name: 'ai-leads', members: [spec.admin, spec.bot] },
    ],
  });
}

let one: Workspace;
let two: Workspace;
let router: SlackRouter;
let server: ServerHandle;
let appUrl: string;
let redis: Redis;
let prefix: string;
const clock = new TestClock();
const logs = logCollector();

beforeEach(async () => {
  one = { ...ONE, slack: await workspaceStandin(ONE) };
  two = { ...TWO, slack: await workspaceStandin(TWO) };
  router = await startSlackRouter(
    [one, two].map((w) => ({ slack: w.slack, teamId: w.teamId, teamName: `Workspace ${w.teamId}`, botUserId: w.bot, installerUserId: w.admin })),
    BOT_SCOPES,
  );
  prefix = `ws${randomBytes(4).toString('hex')}`;
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const port = await freePort();
  const config = parseConfig({
    NODE_ENV: 'test',
    SLACK_CLIENT_ID: '1111.2222',
    SLACK_CLIENT_SECRET: 'client-secret-for-tests',
    SLACK_STATE_SECRET: 'state-secret-for-tests',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: router.apiUrl,
    PORT: String(port),
    LEADS_CHANNEL: LEADS,
    LOG_LEVEL: 'info',
    LLM_ENABLED: 'false',
  });
  server = await startServer(config, {
    store: new RedisStore({ redis, prefix, retentionDays: 180 }),
    logger: createLogger(config.logLevel, logs.stream),
    now: clock.now,
    leads: TEST_LEADS_OPTIONS,
  });
  appUrl = `http://127.0.0.1:${port}`;
  for (const w of [one, two]) w.slack.setAppUrl(`${appUrl}/slack/events`);
});

afterEach(async () => {
  for (const w of [one, two]) await w.slack.settled().catch(() => undefined);
  await server.stop();
  const cleaner = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await cleaner.keys(`${prefix}:*`);
  if (keys.length) await cleaner.del(...keys);
  cleaner.disconnect();
  await router.close();
  for (const w of [one, two]) await w.slack.close();
});

/** Slack's OAuth install as a browser goes through it: /slack/install, Slack's consent (approved), back to /slack/oauth_redirect. */
async function install(w: Workspace): Promise<void> {
  const start = await fetch(`${appUrl}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const consent = new URL(start.headers.get('location')!);
  expect(`${consent.origin}${consent.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
  expect(consent.searchParams.get('client_id')).toBe('1111.2222');
  expect(consent.searchParams.get('scope')?.split(',')).toEqual([...BOT_SCOPES]);
  const state = consent.searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const done = await fetch(`${appUrl}/slack/oauth_redirect?code=${router.issueCode(w.teamId)}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  expect(done.status).toBe(200);
}

async function startIn(w: Workspace, name: string): Promise<{ reviewId: string; threadTs: string }> {
  const before = w.slack.world.seq;
  await w.slack.slashCommand({ userId: w.person, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check ${name}` });
  const root = await w.slack.waitFor(
    (view) => view.world.messages.find((message) => message.channel === CHANNEL && message.user === w.bot && !message.threadTs && message.seq > before),
    { description: `the root message in ${w.teamId}` },
  );
  const reviewId = await waitUntil(() => server.store.findByThread(w.teamId, CHANNEL, root.ts), `the review stored for ${w.teamId}`);
  return { reviewId, threadTs: root.ts };
}

async function answerAll(w: Workspace, review: { reviewId: string; threadTs: string }): Promise<void> {
  for (let index = 1; index < 30; index++) {
    const state = (await server.store.get(w.teamId, review.reviewId))!.state;
    if (!state.currentQuestionId) return;
    const question = findQuestion(server.deps.flows.get(state.flowId)!, state, state.currentQuestionId)!;
    const { ts } = await w.slack.sendMessage({ userId: w.person, channelId: CHANNEL, threadTs: review.threadTs, text: typicalReply(question, index) });
    await waitUntil(async () => (await server.store.get(w.teamId, review.reviewId))?.state.answers[question.id]?.messageTs === ts, `${question.id} in ${w.teamId}`);
  }
  throw new Error('the review never completed');
}

describe('many workspaces', () => {
  it('answers a workspace only once it has installed the app through OAuth', async () => {
    await one.slack.slashCommand({ userId: one.person, channelId: CHANNEL, command: '/alignment-review', text: 'help' });
    await one.slack.settled();
    expect(one.slack.world.ephemerals.filter((item) => item.via !== 'slack')).toEqual([]);

    await install(one);
    await one.slack.slashCommand({ userId: one.person, channelId: CHANNEL, command: '/alignment-review', text: 'help' });
    await one.slack.waitFor((view) => view.world.ephemerals.find((item) => item.userId === one.person && /runs an AI alignment review/.test(JSON.stringify(item.blocks ?? []))), {
      description: 'the help text',
    });
    const installation = await redis.get(`${prefix}:inst:${one.teamId}`);
    expect(JSON.parse(installation!)).toMatchObject({ team: { id: one.teamId }, bot: { userId: one.bot, token: one.token } });
    expect(await redis.ttl(`${prefix}:inst:${one.teamId}`)).toBeGreaterThan(179 * 86_400);
    // Tokens never reach the log.
    expect(JSON.stringify(logs.lines)).not.toContain(one.token);
  });

  it('keeps two workspaces’ reviews apart, though their channel ids are the same', async () => {
    await install(one);
    await install(two);
    const first = await startIn(one, 'Resume screener');
    const second = await startIn(two, 'Churn predictor');
    await Promise.all([answerAll(one, first), answerAll(two, second)]);

    for (const [w, mine, theirs, name, other] of [
      [one, first, second, 'Resume screener', 'Churn predictor'],
      [two, second, first, 'Churn predictor', 'Resume screener'],
    ] as const) {
      expect((await server.store.listByTeam(w.teamId, 10)).map((entry) => entry.reviewId)).toEqual([mine.reviewId]);
      expect((await server.store.listByChannel(w.teamId, CHANNEL, 10)).map((entry) => entry.reviewId)).toEqual([mine.reviewId]);
      expect(await server.store.get(w.teamId, theirs.reviewId)).toBeNull();
      // Everything the app posted for a review went to its own workspace, cards included.
      const everything = JSON.stringify(w.slack.world.messages);
      expect(everything).toContain(name);
      expect(everything).not.toContain(other);
      expect(everything).not.toContain(theirs.reviewId);
      await w.slack.waitFor((view) => view.world.messages.find((message) => message.channel === LEADS && JSON.stringify(message.blocks ?? []).includes(mine.reviewId)), {
        description: `the leads' card in ${w.teamId}`,
      });

      // A workspace admin's Home shows that workspace's reviews only.
      await w.slack.openHome({ userId: w.admin });
      const home = await w.slack.waitFor((view) => (view.world.homeViews[w.admin] ? view.world.views[view.world.homeViews[w.admin]!] : undefined), {
        description: `the admin's home in ${w.teamId}`,
      });
      const homeText = JSON.stringify(home.definition.blocks);
      expect(homeText).toContain(mine.reviewId);
      expect(homeText).not.toContain(theirs.reviewId);
    }
    const installs = (await keysUnder(redis, prefix)).filter((key) => key.includes(':inst:'));
    expect(installs).toEqual([`${prefix}:inst:${one.teamId}`, `${prefix}:inst:${two.teamId}`]);
  });

  it('forgets a workspace that removes the app: its installation goes at once, its reminders stop, and the other workspace goes on', async () => {
    await install(one);
    await install(two);
    const removed = await startIn(one, 'Invoice matcher');
    const kept = await startIn(two, 'Ticket router');
    await waitUntil(async () => (await redis.zcard(`${prefix}:reminders`)) === 2, 'both reminders scheduled');

    // Slack refuses the token from now on, and sends both events (in either order).
    await one.slack.uninstallApp({ order: 'uninstalled-first' });
    // Events are acknowledged before they are handled.
    await waitUntil(() => logs.lines.filter((line) => line.msg === 'The app was removed from a workspace').length === 2 || undefined, 'both events handled');
    expect(await redis.exists(`${prefix}:inst:${one.teamId}`)).toBe(0);
    expect(await redis.exists(`${prefix}:inst:${two.teamId}`)).toBe(1);
    const removals = one.slack.deliveries.filter((delivery) => ['app_uninstalled', 'tokens_revoked'].includes(delivery.description));
    expect(removals.map((delivery) => [delivery.description, delivery.status])).toEqual([
      ['app_uninstalled', 200],
      ['tokens_revoked', 200],
    ]);
    const said = logs.lines.filter((line) => line.msg === 'The app was removed from a workspace');
    // Whichever is handled first deletes the installation; the other finds nothing left.
    expect(said.map((line) => line.event).sort()).toEqual(['app_uninstalled', 'tokens_revoked']);
    expect(said.map((line) => line.installationDeleted).sort()).toEqual([false, true]);
    expect(said.every((line) => line.teamId === one.teamId)).toBe(true);
    // Its reviews are kept for the retention period, as any review is.
    expect(await server.store.get(one.teamId, removed.reviewId)).not.toBeNull();

    // Its reminder is dropped at its first try, not tried with a dead token for ever; the other workspace's is sent.
    clock.advanceHours(25);
    expect(await server.leads.reminders.tick()).toBe(1);
    expect(await redis.zrange(`${prefix}:reminders`, 0, -1)).not.toEqual(expect.arrayContaining([expect.stringContaining(removed.reviewId)]));
    expect(two.slack.world.messages.filter((message) => message.threadTs === kept.threadTs && message.text.startsWith('Reminder:'))).toHaveLength(1);

    // Installed again, the workspace is answered as before, with its review still there.
    one.slack.world.bot.uninstalled = false;
    await install(one);
    await one.slack.sendMessage({ userId: one.person, channelId: CHANNEL, threadTs: removed.threadTs, text: 'Pay the right suppliers the right amount, once.' });
    await waitUntil(async () => (await server.store.get(one.teamId, removed.reviewId))!.state.history.length > 0 || undefined, 'the answer applied after the reinstall');
  });

  it('does background work (reminders) with each workspace’s own token', async () => {
    await install(one);
    await install(two);
    const first = await startIn(one, 'Invoice matcher');
    const second = await startIn(two, 'Ticket router');
    await waitUntil(async () => (await redis.zcard(`${prefix}:reminders`)) === 2, 'both reminders scheduled');
    clock.advanceHours(25);
    expect(await server.leads.reminders.tick()).toBe(2);
    for (const [w, review] of [
      [one, first],
      [two, second],
    ] as const) {
      const nudges = w.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.text.startsWith('Reminder:'));
      expect(nudges).toHaveLength(1);
      expect(nudges[0]!.user).toBe(w.bot);
    }
  });
});
