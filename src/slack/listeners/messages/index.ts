import type { App } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { threadMessageListener } from './thread-message.js';

export function registerMessages(app: App, ctx: ListenerContext): void {
  app.event('message', threadMessageListener(ctx));
}
