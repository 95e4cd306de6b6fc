/** Types of mrkdwn.js. */
import type { VNode } from './vnode.js';

export interface MrkdwnContext {
  /** The display name for a user id, when known. */
  userName?: (id: string) => string | undefined;
  channelName?: (id: string) => string | undefined;
  /** The person looking, so their own mentions stand out. */
  me?: string;
}

export type LinkTarget =
  | { kind: 'message'; channelId: string; ts: string; threadTs?: string }
  | { kind: 'file'; fileId: string }
  | { kind: 'web' };

export function decodeEntities(text: string): string;
export function permalinkTarget(url: string): LinkTarget;
export function link(url: string, shown: VNode[], ctx: MrkdwnContext): VNode;
export function userMention(id: string, label: string | undefined, ctx: MrkdwnContext): VNode;
export function channelMention(id: string, label: string | undefined, ctx: MrkdwnContext): VNode;
export function inline(text: string, ctx?: MrkdwnContext): VNode[];
export function mrkdwn(text: string | undefined | null, ctx?: MrkdwnContext): VNode[];
