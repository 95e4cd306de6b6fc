/**
 * Configuration, read once from the environment (and .env through dotenv in
 * main.ts) and validated by zod. Every key is documented here and in the
 * README; a missing or malformed one stops start-up with one line per problem
 * that says which variable and how to fix it. Secrets are never echoed back.
 */
import { z } from 'zod';

const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : ['true', '1', 'yes'].includes(value)));

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const hostPorts = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    const nodes = value.split(',').map((part) => {
      const [host, port] = part.trim().split(':');
      return { host: host ?? '', port: Number(port ?? 6379) };
    });
    if (nodes.some((node) => !node.host || !Number.isInteger(node.port))) {
      ctx.addIssue({ code: 'custom', message: 'expected host:port[,host:port…]' });
      return z.NEVER;
    }
    return nodes;
  });

/** How to fix each variable, for the start-up message. */
const HOW_TO_FIX: Record<string, string> = {
  SLACK_BOT_TOKEN: 'set it to the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page',
  SLACK_SIGNING_SECRET: 'set it to the Signing Secret from your app\'s "Basic Information" page',
  SLACK_APP_TOKEN: 'set it to an app-level token (xapp-…) with connections:write, or unset it to use HTTP mode',
  SLACK_API_URL: 'set it to a URL ending in /api/, or unset it to use Slack itself',
  PORT: 'set it to a port number between 1 and 65535',
  REDIS_URL: 'set it to redis://host:6379 or rediss://host:6380 (TLS)',
  LEADS_CHANNEL: 'set it to a channel id such as C0123456789',
  OPENAI_BASE_URL: 'set it to the base URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1',
};

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    SLACK_BOT_TOKEN: z.string().regex(/^xox[bp]-/, 'must start with xoxb-').optional(),
    SLACK_SIGNING_SECRET: z.string().min(8, 'is too short').optional(),
    SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must start with xapp-').optional(),
    SLACK_API_URL: z.url().optional(),
    SLACK_CLIENT_ID: z.string().optional(),
    SLACK_CLIENT_SECRET: z.string().optional(),
    SLACK_STATE_SECRET: z.string().optional(),
    PORT: int(3000, 1, 65535),

    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    REDIS_SENTINELS: hostPorts,
    REDIS_SENTINEL_NAME: z.string().optional(),
    REDIS_CLUSTER_NODES: hostPorts,
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('ar'),
    /** Replicas that must confirm each write holding what people sent (WAIT); 0 waits for none. */
    REDIS_WAIT_REPLICAS: int(0, 0, 10),
    /** How long such a write waits for them; under the 1.5 s command timeout. */
    REDIS_WAIT_TIMEOUT_MS: int(500, 10, 1400),

    LEADS_CHANNEL: z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'must be a channel id')
      .optional(),
    LEAD_USER_IDS: csv,
    REVIEW_RETENTION_DAYS: int(180, 1, 3650),
    REMINDER_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(24),
    STALE_DAYS: z.coerce.number().min(0.01).max(365).default(7),
    REVIEWS_PER_MINUTE_PER_TEAM: int(20, 1, 10_000),
    /** Default: a quarter of the team's limit, at least 1. */
    REVIEWS_PER_MINUTE_PER_USER: z.coerce.number().int().min(1).max(10_000).optional(),
    INPUTS_PER_MINUTE_PER_PERSON: int(60, 1, 10_000),
    RESUME_SWEEP_SECONDS: int(60, 1, 3600),
    LOST_START_SECONDS: int(60, 2, 3600),
    JOB_LEASE_SECONDS: int(300, 2, 3600),
    FLOWS_DIR: z.string().optional(),

    LLM_ENABLED: bool(true),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_MODEL: z.string().default('gpt-4o-mini'),
    LLM_TIMEOUT_MS: int(20_000, 100, 300_000),
    LLM_MAX_CALLS_PER_REVIEW: int(3, 0, 50),

    PLAYGROUND_PORT: int(3000, 1, 65535),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is missing (needed in HTTP mode)' });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_NAME'], message: 'is missing (needed with REDIS_SENTINELS)' });
    }
    if (env.REDIS_WAIT_REPLICAS > 0 && env.REDIS_CLUSTER_NODES) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_WAIT_REPLICAS'], message: 'is not supported with REDIS_CLUSTER_NODES (WAIT would reach a random node)' });
    }
  });

