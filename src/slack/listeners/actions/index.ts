import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTIONS, ACTION_PATTERNS } from '../../ids.js';
import type { ListenerContext } from '../context.js';
import { exportAction, homeFilterAction, openThreadAction, signOffAction } from './leads-actions.js';
import { acknowledgeOnly, answerOptionAction, multiSubmitAction, suggestionVerdictAction } from './review-actions.js';

type ActionHandler = (args: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => Promise<void>;

/**
 * One Bolt listener for every button and menu, routed here by action id.
 * Bolt runs each listener's middleware for every request it receives, a
 * thread reply included, copying the request's arguments for each: ten
 * action listeners cost every reply ten such passes for nothing.
 */
export function registerActions(app: App, ctx: ListenerContext): void {
  const byId = new Map<string, ActionHandler>([
    [ACTIONS.multiSelect, acknowledgeOnly],
    [ACTIONS.multiSubmit, multiSubmitAction(ctx)],
    [ACTIONS.suggestionRelevant, suggestionVerdictAction(ctx, true)],
    [ACTIONS.suggestionNotRelevant, suggestionVerdictAction(ctx, false)],
    [ACTIONS.signOff, signOffAction(ctx)],
    [ACTIONS.exportReview, exportAction(ctx)],
    [ACTIONS.openThread, openThreadAction],
    [ACTIONS.homeFilterChannel, homeFilterAction(ctx)],
    [ACTIONS.homeFilterLevel, homeFilterAction(ctx)],
    [ACTIONS.homeFilterShow, homeFilterAction(ctx)],
  ]);
  const answerOption = answerOptionAction(ctx);

  app.action({ type: 'block_actions' }, async (args) => {
    const actionId = args.action.action_id;
    const handler = byId.get(actionId) ?? (ACTION_PATTERNS.answerOption.test(actionId) ? answerOption : undefined);
    if (handler) return handler(args);
    // A button of an older version of the app, or of another app's message: acknowledged so Slack shows no error.
    await args.ack();
    ctx.deps.logger.debug({ actionId }, 'Ignored an action with an unknown id');
  });
}
