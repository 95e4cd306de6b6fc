import { describe, expect, it } from 'vitest';
import { REQUEST_FAILED, commandFailureNotice } from '../../src/slack/command-failure.js';

describe('commandFailureNotice', () => {
  it('answers a failed slash command privately through its response_url', () => {
    expect(commandFailureNotice({ command: '/alignment-review', text: 'Resume screener', response_url: 'https://hooks.slack.com/commands/T0001/1/abc' })).toEqual({
      responseUrl: 'https://hooks.slack.com/commands/T0001/1/abc',
      message: { response_type: 'ephemeral', text: REQUEST_FAILED },
    });
  });

  it('leaves everything else to its own path: events, clicks and views, and a command without a usable response_url', () => {
    expect(commandFailureNotice({ type: 'event_callback', event: { type: 'message' } })).toBeUndefined();
    expect(commandFailureNotice({ type: 'block_actions', response_url: 'https://hooks.slack.com/actions/T0001/1/abc' })).toBeUndefined();
    expect(commandFailureNotice({ command: '/alignment-review' })).toBeUndefined();
    expect(commandFailureNotice({ command: '/alignment-review', response_url: 'file:///etc/passwd' })).toBeUndefined();
    expect(commandFailureNotice(undefined)).toBeUndefined();
  });
});