export type Env = z.infer<typeof configSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    oauth?: { clientId: string; clientSecret: string; stateSecret: string };
    port: number;
  };
  redis: {
    url?: string;
    sentinels?: { host: string; port: number }[];
    sentinelName?: string;
    clusterNodes?: { host: string; port: number }[];
    prefix: string;
    /** Replicas that confirm each write of people's inputs (WAIT), and how long to wait; absent: none. */
    waitReplicas?: { count: number; timeoutMs: number };
  };
  reviews: {
    leadsChannel?: string;
    leadUserIds: string[];
    retentionDays: number;
    reminderHours: number;
    staleDays: number;
    reviewsPerMinutePerTeam: number;
    reviewsPerMinutePerUser?: number;
    inputsPerMinutePerPerson: number;
    /** How often one replica looks for reviews a dead process left with work (reviews/resume-sweep.ts). */
    resumeSweepSeconds: number;
    /** How long a review's start may take before that look counts it lost (its process stopped) and tells the person (reviews/lost-starts.ts). */
    lostStartSeconds: number;
    /** How long a background job (suggestions) may run before the look for work left behind counts its process dead and runs it again (reviews/jobs.ts). */
    jobLeaseSeconds: number;
    customFlowsDir?: string;
  };
  llm: {
    enabled: boolean;
    apiKey?: string;
    baseUrl?: string;
    model: string;
    timeoutMs: number;
    maxCallsPerReview: number;
  };
  playgroundPort: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment. Problems name the variable and how to fix it, never its value. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  // Empty strings mean "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const fix = HOW_TO_FIX[name];
      const message = issue.code === 'invalid_type' && cleaned[name] === undefined ? 'is missing' : issue.message;
      return `${name} ${message}${fix ? `: ${fix}` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const env = result.data;
  const oauth =
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET
      ? { clientId: env.SLACK_CLIENT_ID, clientSecret: env.SLACK_CLIENT_SECRET, stateSecret: env.SLACK_STATE_SECRET ?? env.SLACK_CLIENT_SECRET }
      : undefined;
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
      oauth,
      port: env.PORT,
    },
    redis: {
      url: env.REDIS_URL,
      sentinels: env.REDIS_SENTINELS,
      sentinelName: env.REDIS_SENTINEL_NAME,
      clusterNodes: env.REDIS_CLUSTER_NODES,
      prefix: env.REDIS_PREFIX,
      waitReplicas: env.REDIS_WAIT_REPLICAS > 0 ? { count: env.REDIS_WAIT_REPLICAS, timeoutMs: env.REDIS_WAIT_TIMEOUT_MS } : undefined,
    },
    reviews: {
      leadsChannel: env.LEADS_CHANNEL,
      leadUserIds: env.LEAD_USER_IDS,
      retentionDays: env.REVIEW_RETENTION_DAYS,
      reminderHours: env.REMINDER_HOURS,
      staleDays: env.STALE_DAYS,
      reviewsPerMinutePerTeam: env.REVIEWS_PER_MINUTE_PER_TEAM,
      reviewsPerMinutePerUser: env.REVIEWS_PER_MINUTE_PER_USER,
      inputsPerMinutePerPerson: env.INPUTS_PER_MINUTE_PER_PERSON,
      resumeSweepSeconds: env.RESUME_SWEEP_SECONDS,
      lostStartSeconds: env.LOST_START_SECONDS,
      jobLeaseSeconds: env.JOB_LEASE_SECONDS,
      customFlowsDir: env.FLOWS_DIR,
    },
    llm: {
      enabled: env.LLM_ENABLED && Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL),
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      timeoutMs: env.LLM_TIMEOUT_MS,
      maxCallsPerReview: env.LLM_MAX_CALLS_PER_REVIEW,
    },
    playgroundPort: env.PLAYGROUND_PORT,
  };
}
