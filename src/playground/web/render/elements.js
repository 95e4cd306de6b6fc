/**
 * Block Kit's interactive elements as page controls. Each control carries
 * data-* attributes (what it is, its block and action ids, whether choosing
 * it is sent at once) that app.js reads to act through the stand-in;
 * nothing here runs code. Elements the stand-in cannot act on are shown as
 * a visible placeholder rather than a control that would do nothing.
 */
import { permalinkTarget } from './mrkdwn.js';
import { plainWords, textObject } from './text-objects.js';
import { h } from './vnode.js';


function ids(blockId, element, dispatches) {
  return {
    'data-block-id': blockId,
    'data-action-id': element.action_id,
    'data-dispatch': dispatches ? '1' : '0',
    'data-focus-key': `${blockId}/${element.action_id}`,
  };
}

/** Every option of a select, option groups flattened. */
export function optionsOf(element) {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups) ? element.option_groups.flatMap((group) => group.options ?? []) : [];
  return [...direct, ...grouped];
}

/** The values chosen now: what the person picked, else the element's initial choice. */
function chosenValues(element, current) {
  if (current !== undefined) return Array.isArray(current) ? current : current === null ? [] : [current];
  if (element.initial_option) return [element.initial_option.value];
  if (Array.isArray(element.initial_options)) return element.initial_options.map((option) => option.value);
  for (const key of ['initial_user', 'initial_conversation', 'initial_channel', 'initial_date', 'initial_time', 'initial_value']) {
    if (typeof element[key] === 'string') return [element[key]];
  }
  for (const key of ['initial_users', 'initial_conversations', 'initial_channels']) {
    if (Array.isArray(element[key])) return element[key];
  }
  return [];
}

export function unsupportedElement(type) {
  return h('span', { class: 'unsupported unsupported-element' }, `Unsupported element: ${type}`);
}

/** A link button opens its URL as well as telling the app: a permalink into the workspace opens here. */
function linkAttrs(url) {
  if (typeof url !== 'string') return {};
  const target = permalinkTarget(url);
  if (target.kind === 'message') return { 'data-link-channel': target.channelId, 'data-link-ts': target.ts, 'data-link-thread': target.threadTs };
  return /^https?:/i.test(url) ? { 'data-link-url': url } : {};
}

function button(element, blockId, dispatches) {
  const style = element.style === 'primary' || element.style === 'danger' ? ` sl-btn-${element.style}` : '';
  return h(
    'button',
    { type: 'button', class: `sl-btn${style}`, title: plainWords(element.text), 'data-act': 'button', 'data-value': element.value, ...ids(blockId, element, dispatches), ...linkAttrs(element.url) },
    plainWords(element.text),
  );
}

function choiceList(element, blockId, dispatches, current, ctx, kind) {
  const chosen = new Set(chosenValues(element, current));
  const name = `${ctx.keyPrefix ?? 'surface'}:${blockId}:${element.action_id}`;
  return h(
    'div',
    { class: `choices choices-${kind}`, role: 'group' },
    optionsOf(element).map((option) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: kind, name, value: option.value, checked: chosen.has(option.value), 'data-act': kind === 'checkbox' ? 'checkboxes' : 'radio', ...ids(blockId, element, dispatches), 'data-focus-key': `${blockId}/${element.action_id}/${option.value}` }),
        h('span', { class: 'choice-text' }, textObject(option.text, ctx, 'choice-label'), option.description ? textObject(option.description, ctx, 'choice-description') : null),
      ),
    ),
  );
}

function select(element, blockId, dispatches, current, choices, placeholder) {
  const chosen = chosenValues(element, current)[0];
  return h(
    'select',
    { class: 'sl-select', 'data-act': 'select', 'data-kind': element.type, ...ids(blockId, element, dispatches) },
    h('option', { value: '', selected: chosen === undefined }, placeholder),
    choices.map((choice) => h('option', { value: choice.value, selected: choice.value === chosen }, choice.label)),
  );
}

function staticChoices(element) {
  return optionsOf(element).map((option) => ({ value: option.value, label: plainWords(option.text) }));
}

