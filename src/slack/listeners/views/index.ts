import type { App } from '@slack/bolt';
import { VIEWS } from '../../ids.js';
import type { ListenerContext } from '../context.js';
import { confirmDeleteSubmitted, signOffSubmitted } from './leads-views.js';
import { startReviewSubmitted } from './start-review-submitted.js';

export function registerViews(app: App, ctx: ListenerContext): void {
  app.view(VIEWS.startReview, startReviewSubmitted(ctx));
  app.view(VIEWS.signOff, signOffSubmitted(ctx));
  app.view(VIEWS.confirmDelete, confirmDeleteSubmitted(ctx));
}
