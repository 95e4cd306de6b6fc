/**
 * Slack's mrkdwn as page elements: *bold*, _italic_, ~strike~, `code`,
 * ```preformatted```, > quotes, <url|links>, <@U…> and <#C…> mentions,
 * <!here> and friends, :emoji: and the three entities Slack escapes
 * (&amp; &lt; &gt;). Everything else is text: a `<script>` that is not a
 * Slack control sequence is shown as the characters it is.
 */
import { emojiFor } from './emoji.js';
import { h } from './vnode.js';

/** Slack escapes exactly these three; decode them in one pass so "&amp;lt;" stays "&lt;". */
export function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>' })[name]);
}

/**
 * Where a link into this workspace leads: a message permalink (archives/<channel>/p<ts>)
 * or an uploaded file. Anything else is an ordinary web link.
 */
export function permalinkTarget(url) {
  const message = /\/archives\/([CGD][A-Z0-9]+)\/p(\d{10})(\d{6})(?:\?(.*))?$/.exec(url);
  if (message) {
    const params = new URLSearchParams(message[4] ?? '');
    const ts = `${message[2]}.${message[3]}`;
    return { kind: 'message', channelId: message[1], ts, threadTs: params.get('thread_ts') ?? undefined };
  }
  const file = /\/files\/(F[A-Z0-9]+)(?:\?.*)?$/.exec(url);
  if (file) return { kind: 'file', fileId: file[1] };
  return { kind: 'web' };
}

/** A link; `shown` is what it reads as (nodes). Links into this workspace stay on the page. */
export function link(url, shown, ctx) {
  const target = permalinkTarget(url);
  if (target.kind === 'message') {
    return h('a', { href: '#', class: 'sl-link', 'data-nav-channel': target.channelId, 'data-nav-ts': target.ts, 'data-nav-thread': target.threadTs }, shown);
  }
  if (target.kind === 'file') return h('a', { href: `/api/files/${target.fileId}`, class: 'sl-link' }, shown);
  return h('a', { href: url, class: 'sl-link', target: '_blank', rel: 'noopener noreferrer' }, shown);
}

/** @name as people read it: the workspace's name for the id, else the label Slack sent, else the id. */
export function userMention(id, label, ctx) {
  const name = ctx.userName?.(id) || label?.replace(/^@/, '') || id;
  return h('span', { class: id === ctx.me ? 'mention mention-me' : 'mention', 'data-user-id': id }, `@${name}`);
}

export function channelMention(id, label, ctx) {
  const name = ctx.channelName?.(id) || label || id;
  return h('span', { class: 'mention mention-channel', 'data-channel-id': id }, `#${name}`);
}

const BROADCASTS = new Set(['here', 'channel', 'everyone']);

/** One control sequence `<…>` (without the brackets), or null when it is not one. */
function controlSequence(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
  if (target.startsWith('@')) return userMention(target.slice(1), label && decodeEntities(label), ctx);
  if (target.startsWith('#')) return channelMention(target.slice(1), label && decodeEntities(label), ctx);
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (BROADCASTS.has(special)) return h('span', { class: 'mention mention-broadcast' }, `@${special}`);
    if (special.startsWith('subteam^')) return h('span', { class: 'mention' }, decodeEntities(label ?? `@${special.slice(8)}`));
    if (special.startsWith('date^')) return decodeEntities(label ?? 'a date');
    return decodeEntities(label ?? special);
  }
  if (/^(https?|mailto):/i.test(target)) return link(decodeEntities(target), label ? inline(label, ctx) : [decodeEntities(target)], ctx);
  // Any other scheme (javascript:, data:, slack:…) is shown as words, never followed.
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return decodeEntities(label ? `${label} (${target})` : target);
  return null;
}

const STYLES = { '*': 'b', _: 'i', '~': 's' };
const WORD = /[\p{L}\p{N}]/u;

