import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { bannerLines, modelDescription } from '../../src/playground/banner.js';
import { playgroundEnv } from '../../src/playground/env.js';
import { redisWhere } from '../../src/playground/store.js';

const side = { botToken: 'xoxb-standin', apiUrl: 'http://127.0.0.1:4100/api/', signingSecret: 'a-generated-secret-0123', appPort: 4200, leadsChannel: 'G0LEADS' };

describe('the app’s configuration inside the playground', () => {
  it('points Slack at the stand-in and runs as development, whatever the person’s NODE_ENV', () => {
    const config = parseConfig(playgroundEnv(parseConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379' }), side));
    expect(config.env).toBe('development');
    expect(config.slack).toMatchObject({ botToken: 'xoxb-standin', signingSecret: side.signingSecret, apiUrl: side.apiUrl, port: 4200 });
  });

  it('keeps the person’s store, model, flows and limits', () => {
    const mine = parseConfig({
      REDIS_URL: 'rediss://user:secret@redis.internal:6380/2',
      REDIS_PREFIX: 'team1',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3',
      LLM_MAX_CALLS_PER_REVIEW: '7',
      FLOWS_DIR: '/srv/flows',
      LEAD_USER_IDS: 'U0ALICE,U0BOB',
      REMINDER_HOURS: '2',
      LOG_LEVEL: 'debug',
    });
    const config = parseConfig(playgroundEnv(mine, side));
    expect(config.redis).toEqual(mine.redis);
    expect(config.llm).toEqual(mine.llm);
    expect(config.reviews).toEqual({ ...mine.reviews, leadsChannel: 'G0LEADS' });
    expect(config.logLevel).toBe('debug');
  });

  it('keeps sentinels and cluster nodes', () => {
    const sentinels = parseConfig({ REDIS_SENTINELS: 'a:26379,b:26380', REDIS_SENTINEL_NAME: 'primary' });
    expect(parseConfig(playgroundEnv(sentinels, side)).redis).toEqual(sentinels.redis);
    const cluster = parseConfig({ REDIS_CLUSTER_NODES: 'c1:7000,c2:7001' });
    expect(parseConfig(playgroundEnv(cluster, side)).redis).toEqual(cluster.redis);
  });

  it('sends summary cards to the playground’s leads’ channel unless the person chose one', () => {
    expect(parseConfig(playgroundEnv(parseConfig({}), side)).reviews.leadsChannel).toBe('G0LEADS');
    expect(parseConfig(playgroundEnv(parseConfig({ LEADS_CHANNEL: 'C0GENERAL' }), side)).reviews.leadsChannel).toBe('C0GENERAL');
  });

  it('leaves Socket Mode and OAuth out: the stand-in speaks HTTP with one bot token', () => {
    const env = playgroundEnv(parseConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 'secret' }), side);
    const config = parseConfig(env);
    expect(config.slack.appToken).toBeUndefined();
    expect(config.slack.oauth).toBeUndefined();
    expect(Object.keys(env)).not.toContain('SLACK_APP_TOKEN');
  });

  it('keeps a model switched off when the person switched it off', () => {
    const config = parseConfig(playgroundEnv(parseConfig({ OPENAI_API_KEY: 'sk-test', LLM_ENABLED: 'false' }), side));
    expect(config.llm.enabled).toBe(false);
  });
});

describe('what the playground says about itself', () => {
  it('names the model and where it runs, or the offline library, never the key', () => {
    expect(modelDescription(parseConfig({}))).toMatch(/^none \(no OPENAI_API_KEY or OPENAI_BASE_URL\): .*offline library/);
    expect(modelDescription(parseConfig({ OPENAI_API_KEY: 'sk-test', LLM_ENABLED: 'false' }))).toMatch(/^none \(LLM_ENABLED is off\)/);
    expect(modelDescription(parseConfig({ OPENAI_API_KEY: 'sk-secret-key' }))).toBe('gpt-4o-mini at the OpenAI API');
    const local = modelDescription(parseConfig({ OPENAI_BASE_URL: 'http://user:pw@127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3' }));
    expect(local).toBe('llama3 at http://127.0.0.1:11434');
  });

  it('says where Redis is without its credentials', () => {
    expect(redisWhere(parseConfig({ REDIS_URL: 'rediss://user:secret@redis.internal:6380/2' }))).toBe('rediss://redis.internal:6380');
    expect(redisWhere(parseConfig({ REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'p' }))).toBe('sentinels a:26379');
  });

  it('prints the URL, that it is the local playground, the store and the model', () => {
    const lines = bannerLines({ url: 'http://localhost:3000', store: 'in-process memory store', model: 'none', flows: ['quick-check'] }).join('\n');
    expect(lines).toContain('local playground');
    expect(lines).toContain('Open:   http://localhost:3000');
    expect(lines).toContain('Store:  in-process memory store');
    expect(lines).toContain('Model:  none');
    expect(lines).not.toContain('NODE_ENV');
  });

  it('warns when NODE_ENV is production, since a forgotten token lands here', () => {
    const lines = bannerLines({ url: 'http://localhost:3000', store: 's', model: 'm', flows: [], nodeEnv: 'production' }).join('\n');
    expect(lines).toContain('NODE_ENV is production but SLACK_BOT_TOKEN is not set');
  });
});
