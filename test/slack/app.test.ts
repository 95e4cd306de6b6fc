import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createSlackApp, webClientOptions } from '../../src/slack/app.js';
import type { ListenerContext } from '../../src/slack/listeners/context.js';

const logger = createLogger('silent');
const context = {} as ListenerContext;

describe('the Bolt app in Slack’s two modes', () => {
  it('uses Socket Mode when an app token is set', () => {
    const slack = createSlackApp({ botToken: 'xoxb-1', appToken: 'xapp-1-A1-1-abc', port: 0, logger, botUserId: 'U0BOT', botId: 'B0BOT' }, () => context);
    expect(slack.mode).toBe('socket');
    expect(slack.receiver).toBeInstanceOf(SocketModeReceiver);
  });

  it('uses HTTP mode with the signing secret otherwise, and refuses to start without one', () => {
    const slack = createSlackApp({ botToken: 'xoxb-1', signingSecret: 'secret-123456', port: 0, logger, botUserId: 'U0BOT', botId: 'B0BOT' }, () => context);
    expect(slack.mode).toBe('http');
    expect(slack.receiver).toBeInstanceOf(HTTPReceiver);
    expect(() => createSlackApp({ botToken: 'xoxb-1', port: 0, logger }, () => context)).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('gives the Web API client a timeout and a retry policy measured in seconds', () => {
    const options = webClientOptions('http://127.0.0.1:1/api/');
    expect(options.slackApiUrl).toBe('http://127.0.0.1:1/api/');
    expect(options.timeout).toBeLessThanOrEqual(15_000);
    expect(options.retryConfig?.maxRetryTime).toBeLessThanOrEqual(60_000);
    expect(options.rejectRateLimitedCalls).toBe(false);
  });
});