/** Where the closing marker of a bold, italic or strike run opened at `start` is, or -1. */
function closingMarker(text, start, marker) {
  for (let index = start + 2; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') return -1;
    if (char !== marker) continue;
    const before = text[index - 1];
    const after = text[index + 1];
    if (!/\s/.test(before) && before !== marker && (after === undefined || (after !== marker && !WORD.test(after)))) return index;
  }
  return -1;
}

/** Inline mrkdwn (one line or a few) as a list of nodes. */
export function inline(text, ctx = {}) {
  const nodes = [];
  let plain = '';
  const flush = () => {
    if (plain) nodes.push(decodeEntities(plain));
    plain = '';
  };
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '`') {
      const end = text.indexOf('`', index + 1);
      if (end > index + 1 && !text.slice(index + 1, end).includes('\n')) {
        flush();
        nodes.push(h('code', null, decodeEntities(text.slice(index + 1, end))));
        index = end + 1;
        continue;
      }
    }
    if (char === '<') {
      const end = text.indexOf('>', index + 1);
      const inner = end > index ? text.slice(index + 1, end) : '';
      const node = inner && !inner.includes('<') && !inner.includes('\n') ? controlSequence(inner, ctx) : null;
      if (node !== null) {
        flush();
        nodes.push(node);
        index = end + 1;
        continue;
      }
    }
    if (char === ':') {
      const match = /^:([a-z0-9_+'-]+(?:::skin-tone-\d)?):/i.exec(text.slice(index));
      const glyph = match ? emojiFor(match[1]) : undefined;
      if (match && glyph) {
        flush();
        nodes.push(h('span', { class: 'emoji', title: `:${match[1]}:` }, glyph));
        index += match[0].length;
        continue;
      }
    }
    if (STYLES[char]) {
      const before = text[index - 1];
      const after = text[index + 1];
      const opens = (before === undefined || (before !== char && !WORD.test(before))) && after !== undefined && !/\s/.test(after) && after !== char;
      const end = opens ? closingMarker(text, index, char) : -1;
      if (end > 0) {
        flush();
        nodes.push(h(STYLES[char], null, inline(text.slice(index + 1, end), ctx)));
        index = end + 1;
        continue;
      }
    }
    plain += char;
    index += 1;
  }
  flush();
  return nodes;
}

function isQuoteLine(line) {
  return line.startsWith('>') || line.startsWith('&gt;');
}

function withoutQuoteMarker(line) {
  return line.replace(/^(>|&gt;) ?/, '');
}

/** Lines of inline mrkdwn, separated by line breaks. */
function lines(list, ctx) {
  return list.flatMap((line, index) => (index === 0 ? inline(line, ctx) : [h('br', null), ...inline(line, ctx)]));
}

/** Plain lines and runs of quoted lines. */
function paragraphs(text, ctx) {
  const nodes = [];
  let run = [];
  let quoting = false;
  const flush = () => {
    if (run.length === 0) return;
    nodes.push(quoting ? h('blockquote', null, lines(run, ctx)) : h('span', { class: 'mrkdwn-lines' }, lines(run, ctx)));
    run = [];
  };
  for (const line of text.split('\n')) {
    const quote = isQuoteLine(line);
    if (quote !== quoting) flush();
    quoting = quote;
    run.push(quote ? withoutQuoteMarker(line) : line);
  }
  flush();
  return nodes;
}

/** A whole mrkdwn text: ```preformatted``` runs, quotes and lines. */
export function mrkdwn(text, ctx = {}) {
  const parts = String(text ?? '').split('```');
  // An unmatched fence is text, as in Slack.
  if (parts.length % 2 === 0) parts.splice(parts.length - 2, 2, `${parts[parts.length - 2]}\`\`\`${parts[parts.length - 1]}`);
  return parts.flatMap((part, index) => {
    if (index % 2 === 1) return [h('pre', null, decodeEntities(part.replace(/^\n/, '')))];
    const trimmed = index > 0 ? part.replace(/^\n/, '') : part;
    return trimmed ? paragraphs(trimmed, ctx) : [];
  });
}