function peopleChoices(ctx) {
  return (ctx.people ?? []).map((person) => ({ value: person.id, label: person.realName ? `${person.realName} (@${person.name})` : `@${person.name}` }));
}

function channelChoices(element, ctx, publicOnly) {
  const include = element.filter?.include;
  return (ctx.channels ?? [])
    .filter((channel) => !channel.isIm)
    .filter((channel) => !publicOnly || !channel.isPrivate)
    .filter((channel) => !Array.isArray(include) || include.includes(channel.isPrivate ? 'private' : 'public'))
    .map((channel) => ({ value: channel.id, label: `${channel.isPrivate ? '🔒' : '#'} ${channel.name}` }));
}

/** Several people or channels: a list of checkboxes, since a native multi-select is awkward with a mouse. */
function multiPicker(element, blockId, dispatches, current, choices) {
  const chosen = new Set(chosenValues(element, current));
  return h(
    'div',
    { class: 'choices choices-multi-picker', role: 'group', 'data-kind': element.type },
    choices.map((choice) =>
      h(
        'label',
        { class: 'choice chip' },
        h('input', { type: 'checkbox', value: choice.value, checked: chosen.has(choice.value), 'data-act': 'multi', ...ids(blockId, element, dispatches), 'data-focus-key': `${blockId}/${element.action_id}/${choice.value}` }),
        h('span', null, choice.label),
      ),
    ),
  );
}

function textInput(element, blockId, current) {
  const value = chosenValues(element, current)[0] ?? '';
  const common = {
    class: 'sl-input',
    'data-act': 'text',
    placeholder: element.placeholder ? plainWords(element.placeholder) : undefined,
    maxlength: element.max_length,
    ...ids(blockId, element, false),
  };
  if (element.multiline) return h('textarea', { ...common, rows: 4 }, value);
  return h('input', { ...common, type: 'text', value });
}

/**
 * An element inside a block. `dispatches` says whether choosing it is sent to
 * the app at once (actions blocks, section accessories) or kept until the
 * modal is submitted (input blocks).
 */
export function element(element, blockId, ctx, dispatches) {
  if (!element || typeof element !== 'object') return null;
  const current = ctx.current ? ctx.current(blockId, element.action_id) : undefined;
  const placeholder = element.placeholder ? plainWords(element.placeholder) : 'Select an option';
  switch (element.type) {
    case 'button':
      return button(element, blockId, dispatches);
    case 'checkboxes':
      return choiceList(element, blockId, dispatches, current, ctx, 'checkbox');
    case 'radio_buttons':
      return choiceList(element, blockId, dispatches, current, ctx, 'radio');
    case 'static_select':
      return select(element, blockId, dispatches, current, staticChoices(element), placeholder);
    case 'image':
      return h('img', { class: 'element-image', src: element.image_url, alt: element.alt_text ?? '', title: element.alt_text ?? '' });
    case 'plain_text_input':
      return dispatches ? unsupportedElement('plain_text_input outside an input block') : textInput(element, blockId, current);
    case 'datepicker':
    case 'timepicker': {
      if (dispatches) return unsupportedElement(element.type);
      const value = chosenValues(element, current)[0] ?? '';
      return h('input', { class: 'sl-input', type: element.type === 'datepicker' ? 'date' : 'time', value, 'data-act': 'text', ...ids(blockId, element, false) });
    }
    // The stand-in acts on these only inside a modal's input block, where the choice waits for submission.
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      if (dispatches) return unsupportedElement(element.type);
      const choices = element.type === 'users_select' ? peopleChoices(ctx) : channelChoices(element, ctx, element.type === 'channels_select');
      return select(element, blockId, false, current, choices, placeholder);
    }
    case 'multi_users_select':
    case 'multi_conversations_select':
    case 'multi_channels_select':
    case 'multi_static_select': {
      if (dispatches) return unsupportedElement(element.type);
      const choices =
        element.type === 'multi_users_select'
          ? peopleChoices(ctx)
          : element.type === 'multi_static_select'
            ? staticChoices(element)
            : channelChoices(element, ctx, element.type === 'multi_channels_select');
      return multiPicker(element, blockId, false, current, choices);
    }
    default:
      return unsupportedElement(String(element.type));
  }
}

