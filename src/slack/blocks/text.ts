/**
 * Text that goes into Block Kit. Two sources, two treatments:
 *
 * - People's text reaches us as Slack delivers it: `&`, `<` and `>` are
 *   already entities, and mentions and links are control sequences
 *   (`<!channel>`, `<@U123>`, `<!subteam^S1|@team>`, `<http://x|label>`).
 *   `fromSlack` turns every control sequence into plain words so the bot can
 *   never ping anyone or show a link whose label hides its target, while the
 *   text still reads as the person wrote it.
 * - Our own text and the model's are plain: `plain` escapes the three
 *   characters Slack treats as markup, then neutralises the same way.
 */
import { CONTROL_SEQUENCE, controlSequenceAsWords } from '../../engine/slack-markup.js';

export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  contextText: 2000,
  optionText: 75,
  /** Slack answers msg_blocks_too_long past about 12,000 characters of block text; stay under. */
  messageText: 11_000,
  /** The top-level `text` fallback. */
  fallbackText: 3000,
  checkboxOptions: 10,
  buttonsPerActions: 25,
} as const;

const ZERO_WIDTH_SPACE = '\u200B';

/** Half of a surrogate pair with no other half: Slack's client library cannot even encode it (URIError). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with every lone surrogate replaced by U+FFFD, as a browser shows it. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** `@` and a name (a broadcast, a person, a user group) as text, with a zero-width space so no client treats it as a mention. */
function quietBroadcast(word: string): string {
  return `@${ZERO_WIDTH_SPACE}${word}`;
}

/**
 * One control sequence `<…>` as plain words (see controlSequenceAsWords).
 * Nothing here can notify anyone: user and group mentions and broadcasts
 * become "@" and the name with a zero-width space between them. A channel
 * is shown as `#name`, or `#` and its id: a live channel link (`<#C…>`)
 * would notify no one either, but it is still a control sequence taken
 * from people's text, and the guarantee that none of those reaches Slack
 * (test/hardening/fuzz-*.test.ts) holds without exceptions.
 */
function neutraliseSequence(inner: string): string {
  return controlSequenceAsWords(inner, { mention: quietBroadcast });
}

/**
 * Text as Slack delivered it → safe mrkdwn. Control sequences become plain
 * words; stray `<`/`>` (never sent by Slack, but possible in crafted payloads)
 * are escaped; bare broadcast words are quietened too.
 */
export function fromSlack(text: string): string {
  const withoutSequences = wellFormed(text).replace(CONTROL_SEQUENCE, (_, inner: string) => escapeMarkup(neutraliseSequence(inner)));
  return quietBareMentions(withoutSequences.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** Our own or the model's plain text → safe mrkdwn. */
export function plain(text: string): string {
  return quietBareMentions(escapeMarkup(wellFormed(text)));
}

function escapeMarkup(text: string): string {
  return text.replace(/&(?!(amp|lt|gt);)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Also when a letter follows: cutting the text short could otherwise turn "@everyoneelse" into "@everyone…". */
function quietBareMentions(text: string): string {
  return text.replace(/@(channel|here|everyone)/gi, (_, word: string) => quietBroadcast(word));
}

/** Cuts text to `max` characters, ending with "…" when cut. Never splits an entity like `&amp;`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';') && amp > cut.length - 6) cut = cut.slice(0, amp);
  // Do not leave half of a surrogate pair (in malformed text there may be several in a row).
  while (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Mrkdwn for a person's answer: neutralised, then cut to fit. */
export function quoteAnswer(text: string, max: number): string {
  return truncate(fromSlack(text), max);
}

/** People's text for a plain_text field (headers, button labels): no markup there, so entities are decoded. */
export function plainTextFromSlack(text: string, max: number): string {
  const words = wellFormed(text).replace(CONTROL_SEQUENCE, (_, inner: string) => neutraliseSequence(inner));
  return truncate(words.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'), max);
}
