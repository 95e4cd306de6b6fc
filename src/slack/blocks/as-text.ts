/**
 * A message's blocks as one mrkdwn text, for when Slack refuses the blocks
 * for good (invalid_blocks, msg_blocks_too_long): the person still reads
 * the question and its options and can answer by typing. Section and
 * context texts are already safe mrkdwn; button and option labels are
 * plain_text, so they are escaped here.
 */
import { LIMITS, plain, truncate } from './text.js';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === 'string' ? value.text : undefined;
}

/** A plain_text label as mrkdwn. */
function label(value: unknown): string | undefined {
  const text = textOf(value);
  if (text === undefined) return undefined;
  return isObject(value) && value.type === 'mrkdwn' ? text : plain(text);
}

function elementLines(element: unknown): string[] {
  if (!isObject(element)) return [];
  if (element.type === 'button') {
    const text = label(element.text);
    // Submit buttons and the like say nothing a typed answer needs.
    return text && /^\d+\./.test(text) ? [`• ${text}`] : [];
  }
  if (Array.isArray(element.options)) return element.options.map((option) => label(isObject(option) ? option.text : undefined)).filter((text): text is string => Boolean(text)).map((text) => `• ${text}`);
  return [];
}

function blockLines(block: unknown): string[] {
  if (!isObject(block)) return [];
  switch (block.type) {
    case 'header': {
      const text = label(block.text);
      return text ? [`*${text}*`] : [];
    }
    case 'section': {
      const lines: string[] = [];
      const text = textOf(block.text);
      if (text) lines.push(text);
      if (Array.isArray(block.fields)) lines.push(...block.fields.map(textOf).filter((field): field is string => Boolean(field)));
      return lines;
    }
    case 'context':
      return Array.isArray(block.elements) ? block.elements.map(label).filter((text): text is string => Boolean(text)) : [];
    case 'actions':
      return Array.isArray(block.elements) ? block.elements.flatMap(elementLines) : [];
    default:
      return [];
  }
}

export function blocksAsText(blocks: unknown[] | undefined, fallback: string): string {
  const lines = (blocks ?? []).flatMap(blockLines);
  return truncate(lines.length > 0 ? lines.join('\n') : fallback, LIMITS.fallbackText);
}
