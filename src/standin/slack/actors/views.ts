/**
 * A person submitting or closing a modal. Submission POSTs view_submission
 * (fixture 05) with state.values built from the view's input elements, then
 * does what the app's answer says: close (empty answer), show field errors,
 * update, push, or clear the whole stack.
 */
import { interactiveElements, stateValueFor } from '../blocks/elements.js';
import { checkView } from '../blocks/limits.js';
import { interactiveBody, viewClosedPayload, viewJson, viewSubmissionPayload } from '../payloads/interactive.js';
import type { Runtime } from '../runtime.js';
import type { WorldView } from '../world/types.js';
import { closeModals, createView, modalStack, pushModal, replaceView, topModal } from '../world/views.js';
import { observe, parseJsonBody, requireUser, type ActResult, type ActorContext } from './context.js';
import { fullState, setTouched } from './surface.js';

export interface SubmitViewInput {
  userId: string;
  viewId: string;
  /**
   * block_id → action_id → the typed text, the chosen option value, or chosen
   * values; null for an input the person emptied or left without a choice
   * (Slack reports it as `value: null`, `selected_option: null`…). An input
   * left out keeps its initial value.
   */
  values?: Record<string, Record<string, string | string[] | null>>;
}

export interface SubmitViewResult extends ActResult {
  /** What the app asked for: "errors", "update", "push", "clear", or "close" for an empty answer. */
  responseAction?: string;
  /** Set when the app's answer could not be applied (e.g. an invalid view). */
  problem?: string;
}

function topViewOf(runtime: Runtime, userId: string, viewId: string): WorldView {
  const top = topModal(runtime, userId);
  if (!top || top.id !== viewId) {
    throw new Error(`${viewId} is not the top modal of ${userId} (open: ${modalStack(runtime, userId).join(', ') || 'none'})`);
  }
  return top;
}

type Answer = { response_action?: unknown; errors?: unknown; view?: unknown };

function applyAnswer(runtime: Runtime, userId: string, view: WorldView, answer: Answer): { responseAction: string; problem?: string } {
  const action = typeof answer.response_action === 'string' ? answer.response_action : 'close';
  if (action === 'errors') {
    view.errors = (answer.errors ?? {}) as Record<string, string>;
    return { responseAction: action };
  }
  if (action === 'clear') {
    closeModals(runtime, userId, true);
    return { responseAction: action };
  }
  if (action === 'update' || action === 'push') {
    const check = checkView(answer.view, 'modal');
    if (check.error) return { responseAction: action, problem: `invalid view: ${check.messages.join('; ')}` };
    const definition = answer.view as Record<string, unknown>;
    if (action === 'update') replaceView(runtime, view, definition);
    else pushModal(runtime, createView(runtime, userId, definition, { rootViewId: view.rootViewId, previousViewId: view.id }));
    return { responseAction: action };
  }
  closeModals(runtime, userId, false);
  return { responseAction: 'close' };
}

export async function submitView(context: ActorContext, input: SubmitViewInput): Promise<SubmitViewResult> {
  const { runtime } = context;
  const user = requireUser(runtime, input.userId);
  const view = topViewOf(runtime, user.id, input.viewId);
  const surface = { kind: 'view' as const, view };
  const blocks = (view.definition.blocks as unknown[] | undefined) ?? [];
  for (const [blockId, actions] of Object.entries(input.values ?? {})) {
    for (const [actionId, value] of Object.entries(actions)) {
      const found = interactiveElements(blocks).find((candidate) => candidate.blockId === blockId && candidate.element.action_id === actionId);
      if (!found) {
        const onView = interactiveElements(blocks).map((candidate) => `${candidate.blockId}/${String(candidate.element.action_id)}`);
        throw new Error(`View ${view.id} has no element ${blockId}/${actionId} (it has: ${onView.join(', ') || 'none'})`);
      }
      setTouched(surface, user.id, blockId, actionId, stateValueFor(found.element, value ?? undefined));
    }
  }
  view.state = fullState(surface, user.id);
  const payload = viewSubmissionPayload(runtime.world, user, viewJson(runtime.world, view), runtime.issueTrigger(user.id));

  const finish = observe(runtime);
  const delivery = await runtime.deliverer.deliver({
    kind: 'interactive',
    description: 'view_submission',
    body: interactiveBody(payload),
    contentType: 'application/x-www-form-urlencoded',
  });
  // Slack keeps the modal open (with an error banner) when the app fails to answer.
  if (delivery.status !== 200) return { ...finish(delivery), problem: `app answered ${delivery.status || delivery.error}` };
  const answer = (parseJsonBody(delivery.responseBody) ?? {}) as Answer;
  const applied = applyAnswer(runtime, user.id, view, typeof answer === 'object' && answer !== null ? answer : {});
  runtime.changed('view_submitted');
  return { ...finish(delivery), ...applied };
}

/** The person closes the top modal; the app hears of it only when the view asked (notify_on_close). */
export async function closeView(context: ActorContext, input: { userId: string; viewId: string }): Promise<ActResult> {
  const { runtime } = context;
  const user = requireUser(runtime, input.userId);
  const view = topViewOf(runtime, user.id, input.viewId);
  const json = viewJson(runtime.world, view);
  const clears = view.definition.clear_on_close === true;
  closeModals(runtime, user.id, clears);
  runtime.changed('view_closed');
  const finish = observe(runtime);
  if (view.definition.notify_on_close !== true) return finish(undefined);
  const delivery = await runtime.deliverer.deliver({
    kind: 'interactive',
    description: 'view_closed',
    body: interactiveBody(viewClosedPayload(runtime.world, user, json, clears)),
    contentType: 'application/x-www-form-urlencoded',
  });
  return finish(delivery);
}
