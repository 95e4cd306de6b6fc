import { describe, expect, it } from 'vitest';
import { encodeTypedText } from '../../src/playground/typed-text.js';

const directory = {
  users: [
    { id: 'U0BOB', name: 'bob' },
    { id: 'U0CAROL', name: 'carol' },
  ],
  channels: [
    { id: 'G0LEADS', name: 'leads' },
    { id: 'D0BOB', name: 'bob', isIm: true },
  ],
};

describe('what a person types, as Slack’s client sends it', () => {
  it('escapes &, < and > as entities', () => {
    expect(encodeTypedText('<script>alert("x")</script> & co', directory, 'message')).toBe('&lt;script&gt;alert("x")&lt;/script&gt; &amp; co');
  });

  it('turns @name and #channel of the workspace into mentions, leaving unknown ones and e-mail addresses alone', () => {
    expect(encodeTypedText('ask @Bob, @nobody and #leads. mail bob@example.com', directory, 'message')).toBe(
      'ask <@U0BOB>, @nobody and <#G0LEADS|>. mail bob@example.com',
    );
    expect(encodeTypedText('see #bob', directory, 'message')).toBe('see #bob');
  });

  it('writes mentions in slash commands with their names, as commands declared with should_escape get them', () => {
    expect(encodeTypedText('config leads #leads', directory, 'command')).toBe('config leads <#G0LEADS|leads>');
    expect(encodeTypedText('--flow quick-check Review for @carol.', directory, 'command')).toBe('--flow quick-check Review for <@U0CAROL|carol>.');
  });
});
