/** Every listener, by kind, as in Slack's Bolt templates: a reader finds any one in two hops. */
import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import type { ListenerContext } from './context.js';
import { registerEvents } from './events/index.js';
import { registerMessages } from './messages/index.js';
import { registerViews } from './views/index.js';

export function registerListeners(app: App, ctx: ListenerContext): void {
  registerCommands(app, ctx);
  registerMessages(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
  registerEvents(app, ctx);
}
