/**
 * Two replicas of the app, as separate processes, behind a load balancer
 * that sends each of Slack's requests to either at random. They share one
 * Redis and nothing else. Several reviews run at once, some answered one
 * reply at a time (waiting for the next question), some in a burst (each
 * reply sent as soon as the previous one is queued, wherever it went).
 * Once with one Redis server, once with a Redis Cluster of three primaries
 * (REDIS_CLUSTER_NODES), where each review's keys live on one of them.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load.js';
import { startSlackStandin, type SlackStandin } from '../../src/standin/slack/index.js';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { reviewKeys } from '../../src/store/keys.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { REPO_ROOT, appEnv, startAppProcess, type AppProcess } from '../support/app-process.js';
import { startPrivateCluster } from '../support/private-cluster.js';
import { startLoadBalancer } from '../support/load-balancer.js';
import { planReview, seededRandom, type PlannedReply } from '../support/review-plan.js';
import { waitUntil } from '../support/review-driver.js';

const SIGNING_SECRET = 'replica-signing-secret-0123456789';
const TEAM = 'T0001';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface ReviewCase {
  flowId: string;
  mode: 'paced' | 'burst';
  channelId: string;
  /** Who answers, in turn: a team answering together (and none of them over the per-person input limit). */
  userIds: string[];
}

const CASES: ReviewCase[] = [
  { flowId: 'quick-check', mode: 'burst', channelId: 'C0REVIEWS', userIds: ['U0ALICE'] },
  { flowId: 'alignment-review', mode: 'paced', channelId: 'C0REVIEWS', userIds: ['U0BOB', 'U0CAROL'] },
  { flowId: 'quick-check', mode: 'paced', channelId: 'C0GENERAL', userIds: ['U0CAROL'] },
  { flowId: 'alignment-review', mode: 'burst', channelId: 'C0GENERAL', userIds: ['U0DAN', 'U0ALICE'] },
  { flowId: 'agent-autonomy', mode: 'burst', channelId: 'C0REVIEWS', userIds: ['U0ALICE', 'U0BOB'] },
];

/** Questions shown in the thread: a copy struck through because the question was posted again below (after the suggestions) no longer reads as one. */
function questionPosts(slack: SlackStandin, channelId: string, threadTs: string): number {
  return slack.world.messages.filter((message) => message.channel === channelId && message.threadTs === threadTs && /^Question \d+:/.test(message.text)).length;
}

/** The Redis the replicas share: how they are told of it, and a connection for the test's own looks. */
interface SharedRedis {
  env: { redisUrl?: string; extra?: Record<string, string> };
  connect(): Redis | Cluster;
}

