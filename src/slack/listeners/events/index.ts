import type { App } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { appUninstalledListener, tokensRevokedListener } from './app-uninstalled.js';
import { homeOpenedListener } from './home-opened.js';

export function registerEvents(app: App, ctx: ListenerContext): void {
  app.event('app_home_opened', homeOpenedListener(ctx));
  app.event('app_uninstalled', appUninstalledListener(ctx));
  app.event('tokens_revoked', tokensRevokedListener(ctx));
}
