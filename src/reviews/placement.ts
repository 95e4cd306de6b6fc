/** Where a review's cards go, resolved from the review, the team's settings and the app's default. */
import type { WebClient } from '@slack/web-api';
import type { ReviewPlacement } from '../store/types.js';
import type { ReviewDeps } from './deps.js';

export const LEADS_SETTING = 'leads_channel';

export async function leadsChannelFor(deps: ReviewDeps, placement: ReviewPlacement): Promise<string | undefined> {
  if (placement.leadsChannel) return placement.leadsChannel;
  const settings = await deps.store.getSettings(placement.teamId);
  return settings[LEADS_SETTING] ?? deps.settings.leadsChannel;
}

/** A link to the review's thread; undefined when Slack can't give one (the card then has none). */
export async function threadLinkFor(client: WebClient, placement: ReviewPlacement): Promise<string | undefined> {
  try {
    const result = await client.chat.getPermalink({ channel: placement.channelId, message_ts: placement.threadTs });
    return result.permalink;
  } catch {
    return undefined;
  }
}
