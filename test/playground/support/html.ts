/**
 * A readable form of the page's element descriptions for assertions:
 * elements as tags (only the attributes asked for), text escaped, so
 * "<script>" in text reads "&lt;script&gt;" and a real script element would
 * read "<script>".
 */
import type { VNode } from '../../../src/playground/web/render/vnode.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function html(node: VNode | VNode[], keep: string[] = ['class', 'href']): string {
  if (Array.isArray(node)) return node.map((child) => html(child, keep)).join('');
  if (typeof node === 'string') return escape(node);
  const attrs = Object.entries(node.attrs)
    .filter(([name, value]) => keep.includes(name) && value !== undefined && value !== null && value !== false)
    .map(([name, value]) => ` ${name}="${escape(String(value))}"`)
    .join('');
  return `<${node.tag}${attrs}>${html(node.children, keep)}</${node.tag}>`;
}
