/**
 * `/alignment-review config leads #channel`: where every review's cards go
 * from now on, for the whole workspace, so only leads may change it (the
 * rule that guards sign-off: permissions.ts). The channel is checked as a
 * start checks the one picked in its form (leads-channel-check.ts): one the
 * app cannot post in is refused and nothing changes; a public one it is not
 * in is joined now, as a card's post would join it (postWithJoin in
 * outbox.ts), so a channel it cannot join is refused too.
 */
import type { WebClient } from '@slack/web-api';
import type { ReviewDeps } from '../reviews/deps.js';
import { leadsChannelStatus } from '../reviews/leads-channel-check.js';
import { LEADS_SETTING } from '../reviews/placement.js';
import { writeWaitingForStore } from '../reviews/store-wait.js';
import { errorMessage } from '../logger.js';
import { isLeadOrAdmin, LEADS_ONLY } from './permissions.js';

export const LEADS_CHANNEL_LEADS_ONLY = `Changing the leads' channel: ${LEADS_ONLY}`;

const NOT_CHANGED = "I did not change the leads' channel:";

/** What the person who picked `channel` is told when it was refused; each says nothing was changed. */
export const leadsChannelRefusal = {
  notAMember: (channel: string) =>
    `${NOT_CHANGED} I'm not in <#${channel}>, a private channel, so summary cards could not go there. Invite me there with \`/invite @Alignment Review\` first, then set it again.`,
  archived: (channel: string) => `${NOT_CHANGED} <#${channel}> is archived, so summary cards could not go there. Pick another channel.`,
  notJoined: (channel: string) =>
    `${NOT_CHANGED} I could not join <#${channel}>, so summary cards could not go there. Invite me there with \`/invite @Alignment Review\` first, then set it again.`,
  unknown: (channel: string) => `${NOT_CHANGED} Slack did not tell me whether I can post in <#${channel}>. Please try again in a minute.`,
} as const;

export function leadsChannelSetText(channel: string, joined: boolean): string {
  return `Summary cards will go to <#${channel}>.${joined ? ' I joined it to post them there.' : ''}`;
}

export interface LeadsChannelRequest {
  teamId: string;
  userId: string;
  channel: string;
}

/** Checks who asks and the channel, then sets it; returns what to tell the person privately. */
export async function setLeadsChannel(deps: ReviewDeps, client: WebClient, request: LeadsChannelRequest): Promise<string> {
  const { teamId, userId, channel } = request;
  const refused = (reason: string, text: string) => {
    deps.logger.info({ teamId, channel, user: userId, reason }, "Leads' channel not changed");
    return text;
  };
  if (!(await isLeadOrAdmin(deps, client, userId))) return refused('not_a_lead', LEADS_CHANNEL_LEADS_ONLY);

  const status = await leadsChannelStatus(client, channel);
  let joined = false;
  switch (status.kind) {
    case 'not_a_member':
      return refused(status.kind, leadsChannelRefusal.notAMember(channel));
    case 'archived':
      return refused(status.kind, leadsChannelRefusal.archived(channel));
    case 'unknown':
      deps.logger.warn({ teamId, channel, err: status.why }, "Could not check the leads' channel being set");
      return refused(status.kind, leadsChannelRefusal.unknown(channel));
    case 'joinable':
      try {
        await client.conversations.join({ channel });
        joined = true;
      } catch (error) {
        deps.logger.warn({ teamId, channel, err: errorMessage(error) }, "Could not join the leads' channel being set");
        return refused('not_joined', leadsChannelRefusal.notJoined(channel));
      }
      break;
    case 'member':
      break;
  }

  // Setting it twice is harmless: a store away for a moment delays the answer rather than failing it.
  await writeWaitingForStore(deps, () => deps.store.setSetting(teamId, LEADS_SETTING, channel), {
    what: "set the leads' channel",
    context: { teamId, channel },
  });
  deps.logger.info({ teamId, channel, user: userId }, "Leads' channel set");
  return leadsChannelSetText(channel, joined);
}
