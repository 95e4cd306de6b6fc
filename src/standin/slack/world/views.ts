/**
 * Modal stacks and home tabs: creating, replacing and closing views the way
 * Slack keeps them (same id across updates, a new hash each time, input
 * state kept for blocks that stay on screen).
 */
import { normalizeBlocks } from '../blocks/normalize.js';
import type { Runtime } from '../runtime.js';
import { randomToken } from './clock.js';
import type { WorldView } from './types.js';
import { keepStateOfBlocks } from './world.js';

function newHash(runtime: Runtime): string {
  return `${runtime.clock.nowSeconds()}.${randomToken(8)}`;
}

function normalizedDefinition(definition: Record<string, unknown>): Record<string, unknown> {
  return { ...definition, blocks: normalizeBlocks(Array.isArray(definition.blocks) ? definition.blocks : []) };
}

export function createView(
  runtime: Runtime,
  userId: string,
  definition: Record<string, unknown>,
  placement: { rootViewId?: string; previousViewId?: string | null } = {},
): WorldView {
  const id = runtime.ids.next('V');
  const view: WorldView = {
    id,
    userId,
    type: definition.type === 'home' ? 'home' : 'modal',
    definition: normalizedDefinition(definition),
    hash: newHash(runtime),
    rootViewId: placement.rootViewId ?? id,
    previousViewId: placement.previousViewId ?? null,
    externalId: typeof definition.external_id === 'string' ? definition.external_id : '',
    state: {},
    closed: false,
  };
  runtime.world.views[id] = view;
  return view;
}

export function replaceView(runtime: Runtime, view: WorldView, definition: Record<string, unknown>): WorldView {
  view.definition = normalizedDefinition(definition);
  view.hash = newHash(runtime);
  if (typeof definition.external_id === 'string') view.externalId = definition.external_id;
  view.state = keepStateOfBlocks(view.state, view.definition.blocks as unknown[]);
  delete view.errors;
  return view;
}

export function modalStack(runtime: Runtime, userId: string): string[] {
  return runtime.world.modalStacks[userId] ?? [];
}

export function topModal(runtime: Runtime, userId: string): WorldView | undefined {
  const stack = modalStack(runtime, userId);
  const id = stack[stack.length - 1];
  return id ? runtime.world.views[id] : undefined;
}

export function pushModal(runtime: Runtime, view: WorldView): void {
  runtime.world.modalStacks[view.userId] = [...modalStack(runtime, view.userId), view.id];
}

/** Close the top modal (or all of them) and return the closed views. */
export function closeModals(runtime: Runtime, userId: string, all: boolean): WorldView[] {
  const stack = modalStack(runtime, userId);
  const closing = all ? stack : stack.slice(-1);
  const remaining = all ? [] : stack.slice(0, -1);
  if (remaining.length > 0) runtime.world.modalStacks[userId] = remaining;
  else delete runtime.world.modalStacks[userId];
  return closing
    .map((id) => runtime.world.views[id])
    .filter((view): view is WorldView => view !== undefined)
    .map((view) => {
      view.closed = true;
      return view;
    });
}

export function findOpenView(runtime: Runtime, viewId?: string, externalId?: string): WorldView | undefined {
  return Object.values(runtime.world.views).find(
    (view) => !view.closed && ((viewId && view.id === viewId) || (externalId && view.externalId === externalId)),
  );
}
