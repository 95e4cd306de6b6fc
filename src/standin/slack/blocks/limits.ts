/**
 * Block Kit limits Slack enforces when the app posts a message or opens a
 * view. Real Slack refuses such payloads; the stand-in refuses them the same
 * way so the app's rendering is tested against the limits before it meets
 * Slack. Answers carry Slack-style response_metadata.messages
 * ("[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]").
 */

export const BLOCK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  totalBlockText: 12_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  checkboxOptions: 10,
  selectOptions: 100,
  inputLabel: 2000,
  hint: 2000,
  placeholder: 150,
  blockId: 255,
  actionId: 255,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
} as const;

export const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'call',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

export type Surface = 'message' | 'modal' | 'home';

export interface BlockCheck {
  /** Slack's error code when refused: invalid_blocks, invalid_blocks_format, msg_blocks_too_long. */
  error?: string;
  messages: string[];
  /** Block types not known to the stand-in (passed through, reported). */
  unknownTypes: string[];
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textLength(textObject: unknown): number {
  return isObject(textObject) && typeof textObject.text === 'string' ? textObject.text.length : 0;
}

/** Collects complaints while walking the blocks. */
class Complaints {
  readonly messages: string[] = [];
  tooLong(pointer: string, length: number, max: number): void {
    if (length > max) this.messages.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  }
  tooMany(pointer: string, count: number, max: number): void {
    if (count > max) this.messages.push(`[ERROR] must provide no more than ${max} items [json-pointer:${pointer}]`);
  }
  say(pointer: string, message: string): void {
    this.messages.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }
}

function checkOptions(options: unknown, pointer: string, max: number, complaints: Complaints): void {
  if (!Array.isArray(options)) return;
  complaints.tooMany(pointer, options.length, max);
  options.forEach((option, i) => {
    if (!isObject(option)) return complaints.say(`${pointer}/${i}`, 'must be an object');
    complaints.tooLong(`${pointer}/${i}/text/text`, textLength(option.text), BLOCK_LIMITS.optionText);
    if (typeof option.value === 'string') complaints.tooLong(`${pointer}/${i}/value`, option.value.length, BLOCK_LIMITS.optionValue);
  });
}

function checkElement(element: unknown, pointer: string, complaints: Complaints): void {
  if (!isObject(element) || typeof element.type !== 'string') return complaints.say(pointer, 'must be an element object with a type');
  if (typeof element.action_id === 'string') complaints.tooLong(`${pointer}/action_id`, element.action_id.length, BLOCK_LIMITS.actionId);
  complaints.tooLong(`${pointer}/placeholder/text`, textLength(element.placeholder), BLOCK_LIMITS.placeholder);
  if (element.type === 'button') {
    complaints.tooLong(`${pointer}/text/text`, textLength(element.text), BLOCK_LIMITS.buttonText);
    if (typeof element.value === 'string') complaints.tooLong(`${pointer}/value`, element.value.length, BLOCK_LIMITS.buttonValue);
  }
  if (element.type === 'checkboxes' || element.type === 'radio_buttons') {
    checkOptions(element.options, `${pointer}/options`, BLOCK_LIMITS.checkboxOptions, complaints);
  }
  if (element.type === 'static_select' || element.type === 'multi_static_select' || element.type === 'overflow') {
    checkOptions(element.options, `${pointer}/options`, BLOCK_LIMITS.selectOptions, complaints);
  }
}

function checkBlock(block: Obj, pointer: string, complaints: Complaints): void {
  switch (block.type) {
    case 'section': {
      complaints.tooLong(`${pointer}/text/text`, textLength(block.text), BLOCK_LIMITS.sectionText);
      if (Array.isArray(block.fields)) {
        complaints.tooMany(`${pointer}/fields`, block.fields.length, BLOCK_LIMITS.sectionFields);
        block.fields.forEach((field, i) => complaints.tooLong(`${pointer}/fields/${i}/text`, textLength(field), BLOCK_LIMITS.fieldText));
      }
      if (block.text === undefined && block.fields === undefined) complaints.say(pointer, 'must provide text or fields');
      if (block.accessory !== undefined) checkElement(block.accessory, `${pointer}/accessory`, complaints);
      return;
    }
    case 'header':
      if (!isObject(block.text) || block.text.type !== 'plain_text') complaints.say(`${pointer}/text`, 'must be a plain_text object');
      complaints.tooLong(`${pointer}/text/text`, textLength(block.text), BLOCK_LIMITS.headerText);
      return;
    case 'context':
      if (!Array.isArray(block.elements)) return complaints.say(`${pointer}/elements`, 'must be an array');
      complaints.tooMany(`${pointer}/elements`, block.elements.length, BLOCK_LIMITS.contextElements);
      block.elements.forEach((element, i) => complaints.tooLong(`${pointer}/elements/${i}/text`, textLength(element), BLOCK_LIMITS.contextText));
      return;
    case 'actions': {
      if (!Array.isArray(block.elements)) return complaints.say(`${pointer}/elements`, 'must be an array');
      complaints.tooMany(`${pointer}/elements`, block.elements.length, BLOCK_LIMITS.actionsElements);
      const actionIds = new Set<string>();
      block.elements.forEach((element, i) => {
        checkElement(element, `${pointer}/elements/${i}`, complaints);
        const actionId = isObject(element) ? element.action_id : undefined;
        if (typeof actionId === 'string') {
          if (actionIds.has(actionId)) complaints.say(`${pointer}/elements/${i}/action_id`, `duplicate action_id "${actionId}"`);
          actionIds.add(actionId);
        }
      });
      return;
    }
    case 'input':
      complaints.tooLong(`${pointer}/label/text`, textLength(block.label), BLOCK_LIMITS.inputLabel);
      complaints.tooLong(`${pointer}/hint/text`, textLength(block.hint), BLOCK_LIMITS.hint);
      checkElement(block.element, `${pointer}/element`, complaints);
      return;
    default:
      return;
  }
}

/** Every `text` string anywhere in the blocks, summed (Slack's 12 000-character cap). */
export function totalText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + totalText(item), 0);
  if (!isObject(value)) return 0;
  let sum = 0;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'text' && typeof inner === 'string') sum += inner.length;
    else sum += totalText(inner);
  }
  return sum;
}

