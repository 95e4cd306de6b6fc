import { describe, expect, it } from 'vitest';
import { commandResponseUrl } from '../../src/slack/command-failure.js';

describe('commandResponseUrl', () => {
  it('finds where to answer a failed slash command privately: its response_url', () => {
    expect(commandResponseUrl({ command: '/alignment-review', text: 'Resume screener', response_url: 'https://hooks.slack.com/commands/T0001/1/abc' })).toBe('https://hooks.slack.com/commands/T0001/1/abc');
  });

  it('leaves everything else to its own path: events, clicks and views, and a command without a usable response_url', () => {
    expect(commandResponseUrl({ type: 'event_callback', event: { type: 'message' } })).toBeUndefined();
    expect(commandResponseUrl({ type: 'block_actions', response_url: 'https://hooks.slack.com/actions/T0001/1/abc' })).toBeUndefined();
    expect(commandResponseUrl({ command: '/alignment-review' })).toBeUndefined();
    expect(commandResponseUrl({ command: '/alignment-review', response_url: 'file:///etc/passwd' })).toBeUndefined();
    expect(commandResponseUrl(undefined)).toBeUndefined();
  });
});
