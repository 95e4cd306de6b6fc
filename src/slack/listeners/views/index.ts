import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { VIEWS } from '../../ids.js';
import type { ListenerContext } from '../context.js';
import { confirmDeleteSubmitted, signOffSubmitted } from './leads-views.js';
import { startReviewSubmitted } from './start-review-submitted.js';

type ViewHandler = (args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => Promise<void>;

/** One Bolt listener for every modal's submission, routed by callback id (see actions/index.ts for why one). */
export function registerViews(app: App, ctx: ListenerContext): void {
  const byCallback = new Map<string, ViewHandler>([
    [VIEWS.startReview, startReviewSubmitted(ctx)],
    [VIEWS.signOff, signOffSubmitted(ctx)],
    [VIEWS.confirmDelete, confirmDeleteSubmitted(ctx)],
  ]);

  app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
    const handler = byCallback.get(args.view.callback_id);
    if (handler) return handler(args);
    // A modal of an older version of the app: closed without an error.
    await args.ack();
    ctx.deps.logger.debug({ callbackId: args.view.callback_id }, 'Ignored a view submission with an unknown callback id');
  });
}
