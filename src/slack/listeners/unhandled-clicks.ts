/**
 * A click no listener acknowledges (a button of a message from an older
 * version, an action id the app does not know) would be answered 404 by
 * Bolt after three seconds, and Slack would show the person an error. This
 * global middleware lets every listener run first, then acknowledges what is
 * still unanswered, at once, and logs it once. A second acknowledgement of a
 * click a listener did answer is refused by the receiver and ignored here.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/** Action ids are the app's own words; anything else (a forged payload) is not repeated in the log. */
function actionIdsOf(body: unknown): string[] {
  const actions = (body as { actions?: unknown }).actions;
  if (!Array.isArray(actions)) return [];
  return actions.map((action) => {
    const id = (action as { action_id?: unknown } | null)?.action_id;
    return typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(id) ? id : '(unusual id)';
  });
}

export function acknowledgeUnhandledClicks(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    await args.next();
    const body = args.body as { type?: unknown };
    if (body.type !== 'block_actions' || !('ack' in args) || typeof args.ack !== 'function') return;
    try {
      await (args.ack as () => Promise<void>)();
    } catch {
      // A listener answered it: nothing to do.
      return;
    }
    logger.info({ actionIds: actionIdsOf(body) }, 'Acknowledged a click no listener handled');
  };
}
