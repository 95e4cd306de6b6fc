/**
 * What a person types, as Slack's client sends it: `&`, `<` and `>` become
 * entities, and `@name` / `#channel` picked from autocomplete become
 * mention sequences. The app must cope with exactly this (its `fromSlack`
 * neutralises mentions), so the playground sends the same thing.
 */

export interface Directory {
  users: { id: string; name: string; isBot?: boolean }[];
  channels: { id: string; name: string; isIm?: boolean }[];
}

/** Messages carry bare ids; slash commands declared with should_escape carry `<@U…|name>` and `<#C…|name>`. */
export type TypedTextKind = 'message' | 'command';

export function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A mention starts a word: "@bob," yes, "bob@example.com" no.
const MENTION = /(^|[\s(])([@#])([a-z0-9][a-z0-9._-]*)/gi;

export function encodeTypedText(text: string, directory: Directory, kind: TypedTextKind): string {
  const escaped = escapeEntities(text);
  return escaped.replace(MENTION, (whole, before: string, sigil: string, rawName: string) => {
    // A trailing dot ends a sentence, not a name.
    const name = rawName.replace(/\.+$/, '');
    const rest = rawName.slice(name.length);
    const lower = name.toLowerCase();
    if (sigil === '@') {
      const user = directory.users.find((candidate) => candidate.name.toLowerCase() === lower);
      if (!user) return whole;
      return `${before}${kind === 'command' ? `<@${user.id}|${user.name}>` : `<@${user.id}>`}${rest}`;
    }
    const channel = directory.channels.find((candidate) => !candidate.isIm && candidate.name.toLowerCase() === lower);
    if (!channel) return whole;
    return `${before}<#${channel.id}|${kind === 'command' ? channel.name : ''}>${rest}`;
  });
}
