/**
 * Whether a review's summary can go to the leads' channel its starter
 * picked. A private channel the app was not invited to cannot be joined,
 * and a review started with it would end with a note in its thread, naming
 * that channel to people who are not in it, and no way to send the card
 * again. A public channel is fine: the app joins it when the card goes out
 * (postWithJoin in outbox.ts).
 *
 * Asked by the start after Slack has its ack (an ack never waits on a Web
 * API call), before anything is posted: a start refused here says why and
 * changes nothing.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { errorMessage, type Logger } from '../logger.js';
import { slackErrorCode } from '../slack/api-errors.js';

export const LEADS_NOT_A_MEMBER =
  "I did not start the review: I'm not in the leads' channel you picked, a private channel, so the summary could not go there. Invite me with `/invite @Alignment Review`, or pick another channel, and start the review again.";
export const LEADS_ARCHIVED = "I did not start the review: the leads' channel you picked is archived. Pick another channel and start the review again.";

/** The longest a start waits on the check; past it the start goes on, as it would without one. */
const CHECK_MS = 2_000;

const channelInfoSchema = z.object({
  channel: z.object({ is_private: z.boolean().optional(), is_member: z.boolean().optional(), is_archived: z.boolean().optional() }),
});

/** Why the summary could not be posted in `channel`, or undefined when it can (or Slack did not say in time). */
export async function leadsChannelProblem(client: WebClient, logger: Logger, channel: string): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), CHECK_MS);
  });
  const asked = client.conversations.info({ channel }).then(
    (answer) => ({ answer }),
    (error: unknown) => ({ error }),
  );
  const outcome = await Promise.race([asked, late]);
  clearTimeout(timer);
  if (outcome === 'late' || 'error' in outcome) {
    // To Slack, a private channel the app is not in does not exist.
    if (outcome !== 'late' && slackErrorCode(outcome.error) === 'channel_not_found') return LEADS_NOT_A_MEMBER;
    logger.warn({ channel, err: outcome === 'late' ? 'no answer in time' : errorMessage(outcome.error) }, "Could not check the leads' channel of a start; starting anyway");
    return undefined;
  }
  const parsed = channelInfoSchema.safeParse(outcome.answer);
  if (!parsed.success) return undefined;
  if (parsed.data.channel.is_archived) return LEADS_ARCHIVED;
  if (parsed.data.channel.is_private && !parsed.data.channel.is_member) return LEADS_NOT_A_MEMBER;
  return undefined;
}
