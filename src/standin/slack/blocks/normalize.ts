/**
 * Slack fills in a block_id for every block and an action_id for every
 * interactive element the app left without one, and hands those back in
 * messages, views and payloads. The stand-in does the same so the app sees
 * the ids it will later receive in block_actions and state.values. Slack
 * also marks plain_text objects with `emoji: true` when the app did not say.
 */
import { randomToken } from '../world/clock.js';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withActionId(element: unknown): unknown {
  if (!isObject(element) || typeof element.type !== 'string') return element;
  if (typeof element.action_id === 'string') return element;
  // Only interactive elements get an action_id; images and text objects do not.
  if (['image', 'plain_text', 'mrkdwn'].includes(element.type)) return element;
  return { ...element, action_id: randomToken(5) };
}

function withEmojiFlags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withEmojiFlags);
  if (!isObject(value)) return value;
  const copy: Obj = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = withEmojiFlags(inner);
  if (copy.type === 'plain_text' && typeof copy.text === 'string' && copy.emoji === undefined) copy.emoji = true;
  return copy;
}

/** A copy of the blocks with ids filled in; checked blocks only (see limits.ts). */
export function normalizeBlocks(blocks: unknown[]): unknown[] {
  return blocks.map((block) => {
    if (!isObject(block)) return block;
    const copy = withEmojiFlags(block) as Obj;
    if (typeof copy.block_id !== 'string') copy.block_id = randomToken(5);
    if (Array.isArray(copy.elements) && copy.type === 'actions') copy.elements = copy.elements.map(withActionId);
    if (copy.accessory !== undefined) copy.accessory = withActionId(copy.accessory);
    if (copy.element !== undefined) copy.element = withActionId(copy.element);
    return copy;
  });
}
