import type { App } from '@slack/bolt';
import { ACTIONS, ACTION_PATTERNS } from '../../ids.js';
import type { ListenerContext } from '../context.js';
import { exportAction, homeFilterAction, openThreadAction, signOffAction } from './leads-actions.js';
import { acknowledgeOnly, answerOptionAction, multiSubmitAction, suggestionVerdictAction } from './review-actions.js';

export function registerActions(app: App, ctx: ListenerContext): void {
  app.action(ACTION_PATTERNS.answerOption, answerOptionAction(ctx));
  app.action(ACTIONS.multiSelect, acknowledgeOnly);
  app.action(ACTIONS.multiSubmit, multiSubmitAction(ctx));
  app.action(ACTIONS.suggestionRelevant, suggestionVerdictAction(ctx, true));
  app.action(ACTIONS.suggestionNotRelevant, suggestionVerdictAction(ctx, false));
  app.action(ACTIONS.signOff, signOffAction(ctx));
  app.action(ACTIONS.exportReview, exportAction(ctx));
  app.action(ACTIONS.openThread, openThreadAction);
  app.action(ACTIONS.homeFilterChannel, homeFilterAction(ctx));
  app.action(ACTIONS.homeFilterLevel, homeFilterAction(ctx));
}
