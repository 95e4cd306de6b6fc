/** The App Home tab opened: publish the person's home (their reviews, or every review for a lead). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishHomeAsked } from '../../../leads/home.js';
import type { ListenerContext } from '../context.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export function homeOpenedListener(ctx: ListenerContext) {
  return async ({ event, body, client, context }: Args): Promise<void> => {
    // The Messages tab opens the same event; only the Home tab shows reviews.
    if (event.tab !== 'home') return;
    const teamId = context.teamId ?? (body as { team_id?: string }).team_id;
    if (!teamId) return;
    await publishHomeAsked(ctx.deps, client, teamId, event.user, { opened: true });
  };
}
