import { describe, expect, it } from 'vitest';
import { fromSlack, plain, plainTextFromSlack, truncate } from '../../src/slack/blocks/text.js';
import { simpleMessage } from '../../src/slack/blocks/message.js';

const ZWSP = '\u200B';

describe('fromSlack: people’s text as Slack delivers it', () => {
  it('turns broadcast mentions into words that ping nobody', () => {
    const out = fromSlack('hey <!channel> and <!here> and <!everyone>');
    expect(out).not.toMatch(/<!/);
    expect(out).toBe(`hey @${ZWSP}channel and @${ZWSP}here and @${ZWSP}everyone`);
  });

  it('turns user and group mentions into names without a control sequence', () => {
    expect(fromSlack('ask <@U123|alice> or <!subteam^S9|@ops-team>')).toBe(`ask @${ZWSP}alice or @${ZWSP}ops-team`);
    expect(fromSlack('ask <@U123>')).toBe(`ask @${ZWSP}U123`);
  });

  it('shows where a labelled link really goes, so it cannot be forged', () => {
    expect(fromSlack('see <https://evil.example/x|https://good.example>')).toBe('see https://good.example (https://evil.example/x)');
    expect(fromSlack('<https://a.example>')).toBe('https://a.example');
    expect(fromSlack('<#C123|general>')).toBe('#general');
  });

  it('shows a channel Slack sent without its name (`<#C…|>`, as clients send it) by its id, never as a bare "#"', () => {
    expect(fromSlack('see <#C0GENERAL|> for it')).toBe('see #C0GENERAL for it');
    expect(fromSlack('<#C0GENERAL>')).toBe('#C0GENERAL');
    expect(fromSlack('<#C0GENERAL|general>')).toBe('#general');
    expect(plainTextFromSlack('in <#C0GENERAL|>', 100)).toBe('in #C0GENERAL');
  });

  it('shows a person or group Slack sent with an empty label by the id, never as a bare "@"', () => {
    expect(fromSlack('ask <@U0CAROL|>')).toBe(`ask @${ZWSP}U0CAROL`);
    expect(fromSlack('ask <!subteam^S123|>')).toBe(`ask @${ZWSP}S123`);
    expect(fromSlack('ask <!subteam^S123|@>')).toBe(`ask @${ZWSP}S123`);
  });

  it('never lets a user group mention through, in any form Slack sends it', () => {
    for (const [text, shown] of [
      ['<!subteam^S123|@team>', 'team'],
      ['<!subteam^S123|team>', 'team'],
      ['<!subteam^S123>', 'S123'],
      ['<!subteam^S123|>', 'S123'],
      ['<!subteam^S123|@here>', 'here'],
    ]) {
      for (const out of [fromSlack(text!), plainTextFromSlack(text!, 100)]) {
        expect(out).toBe(`@${ZWSP}${shown}`);
        expect(out).not.toMatch(/<|subteam/);
      }
    }
  });

  it('keeps Slack’s entities and escapes stray angle brackets', () => {
    expect(fromSlack('a &lt;b&gt; &amp; c')).toBe('a &lt;b&gt; &amp; c');
    expect(fromSlack('x < y > z')).toBe('x &lt; y &gt; z');
  });

  it('quietens bare broadcast words too', () => {
    expect(fromSlack('@channel look')).toBe(`@${ZWSP}channel look`);
  });
});

describe('plain: our own and the model’s text', () => {
  it('escapes markup characters and neutralises control-looking text', () => {
    expect(plain('<!channel> & <http://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;http://x|y&gt;');
  });
});

describe('plainTextFromSlack', () => {
  it('decodes entities for plain_text fields and neutralises mentions', () => {
    expect(plainTextFromSlack('R&amp;D &lt;bot&gt; <!here>', 150)).toBe(`R&D <bot> @${ZWSP}here`);
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text with an ellipsis within the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('a'.repeat(50), 10);
    expect(cut).toHaveLength(10);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('never splits an entity or a surrogate pair', () => {
    expect(truncate('abcdef&amp;ghij', 9)).toBe('abcdef…');
    const emoji = truncate('ab😀😀😀', 4);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});

describe('truncate on malformed text', () => {
  it('never ends in a high surrogate, even after a run of lone ones', () => {
    const cut = truncate('\ud800'.repeat(50), 3);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(cut.length).toBeLessThanOrEqual(3);
  });
});

describe('a one-section message', () => {
  it('cuts its fallback text without splitting a surrogate pair', () => {
    const mrkdwn = `${'a'.repeat(298)}𐀀𐀀 and more`;
    const { text } = simpleMessage(mrkdwn);
    expect(text.isWellFormed()).toBe(true);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text.endsWith('…')).toBe(true);
  });
});
