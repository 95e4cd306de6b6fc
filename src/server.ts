/**
 * Composition: builds the app's parts from the configuration and starts it.
 * Used by main.ts (production), the local playground, the end-to-end tests
 * and the benchmark, so all of them run the same app.
 */
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import type { Flow } from './engine/types.js';
import { questionCountRange } from './engine/index.js';
import { loadFlows } from './flows/load.js';
import { createSuggester, type Suggester } from './llm/suggester.js';
import { loadOfflineLibrary } from './llm/offline-library.js';
import { createLogger, type Logger } from './logger.js';
import type { ReviewDeps } from './reviews/deps.js';
import { ReviewInbox } from './reviews/inbox.js';
import { createJobs } from './reviews/jobs.js';
import type { WorkspaceInstallations } from './slack/listeners/context.js';
import { tellLostStarts } from './reviews/lost-starts.js';
import { DEFAULT_RESUME_SWEEP, startResumeSweep, type ResumeSweep } from './reviews/resume-sweep.js';
import { ThreadDirectory } from './reviews/thread-directory.js';
import { WorkTracker } from './reviews/work-tracker.js';
import { createSlackApp, webClientOptions, type SlackApp } from './slack/app.js';
import { createLeads, type Leads, type LeadsOptions } from './leads/index.js';
import { BOT_SCOPES } from './slack/scopes.js';
import { StoreInstallationStore, installationKeyOf } from './store/installation-store.js';
import { MemoryStore } from './store/memory-store.js';
import { createRedisConnection } from './store/redis-connection.js';
import { RedisStore } from './store/redis-store.js';
import type { ReviewStore } from './store/types.js';

export class StartupError extends Error {}

/** Loads the shipped flows (any error stops start-up) and the custom ones (errors are logged and skipped). */
export function loadAllFlows(config: Config, logger: Logger, builtinDir = resolveFlowsDir()): Map<string, Flow> {
  const { flows, errors } = loadFlows({ builtinDir, customDir: config.reviews.customFlowsDir });
  const builtinErrors = errors.filter((error) => error.builtin);
  if (builtinErrors.length > 0) throw new StartupError(builtinErrors.map((error) => error.message).join('\n'));
  for (const error of errors.filter((item) => !item.builtin)) logger.error({ file: error.file }, `Custom flow skipped: ${error.message}`);
  // Worked out now (tens of ms for a branching flow), so the first review's start does not wait for it.
  for (const flow of flows.values()) questionCountRange(flow);
  return flows;
}

/** flows/ beside src/ — from src/ under tsx and from dist/src/ after the build alike. */
export function resolveFlowsDir(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes('/dist/') ? here.slice(0, here.indexOf('/dist/')) : here.slice(0, here.lastIndexOf('/src/'));
  return `${root}/flows`;
}

export interface ServerHandle {
  slack: SlackApp;
  deps: ReviewDeps;
  store: ReviewStore;
  logger: Logger;
  port: number;
  /** Reminders, Home refreshes and the leads' commands (tests tick the reminder loop). */
  leads: Leads;
  /** Where every input goes (tests ask whether a review's drain has finished). */
  inbox: ReviewInbox;
  /** Resumes reviews a dead process left with work (tests run a look at once). */
  resume: ResumeSweep;
  /** Stops taking requests, finishes what is in flight, closes the store. */
  stop(): Promise<void>;
}

export interface ServerOverrides {
  logger?: Logger;
  store?: ReviewStore;
  suggester?: Suggester;
  now?: () => Date;
  botUserId?: string;
  botId?: string;
  flowsDir?: string;
  leads?: LeadsOptions;
}

