/**
 * A workspace removed the app (app_uninstalled), or revoked its bot token
 * (tokens_revoked): the token in that workspace's installation no longer
 * works, so the installation is deleted at once rather than kept for the
 * retention period, where every request and background job would keep
 * trying it. Slack sends both events when the app is removed, in either
 * order; whichever comes second finds nothing left to delete.
 *
 * The workspace's reviews are kept, as any review is, until
 * REVIEW_RETENTION_DAYS after their last change: a workspace that installs
 * the app again finds them where they were. Bolt runs these two events
 * without looking up an installation, so they reach here after it is gone.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext, WorkspaceRef } from '../context.js';

type Body = { team_id?: string; enterprise_id?: string; authorizations?: { is_enterprise_install?: boolean }[] };

function workspaceOf(body: unknown): WorkspaceRef {
  const { team_id: teamId, enterprise_id: enterpriseId, authorizations } = body as Body;
  return { teamId, enterpriseId, isEnterpriseInstall: authorizations?.[0]?.is_enterprise_install === true };
}

async function forget(ctx: ListenerContext, body: unknown, event: string): Promise<void> {
  const workspace = workspaceOf(body);
  if (!workspace.teamId && !workspace.enterpriseId) return;
  const deleted = (await ctx.installations?.forget(workspace)) ?? false;
  ctx.deps.logger.info({ teamId: workspace.teamId, enterpriseId: workspace.enterpriseId, event, installationDeleted: deleted }, 'The app was removed from a workspace');
}

export function appUninstalledListener(ctx: ListenerContext) {
  return async ({ body }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs): Promise<void> => {
    await forget(ctx, body, 'app_uninstalled');
  };
}

export function tokensRevokedListener(ctx: ListenerContext) {
  return async ({ body, event }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs): Promise<void> => {
    // The app holds only the bot's token: a person's revoked token (oauth) changes nothing here.
    if (!event.tokens.bot?.length) return;
    await forget(ctx, body, 'tokens_revoked');
  };
}
