import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('reads a complete HTTP-mode environment with defaults', () => {
    const config = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: 'secret-value-123', REDIS_URL: 'rediss://cache:6380' });
    expect(config.slack.port).toBe(3000);
    expect(config.redis.url).toBe('rediss://cache:6380');
    expect(config.reviews.retentionDays).toBe(180);
    expect(config.reviews.reminderHours).toBe(24);
    expect(config.llm.enabled).toBe(false);
    expect(config.llm.maxCallsPerReview).toBe(3);
  });

  it('names each missing or malformed variable once, with how to fix it, and never its value', () => {
    const secret = 'xoxq-super-secret-token-value';
    const problems = problemsOf({ SLACK_BOT_TOKEN: secret, PORT: 'eighty', REDIS_URL: 'http://nope', LEAD_USER_IDS: 'U1,U2' });
    expect(problems.some((line) => line.startsWith('SLACK_BOT_TOKEN') && line.includes('OAuth & Permissions'))).toBe(true);
    expect(problems.some((line) => line.startsWith('PORT'))).toBe(true);
    expect(problems.some((line) => line.startsWith('REDIS_URL') && line.includes('redis://'))).toBe(true);
    for (const line of problems) expect(line).not.toContain(secret);
  });

  it('needs the signing secret in HTTP mode but not in Socket Mode', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' }).some((line) => line.startsWith('SLACK_SIGNING_SECRET is missing'))).toBe(true);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  it('turns the model on only with a key or a base URL, and never when disabled', () => {
    expect(parseConfig({ OPENAI_API_KEY: 'k' }).llm.enabled).toBe(true);
    expect(parseConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }).llm.enabled).toBe(true);
    expect(parseConfig({ OPENAI_API_KEY: 'k', LLM_ENABLED: 'false' }).llm.enabled).toBe(false);
  });

  it('parses Sentinel and Cluster settings', () => {
    const config = parseConfig({ REDIS_SENTINELS: 's1:26379,s2:26380', REDIS_SENTINEL_NAME: 'main', REDIS_CLUSTER_NODES: 'n1:7000' });
    expect(config.redis.sentinels).toEqual([{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }]);
    expect(config.redis.clusterNodes).toEqual([{ host: 'n1', port: 7000 }]);
    expect(problemsOf({ REDIS_SENTINELS: 's1:26379' }).some((line) => line.startsWith('REDIS_SENTINEL_NAME'))).toBe(true);
  });

  it('stops start-up with one clear line per problem', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, SLACK_BOT_TOKEN: 'xoxb-valid-looking', PORT: '99999', DOTENV_CONFIG_PATH: '/nonexistent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET is missing');
    expect(result.stderr).toMatch(/PORT .*port number/);
    expect(result.stderr).not.toContain('xoxb-valid-looking');
  });
});

describe('per-person limits', () => {
  it('default the per-person input limit and leave the per-user review limit to the team’s quarter', () => {
    const config = parseConfig({});
    expect(config.reviews.inputsPerMinutePerPerson).toBe(60);
    expect(config.reviews.reviewsPerMinutePerUser).toBeUndefined();
    const set = parseConfig({ REVIEWS_PER_MINUTE_PER_USER: '2', INPUTS_PER_MINUTE_PER_PERSON: '10' });
    expect(set.reviews.reviewsPerMinutePerUser).toBe(2);
    expect(set.reviews.inputsPerMinutePerPerson).toBe(10);
    expect(problemsOf({ INPUTS_PER_MINUTE_PER_PERSON: '0' }).some((line) => line.startsWith('INPUTS_PER_MINUTE_PER_PERSON'))).toBe(true);
  });
});

describe('the look for reviews left with work', () => {
  it('runs every minute unless told otherwise, and refuses an interval of nothing or past an hour', () => {
    expect(parseConfig({}).reviews.resumeSweepSeconds).toBe(60);
    expect(parseConfig({ RESUME_SWEEP_SECONDS: '5' }).reviews.resumeSweepSeconds).toBe(5);
    for (const bad of ['0', '3601', 'soon']) {
      expect(problemsOf({ RESUME_SWEEP_SECONDS: bad }).some((line) => line.startsWith('RESUME_SWEEP_SECONDS')), bad).toBe(true);
    }
  });
});

describe('waiting for replicas', () => {
  it('waits for none unless told, takes a count and a timeout under the command timeout, and refuses it on a Cluster', () => {
    expect(parseConfig({}).redis.waitReplicas).toBeUndefined();
    expect(parseConfig({ REDIS_WAIT_REPLICAS: '2' }).redis.waitReplicas).toEqual({ count: 2, timeoutMs: 500 });
    expect(parseConfig({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '200' }).redis.waitReplicas).toEqual({ count: 1, timeoutMs: 200 });
    expect(problemsOf({ REDIS_WAIT_TIMEOUT_MS: '1500' }).some((line) => line.startsWith('REDIS_WAIT_TIMEOUT_MS'))).toBe(true);
    expect(problemsOf({ REDIS_WAIT_REPLICAS: '1', REDIS_CLUSTER_NODES: '10.0.0.1:6379' }).some((line) => line.startsWith('REDIS_WAIT_REPLICAS'))).toBe(true);
  });
});
