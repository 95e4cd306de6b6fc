/**
 * Who may do what on the leads' side. Leads are named in LEAD_USER_IDS;
 * workspace admins and owners (users.info) always count as leads. A review's
 * starter may also delete it. Anything else gets a private "no".
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { ReviewDeps } from '../reviews/deps.js';
import { errorMessage } from '../logger.js';

const userInfoSchema = z.object({
  user: z.object({
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
  }),
});

/** True for a configured lead, or a workspace admin or owner. A failed look-up counts as no. */
export async function isLeadOrAdmin(deps: Pick<ReviewDeps, 'settings' | 'logger'>, client: WebClient, userId: string): Promise<boolean> {
  if (deps.settings.leadUserIds.includes(userId)) return true;
  try {
    const parsed = userInfoSchema.safeParse(await client.users.info({ user: userId }));
    if (!parsed.success) return false;
    const { user } = parsed.data;
    return Boolean(user.is_admin || user.is_owner || user.is_primary_owner);
  } catch (error) {
    deps.logger.warn({ user: userId, err: errorMessage(error) }, 'Could not look up whether a person is an admin');
    return false;
  }
}

const ONLY_LEADS = 'Only review leads and workspace admins can do that.';

/** Said to the person refused an action that changes something, who never sees the app's settings: who may, in plain words. */
export const LEADS_ONLY = `${ONLY_LEADS} Nothing was changed.`;

/** The same for a read (an export): nothing would have changed anyway, and nothing left the app. */
export const LEADS_ONLY_READ = `${ONLY_LEADS} Nothing was sent.`;
