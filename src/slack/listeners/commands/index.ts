import type { App } from '@slack/bolt';
import { COMMAND } from '../../ids.js';
import type { ListenerContext } from '../context.js';
import { alignmentReviewCommand } from './alignment-review.js';

export function registerCommands(app: App, ctx: ListenerContext): void {
  app.command(COMMAND, alignmentReviewCommand(ctx));
}
