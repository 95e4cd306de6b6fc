/**
 * views.* methods: open, push, update, publish. Modals need a trigger_id the
 * stand-in issued with an interaction, used once, within its lifetime.
 */
import { checkView } from '../blocks/limits.js';
import { viewJson } from '../payloads/interactive.js';
import type { Runtime } from '../runtime.js';
import { findUser } from '../world/world.js';
import { createView, findOpenView, modalStack, pushModal, replaceView, topModal } from '../world/views.js';
import { noteUnknownBlockTypes } from './access.js';
import { fail, failWithMessages, jsonArg, ok, stringArg, type Args, type MethodAnswer, type MethodHandler } from './method.js';

const MAX_MODAL_STACK = 3;

type Exchange = { userId: string } | { refusal: MethodAnswer };

/** Use up a trigger_id, as Slack does on views.open / views.push. */
function exchangeTrigger(runtime: Runtime, triggerId: string | undefined): Exchange {
  const trigger = triggerId ? runtime.world.triggers[triggerId] : undefined;
  if (!trigger) return { refusal: fail('invalid_trigger_id') };
  if (trigger.used) return { refusal: fail('exchanged_trigger_id') };
  if (runtime.clock.nowMs() - trigger.issuedAt > runtime.options.triggerLifetimeMs) return { refusal: fail('expired_trigger_id') };
  trigger.used = true;
  return { userId: trigger.userId };
}

type ReadView = { definition: Record<string, unknown>; notes: string[] } | { refusal: MethodAnswer };

function readView(runtime: Runtime, args: Args, expected: 'modal' | 'home'): ReadView {
  const parsed = jsonArg(args, 'view');
  if (!parsed || 'invalid' in parsed) return { refusal: fail('invalid_arguments') };
  const check = checkView(parsed.value, expected);
  if (check.error) return { refusal: failWithMessages(check.error, check.messages) };
  return { definition: parsed.value as Record<string, unknown>, notes: noteUnknownBlockTypes(runtime, check.unknownTypes) };
}

function externalIdTaken(runtime: Runtime, definition: Record<string, unknown>): boolean {
  return typeof definition.external_id === 'string' && definition.external_id !== '' && findOpenView(runtime, undefined, definition.external_id) !== undefined;
}

export const open: MethodHandler = (runtime, args) => {
  const read = readView(runtime, args, 'modal');
  if ('refusal' in read) return read.refusal;
  if (externalIdTaken(runtime, read.definition)) return fail('duplicate_external_id');
  const exchange = exchangeTrigger(runtime, stringArg(args, 'trigger_id'));
  if ('refusal' in exchange) return exchange.refusal;
  const view = createView(runtime, exchange.userId, read.definition);
  // A new modal starts a new stack on the person's screen.
  runtime.world.modalStacks[exchange.userId] = [];
  pushModal(runtime, view);
  runtime.changed('view_opened');
  return ok({ view: viewJson(runtime.world, view) }, read.notes);
};

export const push: MethodHandler = (runtime, args) => {
  const read = readView(runtime, args, 'modal');
  if ('refusal' in read) return read.refusal;
  if (externalIdTaken(runtime, read.definition)) return fail('duplicate_external_id');
  const exchange = exchangeTrigger(runtime, stringArg(args, 'trigger_id'));
  if ('refusal' in exchange) return exchange.refusal;
  const top = topModal(runtime, exchange.userId);
  if (!top) return fail('not_found');
  if (modalStack(runtime, exchange.userId).length >= MAX_MODAL_STACK) return fail('push_limit_reached');
  const view = createView(runtime, exchange.userId, read.definition, { rootViewId: top.rootViewId, previousViewId: top.id });
  pushModal(runtime, view);
  runtime.changed('view_pushed');
  return ok({ view: viewJson(runtime.world, view) }, read.notes);
};

export const update: MethodHandler = (runtime, args) => {
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  if (!viewId && !externalId) return fail('invalid_arguments');
  const view = findOpenView(runtime, viewId, externalId);
  if (!view) return fail('not_found');
  const read = readView(runtime, args, view.type);
  if ('refusal' in read) return read.refusal;
  const hash = stringArg(args, 'hash');
  if (hash && hash !== view.hash) return fail('hash_conflict');
  replaceView(runtime, view, read.definition);
  runtime.changed('view_updated');
  return ok({ view: viewJson(runtime.world, view) }, read.notes);
};

export const publish: MethodHandler = (runtime, args) => {
  const userId = stringArg(args, 'user_id');
  const user = userId ? findUser(runtime.world, userId) : undefined;
  if (!user || user.isBot) return fail('user_not_found');
  const read = readView(runtime, args, 'home');
  if ('refusal' in read) return read.refusal;
  const existingId = runtime.world.homeViews[user.id];
  const existing = existingId ? runtime.world.views[existingId] : undefined;
  const hash = stringArg(args, 'hash');
  if (existing && hash && hash !== existing.hash) return fail('hash_conflict');
  const view = existing ? replaceView(runtime, existing, read.definition) : createView(runtime, user.id, read.definition);
  runtime.world.homeViews[user.id] = view.id;
  runtime.changed('home_published');
  return ok({ view: viewJson(runtime.world, view) }, read.notes);
};
