/**
 * Finding an interactive element on a surface and turning a person's choice
 * into the values Slack reports: the `actions[]` entry of block_actions and
 * the `state.values` entry of messages and views.
 */
import type { StateValue } from '../world/types.js';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface FoundElement {
  blockId: string;
  blockType: string;
  element: Obj;
  /** The block dispatches actions (actions/section blocks, or input blocks with dispatch_action). */
  dispatches: boolean;
}

/** Every interactive element of the blocks, with the block it sits in. */
export function interactiveElements(blocks: unknown[] | undefined): FoundElement[] {
  const found: FoundElement[] = [];
  for (const block of blocks ?? []) {
    if (!isObject(block) || typeof block.block_id !== 'string' || typeof block.type !== 'string') continue;
    const add = (element: unknown, dispatches: boolean) => {
      if (isObject(element) && typeof element.action_id === 'string') {
        found.push({ blockId: block.block_id as string, blockType: block.type as string, element, dispatches });
      }
    };
    if (block.type === 'actions' && Array.isArray(block.elements)) block.elements.forEach((element) => add(element, true));
    if (block.type === 'section') add(block.accessory, true);
    if (block.type === 'input') add(block.element, block.dispatch_action === true);
  }
  return found;
}

/**
 * The element with this action_id (and type, and value for buttons sharing an
 * action_id); throws a readable error when the surface has none, because the
 * test or the person asked for something that is not on screen.
 */
export function findElement(
  blocks: unknown[] | undefined,
  actionId: string,
  types: string[],
  value?: string,
): FoundElement {
  const candidates = interactiveElements(blocks).filter(
    (found) => found.element.action_id === actionId && types.includes(String(found.element.type)),
  );
  const match = value === undefined ? candidates[0] : (candidates.find((found) => found.element.value === value) ?? undefined);
  if (!match) {
    const onScreen = interactiveElements(blocks)
      .map((found) => `${String(found.element.type)}:${String(found.element.action_id)}${found.element.value !== undefined ? `=${String(found.element.value)}` : ''}`)
      .join(', ');
    throw new Error(
      `No ${types.join('/')} with action_id "${actionId}"${value !== undefined ? ` and value "${value}"` : ''} on this surface. It has: ${onScreen || 'no interactive elements'}`,
    );
  }
  return match;
}

/** All options of a select or checkbox group, option groups flattened. */
export function elementOptions(element: Obj): Obj[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((group) => (isObject(group) && Array.isArray(group.options) ? group.options : []))
    : [];
  return [...direct, ...grouped].filter(isObject);
}

/** The option objects Slack reports for chosen values (text, value, description). */
export function chosenOptions(element: Obj, values: string[]): Obj[] {
  const options = elementOptions(element);
  return values.map((value) => {
    const option = options.find((candidate) => candidate.value === value);
    if (!option) {
      const offered = options.map((candidate) => String(candidate.value)).join(', ');
      throw new Error(`"${value}" is not an option of ${String(element.action_id)} (offered: ${offered})`);
    }
    const chosen: Obj = { text: option.text, value: option.value };
    if (option.description !== undefined) chosen.description = option.description;
    return chosen;
  });
}

const SINGLE_SELECTS = new Set(['static_select', 'radio_buttons', 'external_select']);
const MULTI_SELECTS = new Set(['checkboxes', 'multi_static_select', 'multi_external_select']);

/**
 * The state.values entry for an element: the given value, or the element's
 * empty value (what Slack reports for an untouched input) when none is given.
 */
export function stateValueFor(element: Obj, value: string | string[] | undefined): StateValue {
  const type = String(element.type);
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (SINGLE_SELECTS.has(type)) return { type, selected_option: list.length > 0 ? chosenOptions(element, list.slice(0, 1))[0] : null };
  if (MULTI_SELECTS.has(type)) return { type, selected_options: chosenOptions(element, list) };
  if (type === 'users_select') return { type, selected_user: list[0] ?? null };
  if (type === 'multi_users_select') return { type, selected_users: list };
  if (type === 'conversations_select') return { type, selected_conversation: list[0] ?? null };
  if (type === 'channels_select') return { type, selected_channel: list[0] ?? null };
  if (type === 'datepicker') return { type, selected_date: list[0] ?? null };
  if (type === 'timepicker') return { type, selected_time: list[0] ?? null };
  // An empty text box is reported as null, never as "".
  const text = list.join('\n');
  return { type, value: text === '' ? null : text };
}

/** An element's value as the person first sees it (initial_value / initial_options). */
export function initialStateValue(element: Obj): StateValue {
  const type = String(element.type);
  if (SINGLE_SELECTS.has(type) && isObject(element.initial_option)) return { type, selected_option: element.initial_option };
  if (MULTI_SELECTS.has(type) && Array.isArray(element.initial_options)) return { type, selected_options: element.initial_options };
  if (typeof element.initial_value === 'string') return { type, value: element.initial_value };
  return stateValueFor(element, undefined);
}