function createStore(config: Config, logger: Logger): ReviewStore {
  const redisConfigured = config.redis.url || config.redis.sentinels || config.redis.clusterNodes;
  if (!redisConfigured) {
    logger.warn('No REDIS_URL: using the in-process store (reviews are lost on restart)');
    return new MemoryStore({ retentionDays: config.reviews.retentionDays });
  }
  // While Redis is down ioredis reports every reconnection attempt: log the first and then one every 30 s.
  let lastErrorLog = 0;
  const redis = createRedisConnection(
    {
      url: config.redis.url,
      sentinels: config.redis.sentinels,
      sentinelName: config.redis.sentinelName,
      clusterNodes: config.redis.clusterNodes,
    },
    (error) => {
      if (Date.now() - lastErrorLog < 30_000) return;
      lastErrorLog = Date.now();
      logger.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'Redis connection error');
    },
  );
  return new RedisStore({ redis, prefix: config.redis.prefix, retentionDays: config.reviews.retentionDays, waitReplicas: config.redis.waitReplicas });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<ServerHandle> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  if (!config.slack.botToken && !config.slack.oauth) throw new StartupError('SLACK_BOT_TOKEN is missing');
  const flows = loadAllFlows(config, logger, overrides.flowsDir);
  const store = overrides.store ?? createStore(config, logger);
  const work = new WorkTracker((error) => logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : error }, 'Background work failed'));
  const suggester =
    overrides.suggester ??
    createSuggester({
      apiKey: config.llm.apiKey,
      baseUrl: config.llm.baseUrl,
      model: config.llm.model,
      enabled: config.llm.enabled,
      timeoutMs: config.llm.timeoutMs,
      maxCallsPerReview: config.llm.maxCallsPerReview,
      logger,
      library: loadOfflineLibrary(),
      callCounter: (reviewId) => store.hit(`llm:${reviewId}`, config.reviews.retentionDays * 86_400),
    });

  let app: App | undefined;
  // With OAuth settings the app serves every workspace that installs it; otherwise the one of SLACK_BOT_TOKEN.
  const oauth = config.slack.oauth;
  const singleToken = oauth ? undefined : config.slack.botToken;
  if (oauth && config.slack.botToken) logger.warn('SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: serving installed workspaces; SLACK_BOT_TOKEN is not used');
  const installations = new StoreInstallationStore(store);
  const clients = new Map<string, { client: WebClient; token: string; at: number }>();
  const deps: ReviewDeps = {
    store,
    flows,
    suggester,
    logger,
    settings: {
      leadsChannel: config.reviews.leadsChannel,
      leadUserIds: config.reviews.leadUserIds,
      retentionDays: config.reviews.retentionDays,
      reviewsPerMinutePerTeam: config.reviews.reviewsPerMinutePerTeam,
      reviewsPerMinutePerUser: config.reviews.reviewsPerMinutePerUser,
      inputsPerMinutePerPerson: config.reviews.inputsPerMinutePerPerson,
      reminderHours: config.reviews.reminderHours,
      staleDays: config.reviews.staleDays,
    },
    clientFor: async (teamId, enterpriseId) => {
      if (singleToken) {
        if (!app) throw new Error('The app is not built yet');
        return app.client;
      }
      // A team's client is reused for a minute, then its installation is read again (a reinstall brings a new token).
      const cached = clients.get(teamId);
      if (cached && Date.now() - cached.at < 60_000) return cached.client;
      const installation = await installations.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: false });
      const token = installation.bot?.token;
      if (!token) throw new Error(`The installation for team ${teamId} has no bot token`);
      const client = cached?.token === token ? cached.client : new WebClient(token, webClientOptions(config.slack.apiUrl));
      clients.set(teamId, { client, token, at: Date.now() });
      return client;
    },
    work,
    now: overrides.now ?? (() => new Date()),
    threads: new ThreadDirectory(store),
  };

  let ready = true;
  const customRoutes = [
    { path: '/healthz', method: ['GET'], handler: (_req: IncomingMessage, res: ServerResponse) => json(res, 200, { ok: true }) },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        // Ready = not shutting down, the store answers and there is a flow to run.
        const answer = (storeOk: boolean) => {
          const ok = ready && storeOk && flows.size > 0;
          json(res, ok ? 200 : 503, { ok, store: storeOk, flows: flows.size, stopping: !ready });
        };
        void store.ping().then(answer, () => answer(false));
      },
    },
  ];

  // A workspace that removed the app: its installation goes, and the client cached with its token.
  const forgettable: WorkspaceInstallations = {
    forget: async (workspace) => {
      const deleted = await store.deleteInstallation(installationKeyOf(workspace));
      if (workspace.teamId) clients.delete(workspace.teamId);
      return deleted;
    },
  };

  // Knowing the bot's own user id lets the listeners recognise its threads and ignore its messages.
  let botUserId = overrides.botUserId;
  let botId = overrides.botId;
  if (!botUserId && singleToken) {
    const identity = await new WebClient(singleToken, webClientOptions(config.slack.apiUrl)).auth.test();
    botUserId = identity.user_id;
    botId = identity.bot_id;
  }

  // The job runner and the inbox need each other: jobs submit their results through the inbox.
  const inboxRef: { current?: ReviewInbox } = {};
  const jobs = createJobs(deps, () => inboxRef.current!, config.reviews.jobLeaseSeconds * 1000);
  const inbox = new ReviewInbox(deps, jobs.run);
  inboxRef.current = inbox;
  const leads = createLeads(deps, overrides.leads);
  deps.reviewChanged = (placement, state) => leads.reviewChanged(placement, state);
  const slack = createSlackApp(
    {
      botToken: singleToken,
      oauth: oauth && { ...oauth, scopes: BOT_SCOPES, installationStore: installations },
      signingSecret: config.slack.signingSecret,
      appToken: config.slack.appToken,
      apiUrl: config.slack.apiUrl,
      port: config.slack.port,
      logger,
      botUserId,
      botId,
      customRoutes,
    },
    (built) => {
      app = built;
      return { deps, inbox, leads: leads.commands, botUserId, installations: oauth ? forgettable : undefined };
    },
  );
  // Track each request's work so shutdown waits for replies in flight.
  slack.app.use(async ({ next }) => {
    await work.track(next());
  });
  await slack.app.start(config.slack.port);
  logger.info({ mode: slack.mode, port: config.slack.port, flows: [...flows.keys()], model: suggester.modelConfigured }, 'Alignment review app started');
  // Started once the app can post: its first look resumes what a crashed process left.
  const resume = startResumeSweep({ store, logger, work, lostStarts: () => tellLostStarts(deps, config.reviews.lostStartSeconds * 1000), stalledJobs: jobs.resumeStalled }, inbox, { ...DEFAULT_RESUME_SWEEP, intervalMs: config.reviews.resumeSweepSeconds * 1000 });

  return {
    slack,
    deps,
    store,
    logger,
    port: config.slack.port,
    leads,
    inbox,
    resume,
    async stop() {
      ready = false;
      leads.stop();
      resume.stop();
      const stopped = slack.app.stop().catch(() => undefined);
      const finished = await work.drain(8_000);
      if (!finished) logger.warn({ pending: work.size }, 'Stopped with work still in flight');
      await stopped;
      await store.close();
    },
  };
}