export function checkBlocks(blocks: unknown, surface: Surface): BlockCheck {
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', messages: ['[ERROR] blocks must be an array'], unknownTypes: [] };
  const complaints = new Complaints();
  const unknownTypes: string[] = [];
  const max = surface === 'message' ? BLOCK_LIMITS.messageBlocks : BLOCK_LIMITS.viewBlocks;
  complaints.tooMany('/blocks', blocks.length, max);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const pointer = `/blocks/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') return complaints.say(pointer, 'must be a block object with a type');
    if (!KNOWN_BLOCK_TYPES.has(block.type)) unknownTypes.push(block.type);
    if (typeof block.block_id === 'string') {
      complaints.tooLong(`${pointer}/block_id`, block.block_id.length, BLOCK_LIMITS.blockId);
      if (blockIds.has(block.block_id)) complaints.say(`${pointer}/block_id`, `duplicate block_id "${block.block_id}"`);
      blockIds.add(block.block_id);
    }
    checkBlock(block, pointer, complaints);
  });
  if (complaints.messages.length > 0) return { error: 'invalid_blocks', messages: complaints.messages, unknownTypes };
  if (surface === 'message' && totalText(blocks) > BLOCK_LIMITS.totalBlockText) {
    return {
      error: 'msg_blocks_too_long',
      messages: [`[ERROR] the blocks' text must be no more than ${BLOCK_LIMITS.totalBlockText} characters in total [json-pointer:/blocks]`],
      unknownTypes,
    };
  }
  return { messages: [], unknownTypes };
}

/** chat.postMessage's `text` argument: Slack refuses over 40 000 characters. */
export function checkMessageText(text: unknown): string | undefined {
  return typeof text === 'string' && text.length > BLOCK_LIMITS.messageText ? 'msg_too_long' : undefined;
}

/** A modal or home view: Slack answers invalid_arguments with messages for any problem. */
export function checkView(view: unknown, expected: 'modal' | 'home'): BlockCheck {
  if (!isObject(view)) return { error: 'invalid_arguments', messages: ['[ERROR] view must be an object'], unknownTypes: [] };
  const complaints = new Complaints();
  if (view.type !== expected) complaints.say('/type', `must be "${expected}"`);
  if (expected === 'modal') {
    if (!isObject(view.title)) complaints.say('/title', 'must provide a title');
    complaints.tooLong('/title/text', textLength(view.title), BLOCK_LIMITS.viewTitle);
    complaints.tooLong('/submit/text', textLength(view.submit), BLOCK_LIMITS.viewButton);
    complaints.tooLong('/close/text', textLength(view.close), BLOCK_LIMITS.viewButton);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) complaints.say('/submit', 'must provide submit when the view has input blocks');
  }
  if (typeof view.private_metadata === 'string') complaints.tooLong('/private_metadata', view.private_metadata.length, BLOCK_LIMITS.privateMetadata);
  if (typeof view.callback_id === 'string') complaints.tooLong('/callback_id', view.callback_id.length, BLOCK_LIMITS.callbackId);
  const blocks = checkBlocks(view.blocks, expected);
  const messages = [...complaints.messages, ...blocks.messages];
  return messages.length > 0 ? { error: 'invalid_arguments', messages, unknownTypes: blocks.unknownTypes } : { messages: [], unknownTypes: blocks.unknownTypes };
}
