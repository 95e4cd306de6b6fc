/** Types of vnode.js, the page's element descriptions (used by the tests and the other renderers). */
export interface VElement {
  tag: string;
  attrs: Record<string, unknown>;
  children: VNode[];
}
export type VNode = VElement | string;
export type VChild = VNode | VChild[] | null | undefined | false | true | number;

export const ALLOWED_TAGS: Set<string>;
export function safeAttribute(name: string, value: unknown): string | null;
export function h(tag: string, attrs: Record<string, unknown> | null, ...children: VChild[]): VElement;
export function textOf(node: VNode | VNode[]): string;
export function findAll(node: VNode | VNode[], test: (element: VElement) => boolean): VElement[];
