/** Types of text-objects.js. */
import type { MrkdwnContext } from './mrkdwn.js';
import type { VElement } from './vnode.js';

export function plainWords(object: unknown): string;
export function textObject(object: unknown, ctx: MrkdwnContext, className?: string): VElement | null;
