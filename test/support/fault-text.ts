/**
 * Hostile text for fuzzing: every Unicode plane, control characters,
 * right-to-left overrides, lone surrogates, mrkdwn, Slack's mention and link
 * syntax (raw and entity-escaped, as Slack delivers it), JSON and HTML, huge
 * and empty strings and every kind of whitespace, mixed at random.
 */
import fc from 'fast-check';

/**
 * Mentions in the text name U0CAROL, a person the stand-in knows who never
 * acts in the fuzz tests: a `<@U0CAROL>` in anything the app posts is her
 * text getting through, never the app's own attribution of who acted.
 */
export const MENTIONED_NEVER_ACTS = 'U0CAROL';

const FRAGMENTS = [
  '<!channel>',
  '<!here>',
  '<!here|here>',
  '<!everyone>',
  '<!subteam^S0TEAM|@ops>',
  '<!subteam^S0TEAM>',
  '<!date^1392734382^{date_pretty}|Feb 18>',
  '<@U0CAROL>',
  '<@U0CAROL|carol>',
  '<@U0EVIL>',
  '<@W0ENTERPRISE>',
  '<#C0REVIEW|ai-reviews>',
  '<#C0OTHER>',
  '<https://evil.example|https://good.example>',
  '<https://evil.example>',
  '<http://x.example/a?b=c&amp;d=e|label>',
  '<mailto:someone@example.com|someone>',
  '<javascript:alert(1)|click me>',
  '<tel:123|call>',
  '&lt;!channel&gt;',
  '&lt;@U0CAROL&gt;',
  '&lt;https://evil.example|x&gt;',
  '&amp;',
  '&amp;lt;',
  '&lt;',
  '&gt;',
  '&',
  '<',
  '>',
  '<<>>',
  '<|>',
  '@channel',
  '@here',
  '@everyone',
  '@Channel!',
  '*bold*',
  '_italic_',
  '~strike~',
  '`code`',
  '```block```',
  '> quoted',
  ':skull:',
  ':white_check_mark:',
  '\u202E',
  '\u202D',
  '\u200F',
  '\u200B',
  '\u2066',
  '\u2069',
  '\uFEFF',
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\uD800',
  '\uDFFF',
  '\uD83D\uDE00',
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
  '\u{10FFFF}',
  '\u{E0001}',
  '\u3000',
  '\u00A0',
  '\u2028',
  '\u2029',
  '\t',
  '\r\n',
  '\n\n\n',
  '{"type":"section","text":{"type":"mrkdwn","text":"<!channel>"}}',
  '{"blocks":[]}',
  ']}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</div>',
  '%s%s%n',
  '${process.exit()}',
  '../../etc/passwd',
  'skip',
  'back',
  'status',
  'pause',
  'resume',
  'cancel',
  'finish',
  'help',
  '1',
  '2, 3',
  '99',
  '0',
  '-1',
  'yes',
  'not sure',
  '--flow',
  '--flow=',
  'export',
  'delete R0000000',
  'config leads <#C0LEADS|leads>',
  'list',
];

/** Any code point of any plane, including lone surrogates. */
const anyUnicode = fc.string({ unit: 'binary', maxLength: 40 });
const anyChars = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 });

/** A piece of hostile text: a known nasty fragment, random Unicode, or plain words. */
const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: anyUnicode },
  { weight: 1, arbitrary: anyChars },
  { weight: 2, arbitrary: fc.lorem({ maxCount: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(' ', '  ', '\n', '\t') },
);

/** Hostile text of ordinary size (up to a few hundred characters). */
export const hostileText = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

/** Sometimes huge: up to ~60,000 characters, far past every Slack limit. */
export const hostileTextAnySize = fc.oneof(
  { weight: 8, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\n\t \u3000\u00A0', '\u200B\u200B') },
  { weight: 1, arbitrary: fc.tuple(hostileText, fc.integer({ min: 50, max: 2000 })).map(([text, times]) => (text || '<!channel>').repeat(times).slice(0, 60_000)) },
);
