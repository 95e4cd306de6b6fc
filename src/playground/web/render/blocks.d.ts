/** Types of blocks.js and what the block and element renderers read from their context. */
import type { MrkdwnContext } from './mrkdwn.js';
import type { VElement } from './vnode.js';

export interface BlockContext extends MrkdwnContext {
  /** The person's current choice for an element: a value, several, or undefined for "as the app sent it". */
  current?: (blockId: string, actionId: string) => string | string[] | null | undefined;
  /** Field errors of a modal, by block id. */
  errors?: Record<string, string>;
  people?: { id: string; name: string; realName?: string }[];
  channels?: { id: string; name: string; isPrivate?: boolean; isIm?: boolean }[];
  /** Keeps radio groups of different surfaces apart. */
  keyPrefix?: string;
}

export function unsupportedBlock(type: string): VElement;
export function block(item: unknown, ctx?: BlockContext): VElement;
export function blocks(list: unknown, ctx?: BlockContext): VElement;