async function oneServer(prefix: string): Promise<SharedRedis> {
  const redisUrl = process.env.TEST_REDIS_URL!;
  cleanups.push(async () => {
    const redis = createRedisConnection({ url: redisUrl }) as Redis;
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return { env: { redisUrl }, connect: () => createRedisConnection({ url: redisUrl }) };
}

async function threePrimaries(): Promise<SharedRedis> {
  const cluster = await startPrivateCluster();
  cleanups.push(() => cluster.stop());
  const nodes = cluster.nodes.map((node) => `${node.host}:${node.port}`).join(',');
  return { env: { extra: { REDIS_CLUSTER_NODES: nodes } }, connect: () => createRedisConnection({ clusterNodes: cluster.nodes }) };
}

async function replicasShare(shared: (prefix: string) => Promise<SharedRedis>): Promise<void> {
  const seed = randomInt(2 ** 31);
  const random = seededRandom(seed);
  const prefix = `repl${randomBytes(4).toString('hex')}`;
  const redis = await shared(prefix);
  const store = new RedisStore({ redis: redis.connect(), prefix, retentionDays: 1 });
  cleanups.push(() => store.close());
  const inspect = redis.connect();
  cleanups.push(async () => inspect.quit());
  const slack = await startSlackStandin({ signingSecret: SIGNING_SECRET });
  cleanups.push(() => slack.close());
  const env = appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, prefix, ...redis.env });
  const replicas: AppProcess[] = await Promise.all([startAppProcess({ env }), startAppProcess({ env })]);
  for (const replica of replicas) cleanups.push(() => replica.stop('SIGKILL'));
  const balancer = await startLoadBalancer(
    replicas.map((replica) => replica.url),
    random,
  );
  cleanups.push(() => balancer.close());
  slack.setAppUrl(balancer.eventsUrl);

  const { flows } = loadFlows({ builtinDir: join(REPO_ROOT, 'flows') });
  const runs = CASES.map((reviewCase, index) => ({ ...reviewCase, tag: `R${index}x${seed}`, plan: planReview(flows.get(reviewCase.flowId)!, `R${index}x${seed}`, random) }));

  const results = await Promise.all(
    runs.map(async (run) => {
      const systemName = `System ${run.tag}`;
      await slack.slashCommand({ userId: run.userIds[0]!, channelId: run.channelId, command: '/alignment-review', text: `--flow ${run.flowId} ${systemName}` });
      const root = await slack.waitFor(({ world }) => world.messages.find((message) => message.botId && !message.threadTs && message.text.includes(systemName)), {
        description: `the root of ${run.tag}`,
      });
      const reviewId = await waitUntil(() => store.findByThread(TEAM, run.channelId, root.ts), `review ${run.tag} stored`);
      await slack.waitFor(({ world }) => world.messages.find((message) => message.threadTs === root.ts && message.botId && /^Question 1:/.test(message.text)), {
        description: `question 1 of ${run.tag}`,
      });
      const sent: (PlannedReply & { ts: string; userId: string })[] = [];
      for (const [index, reply] of run.plan.entries()) {
        const userId = run.userIds[index % run.userIds.length]!;
        const { ts } = await slack.sendMessage({ userId, channelId: run.channelId, threadTs: root.ts, text: reply.text });
        sent.push({ ...reply, ts, userId });
        if (run.mode === 'paced') {
          await waitUntil(async () => (await store.get(TEAM, reviewId))?.state.answers[reply.questionId]?.messageTs === ts, `${run.tag}: ${reply.questionId}`, 20_000);
        } else {
          // Slack's ack comes before the reply is queued; send the next one once this one is queued, not applied.
          await waitUntil(async () => (await inspect.hexists(reviewKeys(prefix, TEAM, reviewId).seen, `id:m:${ts}`)) === 1, `${run.tag}: ${reply.questionId} queued`);
        }
      }
      const state = await waitUntil(
        async () => {
          const record = await store.get(TEAM, reviewId);
          return record?.state.status === 'completed' ? record.state : null;
        },
        `${run.tag} to complete`,
        30_000,
      );
      return { run, root, reviewId, sent, state };
    }),
  );

  for (const { run, root, sent, state } of results) {
    const context = `${run.tag} (${run.flowId}, ${run.mode}, seed ${seed})`;
    // Exactly the planned answers: each once, from its own message, with the planned value.
    expect(Object.keys(state.answers).sort(), context).toEqual(sent.map((reply) => reply.questionId).sort());
    for (const reply of sent) {
      expect(state.answers[reply.questionId], `${context}: ${reply.questionId}`).toMatchObject({ value: reply.value, messageTs: reply.ts, by: reply.userId });
    }
    // In the order sent.
    const answered = state.history.filter((entry) => entry.action === 'answer').map((entry) => entry.questionId);
    expect(answered, context).toEqual(sent.map((reply) => reply.questionId));
    expect(state.asked, context).toEqual(sent.map((reply) => reply.questionId));
    // Each question was posted once: none skipped, none twice.
    await slack.settled();
    expect(questionPosts(slack, run.channelId, root.ts), context).toBe(sent.length);
  }

  // Each replica received some of the replies; which one applied them is whichever held the review's lock.
  const replyTs = new Set(results.flatMap(({ sent }) => sent.map((reply) => reply.ts)));
  const repliesTo = (backend: string) =>
    balancer.routes.filter((route) => {
      if (route.backend !== backend || !route.body.startsWith('{')) return false;
      const event = (JSON.parse(route.body) as { event?: { type?: string; subtype?: string; ts?: string } }).event;
      return event?.type === 'message' && !event.subtype && replyTs.has(event.ts ?? '');
    }).length;
  const received = replicas.map((replica) => repliesTo(replica.url));
  expect(received.reduce((sum, count) => sum + count, 0)).toBe(replyTs.size);
  for (const count of received) expect(count).toBeGreaterThan(replyTs.size / 4);
  expect(replicas.reduce((sum, replica) => sum + replica.logs.filter((line) => line.msg === 'Input applied').length, 0)).toBeGreaterThanOrEqual(replyTs.size);
  for (const replica of replicas) {
    for (const line of replica.logs) expect(JSON.stringify(line)).not.toContain(`x${seed} reply`);
  }

  const exits = await Promise.all(replicas.map((replica) => replica.stop('SIGTERM')));
  for (const exit of exits) expect(exit).toMatchObject({ code: 0 });
}

describe('replicas sharing one Redis', () => {
  it('every review completes with every answer applied exactly once and in order, whichever replica got each reply', { timeout: 90_000 }, () => replicasShare(oneServer));

  it('the same on a Redis Cluster of three primaries', { timeout: 90_000 }, () => replicasShare(threePrimaries));
});
