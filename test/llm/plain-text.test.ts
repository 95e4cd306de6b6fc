import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/llm/plain-text.js';

describe('toPlainText', () => {
  it('turns mentions into words', () => {
    expect(toPlainText('Hey <!channel> and <!here|here>, ask <@U012AB3CD> or <@U9|bob>')).toBe('Hey channel and here, ask someone or bob');
    expect(toPlainText('Tell <!subteam^S012345|@security-team> now')).toBe('Tell security-team now');
    expect(toPlainText('See <#C012AB3CD|general>')).toBe('See general');
  });

  it('keeps a link label but drops the markup', () => {
    expect(toPlainText('Read <https://evil.example/x|the policy> first')).toBe('Read the policy first');
    expect(toPlainText('Go to <http://evil.example>')).toBe('Go to http://evil.example');
    expect(toPlainText('Write <mailto:a@b.example|us>')).toBe('Write us');
  });

  it('defuses nested and unterminated look-alikes', () => {
    const out = toPlainText('<<!channel>!channel> and <!everyone and <http://x');
    expect(out).not.toMatch(/<[!@#]|<http/i);
  });

  it('drops plain @channel pings and collapses whitespace', () => {
    expect(toPlainText('  Ping @channel\n\n and\t@here  ')).toBe('Ping channel and here');
  });

  it('leaves ordinary text alone', () => {
    expect(toPlainText('Latency < 200 ms and cost > $5 & rising')).toBe('Latency < 200 ms and cost > $5 & rising');
  });

  it('never lets a Slack control sequence through, for any input', () => {
    const pieces = fc.constantFrom('<', '>', '!', '@', '#', '|', 'channel', 'here', 'http://x', 'U123', ' ', '\n', '\u200b', 'a', '^', 'subteam');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const out = toPlainText(parts.join(''));
        expect(out).not.toMatch(/<\s*[!@#]|<\s*https?:|@(channel|here|everyone)\b|\s{2}|\n/i);
      }),
      { numRuns: 2000 },
    );
  });
});
