/**
 * A person clicking a button, ticking checkboxes or picking an option on a
 * message, an ephemeral or a view: Slack remembers the choice in the
 * surface's state.values and POSTs block_actions (fixture 04) form-encoded
 * as payload=<json>. Inside a modal's input block (without dispatch_action)
 * Slack only remembers the choice and sends nothing until submission.
 */
import { chosenOptions, findElement, stateValueFor, type FoundElement } from '../blocks/elements.js';
import { blockActionsPayload, interactiveBody } from '../payloads/interactive.js';
import type { Json } from '../payloads/message-json.js';
import { observe, requireUser, type ActResult, type ActorContext } from './context.js';
import { findSurface, fullState, setTouched, surfaceBlocks, surfaceParts, type Surface, type SurfaceTarget } from './surface.js';

async function deliverBlockAction(context: ActorContext, userId: string, surface: Surface, action: Json): Promise<ActResult> {
  const { runtime } = context;
  const user = requireUser(runtime, userId);
  const parts = surfaceParts(runtime, surface);
  const state = fullState(surface, userId);
  if (parts.view) parts.view = { ...parts.view, state: { values: state } };
  const responseUrl =
    surface.kind === 'view'
      ? undefined
      : runtime.issueResponseUrl({
          userId,
          channelId: surface.channel.id,
          source: surface.kind,
          messageTs: surface.kind === 'message' ? surface.message.ts : surface.ephemeral.ts,
          ...(surface.kind === 'message' && surface.message.threadTs ? { threadTs: surface.message.threadTs } : {}),
          ...(surface.kind === 'ephemeral' && surface.ephemeral.threadTs ? { threadTs: surface.ephemeral.threadTs } : {}),
        });
  const payload = blockActionsPayload({
    world: runtime.world,
    user,
    container: parts.container,
    triggerId: runtime.issueTrigger(userId),
    action,
    state,
    ...(parts.channel ? { channel: parts.channel } : {}),
    ...(parts.message ? { message: parts.message } : {}),
    ...(parts.view ? { view: parts.view } : {}),
    ...(responseUrl ? { responseUrl } : {}),
  });
  const finish = observe(runtime);
  const delivery = await runtime.deliverer.deliver({
    kind: 'interactive',
    description: 'block_actions',
    body: interactiveBody(payload),
    contentType: 'application/x-www-form-urlencoded',
  });
  return finish(delivery);
}

/** Slack sends nothing for choices inside a modal's input block; the choice waits for submission. */
function staysInState(surface: Surface, found: FoundElement): boolean {
  return surface.kind === 'view' && found.blockType === 'input' && !found.dispatches;
}

function silentResult(context: ActorContext): ActResult {
  context.runtime.changed('state');
  return observe(context.runtime)(undefined);
}

export interface ClickButtonInput extends SurfaceTarget {
  actionId: string;
  /** Pick among buttons sharing an action_id by their value. */
  value?: string;
}

export async function clickButton(context: ActorContext, input: ClickButtonInput): Promise<ActResult> {
  const surface = findSurface(context.runtime, input);
  const found = findElement(surfaceBlocks(surface), input.actionId, ['button'], input.value);
  const element = found.element;
  const action: Json = {
    action_id: element.action_id,
    block_id: found.blockId,
    text: element.text,
    ...(element.value !== undefined ? { value: element.value } : {}),
    ...(element.style !== undefined ? { style: element.style } : {}),
    type: 'button',
    action_ts: context.runtime.clock.nextTs(),
  };
  return deliverBlockAction(context, input.userId, surface, action);
}

export interface SubmitCheckboxesInput extends SurfaceTarget {
  actionId: string;
  selectedValues: string[];
}

export async function submitCheckboxes(context: ActorContext, input: SubmitCheckboxesInput): Promise<ActResult> {
  const surface = findSurface(context.runtime, input);
  const found = findElement(surfaceBlocks(surface), input.actionId, ['checkboxes'], undefined);
  const actionId = String(found.element.action_id);
  setTouched(surface, input.userId, found.blockId, actionId, stateValueFor(found.element, input.selectedValues));
  if (staysInState(surface, found)) return silentResult(context);
  const action: Json = {
    type: 'checkboxes',
    action_id: actionId,
    block_id: found.blockId,
    selected_options: chosenOptions(found.element, input.selectedValues),
    action_ts: context.runtime.clock.nextTs(),
  };
  return deliverBlockAction(context, input.userId, surface, action);
}

export interface SelectOptionInput extends SurfaceTarget {
  actionId: string;
  value: string;
}

export async function selectOption(context: ActorContext, input: SelectOptionInput): Promise<ActResult> {
  const surface = findSurface(context.runtime, input);
  const found = findElement(surfaceBlocks(surface), input.actionId, ['static_select', 'radio_buttons'], undefined);
  const actionId = String(found.element.action_id);
  setTouched(surface, input.userId, found.blockId, actionId, stateValueFor(found.element, input.value));
  if (staysInState(surface, found)) return silentResult(context);
  const action: Json = {
    type: found.element.type,
    action_id: actionId,
    block_id: found.blockId,
    selected_option: chosenOptions(found.element, [input.value])[0],
    ...(found.element.placeholder !== undefined ? { placeholder: found.element.placeholder } : {}),
    action_ts: context.runtime.clock.nextTs(),
  };
  return deliverBlockAction(context, input.userId, surface, action);
}
