/**
 * Slack's markup in people's text (a mention, a broadcast, a user group, a
 * channel, a date, a link: `<…>` control sequences) read as plain words.
 * One reading for every place that shows people's text back: Slack messages
 * (src/slack/blocks/text.ts, where a mention must never notify anyone) and
 * the Markdown export (markdown.ts, read outside Slack). They differ only in
 * how they write a mention and a person.
 */

/** A control sequence as Slack sends it; group 1 is what lies between `<` and `>`. */
export const CONTROL_SEQUENCE = /<([!@#][^<>]*|[a-z][a-z0-9+.-]*:[^<>]*)>/gi;

export interface SequenceWords {
  /** A broadcast, a user group or a person, after the "@" ("here", "ops", "Alice Moreau" or "U0CAROL"). */
  mention(handle: string): string;
  /** A person's name when the caller knows it; else the label Slack sent, or the id. */
  personName?(id: string): string | undefined;
}

/**
 * One control sequence (`inner`, without its `<` `>`) as words: a channel
 * as "#general", or "#C0GENERAL" when Slack sent no name (its clients send
 * `<#C0GENERAL|>`: an empty label is none); a link as "label (url)", or the
 * URL alone; a date as its fallback text.
 */
export function controlSequenceAsWords(inner: string, words: SequenceWords): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 || inner.slice(bar + 1).trim() === '' ? undefined : inner.slice(bar + 1);
  // The label without its sigil ("@team", "#general"), unless nothing is left.
  const nameOr = (sigil: string, id: string) => {
    const name = label?.startsWith(sigil) ? label.slice(1) : label;
    return name && name.trim() !== '' ? name : id;
  };
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special === 'channel' || special === 'here' || special === 'everyone') return words.mention(special);
    if (special.startsWith('subteam^')) return words.mention(nameOr('@', special.slice(8)));
    if (special.startsWith('date^')) return label ?? 'a date';
    return label ?? special;
  }
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return words.mention(words.personName?.(id) ?? nameOr('@', id));
  }
  if (target.startsWith('#')) return `#${nameOr('#', target.slice(1))}`;
  // A link: show where it really goes; a differing label comes first.
  const url = target.replace(/^mailto:/i, '');
  return label && label !== target && label !== url ? `${label} (${url})` : url;
}

/** `text` with each control sequence replaced by its words. */
export function controlSequencesAsWords(text: string, words: SequenceWords): string {
  return text.replace(CONTROL_SEQUENCE, (_, inner: string) => controlSequenceAsWords(inner, words));
}
