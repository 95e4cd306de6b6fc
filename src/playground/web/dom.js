/**
 * Turns the renderers' element descriptions into DOM: createElement, text
 * nodes and allowed attributes only (see render/vnode.js), so message text
 * never becomes markup. Also keeps focus and the caret across a redraw.
 */
import { ALLOWED_TAGS, safeAttribute } from './render/vnode.js';

export function toDom(node) {
  if (typeof node === 'string') return document.createTextNode(node);
  if (!ALLOWED_TAGS.has(node.tag)) return document.createTextNode(`[${node.tag}]`);
  const element = document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) {
    const safe = safeAttribute(name, value);
    if (safe !== null) element.setAttribute(name, safe);
  }
  // A textarea's text is its value; an option's selected state must be set as a property too.
  for (const child of node.children) element.appendChild(toDom(child));
  if (node.tag === 'select') {
    const chosen = node.children.find((child) => typeof child !== 'string' && child.attrs.selected);
    if (chosen) element.value = String(chosen.attrs.value ?? '');
  }
  return element;
}

/** Which control had focus (by data-focus-key) and where the caret was. */
export function rememberFocus(container) {
  const active = document.activeElement;
  if (!active || !container.contains(active)) return null;
  const key = active.getAttribute('data-focus-key');
  if (!key) return null;
  const selection = 'selectionStart' in active ? { start: active.selectionStart, end: active.selectionEnd } : null;
  return { key, selection };
}

export function restoreFocus(container, remembered) {
  if (!remembered) return;
  const target = [...container.querySelectorAll('[data-focus-key]')].find((element) => element.getAttribute('data-focus-key') === remembered.key);
  if (!target) return;
  target.focus();
  if (remembered.selection && typeof target.setSelectionRange === 'function' && remembered.selection.start !== null) {
    try {
      target.setSelectionRange(remembered.selection.start, remembered.selection.end);
    } catch {
      // Not every input type has a caret (checkboxes, dates).
    }
  }
}
