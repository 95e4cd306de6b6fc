/**
 * A tiny description of the page: { tag, attrs, children }, with strings as
 * text. The renderers build these and never HTML strings; dom.js turns them
 * into elements with createElement and text nodes, so nothing a message says
 * can ever become markup. Tags and attributes outside the lists below are
 * dropped, and links may only point to web pages, mail or the page itself.
 */

export const ALLOWED_TAGS = new Set([
  'a', 'aside', 'b', 'blockquote', 'br', 'button', 'code', 'div', 'em', 'footer', 'h1', 'h2', 'h3', 'header', 'hr',
  'i', 'img', 'input', 'label', 'li', 'main', 'nav', 'ol', 'optgroup', 'option', 'p', 'pre', 's', 'section', 'select',
  'small', 'span', 'strong', 'textarea', 'ul',
]);

const ATTRIBUTE_NAME = /^(class|id|title|alt|type|name|value|placeholder|checked|selected|disabled|multiple|rows|maxlength|min|max|for|role|tabindex|href|src|target|rel|data-[a-z0-9-]+|aria-[a-z]+)$/;
const BOOLEAN = new Set(['checked', 'selected', 'disabled', 'multiple']);
const SAFE_URL = /^(https?:|mailto:|#|\/api\/files\/)/i;

/**
 * The attribute value to set, or null to leave it out: unknown names, event
 * handlers and style are never set, and URLs must be safe.
 */
export function safeAttribute(name, value) {
  if (value === undefined || value === null || value === false) return null;
  if (!ATTRIBUTE_NAME.test(name)) return null;
  if (BOOLEAN.has(name)) return value ? '' : null;
  const text = String(value);
  if (name === 'href' && !SAFE_URL.test(text.trim())) return null;
  if (name === 'src' && !/^https?:/i.test(text.trim())) return null;
  return text;
}

function flatten(children, into) {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === true) continue;
    if (Array.isArray(child)) flatten(child, into);
    else if (typeof child === 'number') into.push(String(child));
    else into.push(child);
  }
  return into;
}

/** h('div', { class: 'msg' }, 'text', h('b', null, 'bold'), [more, children]) */
export function h(tag, attrs, ...children) {
  return { tag, attrs: attrs ?? {}, children: flatten(children, []) };
}

/** All the text a node shows, in order. */
export function textOf(node) {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(textOf).join('');
  return node.children.map(textOf).join('');
}

/** Every element in the tree for which `test` is true, depth first. */
export function findAll(node, test) {
  const found = [];
  const walk = (current) => {
    if (typeof current === 'string') return;
    if (Array.isArray(current)) return current.forEach(walk);
    if (test(current)) found.push(current);
    current.children.forEach(walk);
  };
  walk(node);
  return found;
}
