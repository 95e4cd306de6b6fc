/**
 * The environment the app inside the playground is configured from: the
 * person's own settings (store, model, flows, limits) kept, the Slack side
 * pointed at the local stand-in. Built as an env object and read back with
 * parseConfig so the app is configured exactly as in production.
 */
import type { Config } from '../config.js';

export interface StandinSide {
  botToken: string;
  apiUrl: string;
  signingSecret: string;
  /** Internal port the app's HTTP receiver listens on. */
  appPort: number;
  /** Where summary cards go unless the person set LEADS_CHANNEL. */
  leadsChannel: string;
}

const hostPorts = (nodes: { host: string; port: number }[] | undefined) => nodes?.map((node) => `${node.host}:${node.port}`).join(',');

/** Drops unset values so parseConfig applies its own defaults. */
function defined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

export function playgroundEnv(config: Config, side: StandinSide): Record<string, string> {
  return defined({
    // The in-process store refuses production; the playground is a development tool.
    NODE_ENV: 'development',
    LOG_LEVEL: config.logLevel,
    SLACK_BOT_TOKEN: side.botToken,
    SLACK_SIGNING_SECRET: side.signingSecret,
    SLACK_API_URL: side.apiUrl,
    PORT: String(side.appPort),
    // Socket Mode and OAuth settings are left out on purpose: the stand-in speaks HTTP with one bot token.
    REDIS_URL: config.redis.url,
    REDIS_SENTINELS: hostPorts(config.redis.sentinels),
    REDIS_SENTINEL_NAME: config.redis.sentinelName,
    REDIS_CLUSTER_NODES: hostPorts(config.redis.clusterNodes),
    REDIS_PREFIX: config.redis.prefix,
    LEADS_CHANNEL: config.reviews.leadsChannel ?? side.leadsChannel,
    LEAD_USER_IDS: config.reviews.leadUserIds.join(','),
    REVIEW_RETENTION_DAYS: String(config.reviews.retentionDays),
    REMINDER_HOURS: String(config.reviews.reminderHours),
    STALE_DAYS: String(config.reviews.staleDays),
    REVIEWS_PER_MINUTE_PER_TEAM: String(config.reviews.reviewsPerMinutePerTeam),
    FLOWS_DIR: config.reviews.customFlowsDir,
    // config.llm.enabled already folds in whether a key or base URL is set.
    LLM_ENABLED: String(config.llm.enabled),
    OPENAI_API_KEY: config.llm.apiKey,
    OPENAI_BASE_URL: config.llm.baseUrl,
    OPENAI_MODEL: config.llm.model,
    LLM_TIMEOUT_MS: String(config.llm.timeoutMs),
    LLM_MAX_CALLS_PER_REVIEW: String(config.llm.maxCallsPerReview),
    PLAYGROUND_PORT: String(config.playgroundPort),
  });
}

export function redisConfigured(config: Config): boolean {
  return Boolean(config.redis.url || config.redis.sentinels || config.redis.clusterNodes);
}
