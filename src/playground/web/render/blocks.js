/**
 * Block Kit blocks as page elements, for messages, ephemerals, modals and
 * the Home tab. A block type this page does not know is shown as a visible
 * "Unsupported block: <type>" placeholder, never dropped.
 */
import { element, unsupportedElement } from './elements.js';
import { channelMention, inline, link, userMention } from './mrkdwn.js';
import { plainWords, textObject } from './text-objects.js';
import { h } from './vnode.js';

function blockAttrs(block, type) {
  return { class: `block block-${type}`, 'data-block-type': type, 'data-block-id': block.block_id };
}

function section(block, ctx) {
  const fields = Array.isArray(block.fields) ? block.fields : [];
  return h(
    'div',
    blockAttrs(block, 'section'),
    h(
      'div',
      { class: 'section-main' },
      textObject(block.text, ctx, 'section-text'),
      fields.length > 0 ? h('div', { class: 'section-fields' }, fields.map((field) => textObject(field, ctx, 'section-field'))) : null,
    ),
    block.accessory ? h('div', { class: 'section-accessory' }, element(block.accessory, block.block_id, ctx, true)) : null,
  );
}

function context(block, ctx) {
  const items = Array.isArray(block.elements) ? block.elements : [];
  return h(
    'div',
    blockAttrs(block, 'context'),
    items.map((item) => {
      if (item.type === 'image') return h('img', { class: 'context-image', src: item.image_url, alt: item.alt_text ?? '', title: item.alt_text ?? '' });
      if (item.type === 'mrkdwn' || item.type === 'plain_text') return textObject(item, ctx, 'context-text');
      return unsupportedElement(String(item.type));
    }),
  );
}

function actions(block, ctx) {
  const items = Array.isArray(block.elements) ? block.elements : [];
  return h('div', blockAttrs(block, 'actions'), items.map((item) => h('div', { class: 'action-item' }, element(item, block.block_id, ctx, true))));
}

function image(block) {
  return h(
    'div',
    blockAttrs(block, 'image'),
    block.title ? h('div', { class: 'image-title' }, plainWords(block.title)) : null,
    h('img', { class: 'block-image-img', src: block.image_url, alt: block.alt_text ?? '', title: block.alt_text ?? '' }),
  );
}

function input(block, ctx) {
  const error = ctx.errors?.[block.block_id];
  return h(
    'div',
    { ...blockAttrs(block, 'input'), class: `block block-input${error ? ' has-error' : ''}`, 'data-required': block.optional ? undefined : '1' },
    h('label', { class: 'input-label' }, plainWords(block.label), block.optional ? h('span', { class: 'input-optional' }, ' (optional)') : null),
    element(block.element, block.block_id, ctx, block.dispatch_action === true),
    block.hint ? h('div', { class: 'input-hint' }, plainWords(block.hint)) : null,
    error ? h('div', { class: 'input-error', role: 'alert' }, String(error)) : null,
  );
}

/** rich_text: what Slack's clients attach to a typed message, and what apps may send. */
function richTextElement(item, ctx) {
  switch (item.type) {
    case 'text': {
      const style = item.style ?? {};
      let node = item.text ?? '';
      if (style.code) node = h('code', null, node);
      if (style.bold) node = h('b', null, node);
      if (style.italic) node = h('i', null, node);
      if (style.strike) node = h('s', null, node);
      return node;
    }
    case 'link':
      return link(String(item.url ?? ''), [String(item.text ?? item.url ?? '')], ctx);
    case 'user':
      return userMention(String(item.user_id), undefined, ctx);
    case 'channel':
      return channelMention(String(item.channel_id), undefined, ctx);
    case 'broadcast':
      return h('span', { class: 'mention mention-broadcast' }, `@${item.range}`);
    case 'emoji':
      return item.unicode ? String.fromCodePoint(...String(item.unicode).split('-').map((hex) => parseInt(hex, 16))) : inline(`:${item.name}:`, ctx);
    default:
      return unsupportedElement(String(item.type));
  }
}

function richTextPart(part, ctx) {
  const items = Array.isArray(part.elements) ? part.elements : [];
  switch (part.type) {
    case 'rich_text_section':
      return h('div', { class: 'rich-section' }, items.map((item) => richTextElement(item, ctx)));
    case 'rich_text_quote':
      return h('blockquote', null, items.map((item) => richTextElement(item, ctx)));
    case 'rich_text_preformatted':
      return h('pre', null, items.map((item) => richTextElement(item, ctx)));
    case 'rich_text_list':
      return h(part.style === 'ordered' ? 'ol' : 'ul', null, items.map((item) => h('li', null, richTextPart(item, ctx))));
    default:
      return unsupportedElement(String(part.type));
  }
}

function richText(block, ctx) {
  const parts = Array.isArray(block.elements) ? block.elements : [];
  return h('div', blockAttrs(block, 'rich_text'), parts.map((part) => richTextPart(part, ctx)));
}

const RENDERERS = {
  header: (block) => h('div', blockAttrs(block, 'header'), plainWords(block.text)),
  section,
  context,
  divider: (block) => h('hr', blockAttrs(block, 'divider')),
  actions,
  image,
  input,
  rich_text: richText,
};

export function unsupportedBlock(type) {
  return h('div', { class: 'block unsupported unsupported-block', 'data-block-type': type }, `Unsupported block: ${type}`);
}

/** One block; anything unknown or malformed becomes a visible placeholder. */
export function block(item, ctx = {}) {
  if (!item || typeof item !== 'object' || typeof item.type !== 'string') return unsupportedBlock(typeof item);
  const render = Object.prototype.hasOwnProperty.call(RENDERERS, item.type) ? RENDERERS[item.type] : undefined;
  return render ? render(item, ctx) : unsupportedBlock(item.type);
}

export function blocks(list, ctx = {}) {
  return h('div', { class: 'blocks' }, (Array.isArray(list) ? list : []).map((item) => block(item, ctx)));
}
