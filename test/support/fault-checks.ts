/**
 * What every outgoing message must respect, checked the same way for the
 * pure builders and for what reached the stand-in: within Block Kit's limits
 * (the stand-in's own checker), and no mention or link that the app did not
 * put there on purpose. The app's own references are allowed only for the
 * ids and links the caller names (the actor, the review's channels, the
 * thread's permalink); anything else inside `<…>` means people's text got
 * through unescaped.
 */
import { checkBlocks, checkMessageText } from '../../src/standin/slack/blocks/limits.js';

export interface Allowed {
  /** User ids the app may mention (the actor, the starter): each must be one the stand-in knows. */
  users: ReadonlySet<string>;
  /** Channel ids the app may link. */
  channels: ReadonlySet<string>;
  /** Exact `<url|label>` links the app makes itself. */
  links: ReadonlySet<string>;
  /** Links whose URL starts with one of these (the stand-in's permalinks) and whose label is the app's own. */
  linkPrefixes?: readonly { url: string; label: string }[];
  /** Accept a reference to any well-formed channel id (e.g. one a person chose for the leads' card). */
  anyChannel?: boolean;
}

function isAllowedLink(sequence: string, allowed: Allowed): boolean {
  if (allowed.links.has(sequence)) return true;
  const inner = sequence.slice(1, -1);
  const bar = inner.lastIndexOf('|');
  if (bar < 0) return false;
  const url = inner.slice(0, bar);
  const label = inner.slice(bar + 1);
  return (allowed.linkPrefixes ?? []).some((prefix) => url.startsWith(prefix.url) && label === prefix.label && !/[<>|\s]/.test(url));
}

/**
 * Every mrkdwn string of the blocks (text objects and context elements).
 * plain_text is shown literally by Slack (no mentions, no links), so it is
 * only checked against the limits.
 */
export function renderedTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(renderedTexts);
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  if (object.type === 'plain_text') return [];
  return Object.entries(object).flatMap(([key, inner]) => (key === 'text' && typeof inner === 'string' ? [inner] : renderedTexts(inner)));
}

/** Control sequences the app did not make itself, and bare broadcast words. */
export function mentionProblems(text: string, allowed: Allowed): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(/<([^<>]*)>/g)) {
    const inner = match[1] ?? '';
    const ok =
      (inner.startsWith('@') && allowed.users.has(inner.slice(1))) ||
      (inner.startsWith('#') && (allowed.channels.has(inner.slice(1)) || (allowed.anyChannel === true && /^#[CG][A-Z0-9]{1,40}$/.test(inner)))) ||
      isAllowedLink(match[0], allowed);
    if (!ok) problems.push(`unexpected control sequence ${JSON.stringify(match[0].slice(0, 80))}`);
  }
  // The app quietens bare broadcast words too (a zero-width space after the @).
  const bare = text.match(/@(channel|here|everyone)\b/i);
  if (bare) problems.push(`bare broadcast word ${JSON.stringify(bare[0])}`);
  return problems;
}

export interface OutgoingMessage {
  text?: unknown;
  blocks?: unknown;
}

/** Every string anywhere in a value. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(allStrings);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Problems of one chat.postMessage / chat.update / postEphemeral / response_url message. */
export function messageProblems(message: OutgoingMessage, allowed: Allowed): string[] {
  const problems: string[] = [];
  // Slack's client form-encodes every argument: a lone surrogate throws before the request is made.
  if (allStrings(message).some((text) => LONE_SURROGATE.test(text))) problems.push('a lone surrogate (the Web API client cannot encode it)');
  if (message.blocks !== undefined) {
    const blocks = typeof message.blocks === 'string' ? (JSON.parse(message.blocks) as unknown) : message.blocks;
    const check = checkBlocks(blocks, 'message');
    if (check.error) problems.push(`${check.error}: ${check.messages.slice(0, 3).join('; ')}`);
    for (const text of renderedTexts(blocks)) problems.push(...mentionProblems(text, allowed));
  }
  const tooLong = checkMessageText(message.text);
  if (tooLong) problems.push(tooLong);
  if (typeof message.text === 'string') problems.push(...mentionProblems(message.text, allowed));
  return problems;
}

/** Log lines that hold any of these texts (people's answers), as JSON would write them. */
export function logLinesWith(logs: Record<string, unknown>[], texts: string[]): Record<string, unknown>[] {
  const needles = texts.filter((text) => text.trim().length >= 8).map((text) => JSON.stringify(text).slice(1, -1));
  return logs.filter((line) => {
    const json = JSON.stringify(line);
    return needles.some((needle) => json.includes(needle));
  });
}
