/**
 * Model output becomes plain text before anyone sees it: Slack's control
 * syntax (<!channel>, <@U…>, <#C…|name>, <http…|label>, <!subteam^…>) is
 * turned into harmless words, so a reply cannot ping a channel or disguise a
 * link, and whitespace is collapsed onto one line. The Slack layer escapes
 * again when it renders; this is the first of two fences.
 */

const SPECIAL_MENTIONS = new Set(['channel', 'here', 'everyone']);

/** What a well-formed <…> token reads as once neutralised. */
function tokenText(inner: string): string {
  const [target = '', label] = splitLabel(inner);
  if (target.startsWith('!')) {
    const name = target.slice(1).split('^')[0] ?? '';
    if (SPECIAL_MENTIONS.has(name)) return name;
    if (name === 'subteam') return stripAt(label ?? 'a group');
    if (name === 'date') return label ?? 'a date';
    return label ?? '';
  }
  if (target.startsWith('@')) return stripAt(label ?? 'someone');
  if (target.startsWith('#')) return label ?? 'a channel';
  // A link: keep only its label (or the address as plain text), never the markup.
  return label ?? target;
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  if (bar < 0) return [inner, undefined];
  return [inner.slice(0, bar), inner.slice(bar + 1)];
}

function stripAt(text: string): string {
  return text.replace(/^@+/, '');
}

/**
 * Neutralises Slack control syntax and collapses whitespace. Repeats until
 * stable, so nested look-alikes ("<<!channel>!channel>") cannot reassemble.
 */
export function toPlainText(text: string): string {
  let current = text.normalize('NFKC');
  for (let pass = 0; pass < 5; pass++) {
    const next = current
      // Control and zero-width characters can hide or split markup.
      // eslint-disable-next-line no-control-regex -- removing them is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\u2060\ufeff]/g, '')
      .replace(/<([!@#][^<>]*|[a-z][a-z0-9+.-]*:[^<>]*)>/gi, (_, inner: string) => tokenText(inner))
      // Anything left that could open a token when rendered loses its "<".
      .replace(/<(?=\s*[!@#]|\s*[a-z][a-z0-9+.-]*:)/gi, '')
      // Plain "@channel" pings too when a message is posted with link_names.
      .replace(/@(channel|here|everyone)\b/gi, '$1');
    if (next === current) break;
    current = next;
  }
  return current.replace(/\s+/g, ' ').trim();
}
