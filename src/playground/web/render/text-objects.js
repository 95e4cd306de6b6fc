/** Block Kit text objects: plain_text (literal, emoji on request) and mrkdwn. */
import { withEmoji } from './emoji.js';
import { mrkdwn } from './mrkdwn.js';
import { h } from './vnode.js';

/** A plain_text object's words: shown literally, never parsed as markup. */
export function plainWords(object) {
  if (!object || typeof object !== 'object') return '';
  const text = String(object.text ?? '');
  return object.emoji === false ? text : withEmoji(text);
}

/** A text object of either type, as nodes in a wrapper. */
export function textObject(object, ctx, className = 'text') {
  if (!object || typeof object !== 'object') return null;
  if (object.type === 'mrkdwn') return h('div', { class: `${className} mrkdwn` }, mrkdwn(String(object.text ?? ''), ctx));
  return h('div', { class: `${className} plain` }, plainWords(object));
}
