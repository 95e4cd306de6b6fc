/**
 * The thing a person interacts with: a channel message, an ephemeral only
 * they see, or one of their views. Each has blocks and the person's input
 * state, and Slack describes each differently in block_actions (container,
 * channel, message or view).
 */
import { initialStateValue, interactiveElements } from '../blocks/elements.js';
import { viewJson } from '../payloads/interactive.js';
import { messageJson, type Json } from '../payloads/message-json.js';
import type { Runtime } from '../runtime.js';
import type { StateValues, WorldChannel, WorldEphemeral, WorldMessage, WorldView } from '../world/types.js';
import { findEphemeral, findMessage } from '../world/world.js';
import { requireChannel } from './context.js';

export type Surface =
  | { kind: 'message'; channel: WorldChannel; message: WorldMessage }
  | { kind: 'ephemeral'; channel: WorldChannel; ephemeral: WorldEphemeral }
  | { kind: 'view'; view: WorldView };

export interface SurfaceTarget {
  userId: string;
  channelId?: string;
  messageTs?: string;
  viewId?: string;
}

export function findSurface(runtime: Runtime, target: SurfaceTarget): Surface {
  if (target.viewId) {
    const view = runtime.world.views[target.viewId];
    if (!view || view.closed) throw new Error(`No open view ${target.viewId}`);
    if (view.userId !== target.userId) throw new Error(`View ${target.viewId} belongs to ${view.userId}, not ${target.userId}`);
    return { kind: 'view', view };
  }
  if (!target.channelId || !target.messageTs) throw new Error('Say which surface: channelId and messageTs, or viewId');
  const channel = requireChannel(runtime, target.channelId);
  const message = findMessage(runtime.world, channel.id, target.messageTs);
  if (message) return { kind: 'message', channel, message };
  const ephemeral = findEphemeral(runtime.world, channel.id, target.messageTs, target.userId);
  if (ephemeral) return { kind: 'ephemeral', channel, ephemeral };
  throw new Error(`No message or ephemeral for ${target.userId} with ts ${target.messageTs} in ${channel.id}`);
}

export function surfaceBlocks(surface: Surface): unknown[] {
  if (surface.kind === 'message') return surface.message.blocks ?? [];
  if (surface.kind === 'ephemeral') return surface.ephemeral.blocks ?? [];
  return (surface.view.definition.blocks as unknown[] | undefined) ?? [];
}

/** The person's touched values on the surface (stored, mutable). */
export function touchedState(surface: Surface, userId: string): StateValues {
  if (surface.kind === 'message') {
    surface.message.state[userId] ??= {};
    return surface.message.state[userId];
  }
  if (surface.kind === 'ephemeral') return surface.ephemeral.state;
  return surface.view.state;
}

export function setTouched(surface: Surface, userId: string, blockId: string, actionId: string, value: StateValues[string][string]): void {
  const state = touchedState(surface, userId);
  state[blockId] = { ...(state[blockId] ?? {}), [actionId]: value };
}

const STATELESS = new Set(['button', 'overflow', 'workflow_button']);

/**
 * state.values as Slack reports it: every stateful element on the surface,
 * with what the person chose, else its initial (or empty) value.
 */
export function fullState(surface: Surface, userId: string): StateValues {
  const touched = touchedState(surface, userId);
  const state: StateValues = {};
  for (const found of interactiveElements(surfaceBlocks(surface))) {
    const actionId = String(found.element.action_id);
    if (STATELESS.has(String(found.element.type))) continue;
    const value = touched[found.blockId]?.[actionId] ?? initialStateValue(found.element);
    state[found.blockId] = { ...(state[found.blockId] ?? {}), [actionId]: value };
  }
  return state;
}

/** The parts of a block_actions payload that depend on the surface. */
export function surfaceParts(runtime: Runtime, surface: Surface): { container: Json; channel?: WorldChannel; message?: Json; view?: Json } {
  if (surface.kind === 'view') {
    return { container: { type: 'view', view_id: surface.view.id }, view: viewJson(runtime.world, surface.view) };
  }
  if (surface.kind === 'ephemeral') {
    const { ephemeral, channel } = surface;
    return {
      container: { type: 'message', message_ts: ephemeral.ts, channel_id: channel.id, is_ephemeral: true, ...(ephemeral.threadTs ? { thread_ts: ephemeral.threadTs } : {}) },
      channel,
    };
  }
  const { message, channel } = surface;
  return {
    container: { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: false, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) },
    channel,
    message: messageJson(runtime.render(), message),
  };
}
