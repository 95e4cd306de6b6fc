/**
 * A workspace admin removing the app. Slack then refuses the bot's token
 * and sends two events, tokens_revoked and app_uninstalled, in no promised
 * order (Slack's docs say either may come first); the stand-in sends them
 * in the order asked, each signed and retried like any event.
 */
import { appUninstalledEvent, tokensRevokedEvent } from '../payloads/events.js';
import { deliverPersonEvent, observe, type ActResult, type ActorContext } from './context.js';

export interface UninstallAppInput {
  /** Which event goes first (default tokens_revoked). */
  order?: 'tokens-first' | 'uninstalled-first';
}

export async function uninstallApp(context: ActorContext, input: UninstallAppInput = {}): Promise<ActResult> {
  const { runtime } = context;
  runtime.world.bot.uninstalled = true;
  runtime.changed('app_uninstalled');
  const finish = observe(runtime);
  const events = [tokensRevokedEvent(runtime.world.bot.userId), appUninstalledEvent()];
  if (input.order === 'uninstalled-first') events.reverse();
  let delivery;
  for (const event of events) delivery = await deliverPersonEvent(context, event);
  return finish(delivery!);
}
