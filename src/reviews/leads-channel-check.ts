/**
 * Whether a review's summary can go to the leads' channel its starter
 * picked. A private channel the app was not invited to cannot be joined,
 * and a review started with it would end with a note in its thread, naming
 * that channel to people who are not in it, and no way to send the card
 * again. A public channel is fine: the app joins it when the card goes out
 * (postWithJoin in outbox.ts).
 *
 * The start form asks before it closes (leadsChannelFieldError), so a
 * refused channel is shown under its field and nothing typed is lost; when
 * Slack does not answer in time for the form, the start asks again after the
 * ack, before anything is posted: a start refused there says why privately
 * and changes nothing. `config leads` asks the same before it changes the
 * workspace's leads' channel (src/leads/leads-channel-setting.ts).
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

/**
 * What Slack says of the app and a leads' channel: it is in it (`member`);
 * a public channel it is not in, which it joins when a card goes out
 * (`joinable`); a private channel it was not invited to, or one that does
 * not exist, which to Slack are the same (`not_a_member`); `archived`; or
 * `unknown` when Slack did not answer in time or failed otherwise (`why`,
 * for the log).
 */
export type LeadsChannelStatus =
  | { kind: 'member' | 'joinable' | 'not_a_member' | 'archived' }
  | { kind: 'unknown'; why: string };

/** Asks Slack about `channel` (conversations.info), waiting at most `waitMs`. */
export async function leadsChannelStatus(client: WebClient, channel: string, waitMs = CHECK_MS): Promise<LeadsChannelStatus> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
  });
  const asked = client.conversations.info({ channel }).then(
    (answer) => ({ answer }),
    (error: unknown) => ({ error }),
  );
  const outcome = await Promise.race([asked, late]);
  clearTimeout(timer);
  if (outcome === 'late') return { kind: 'unknown', why: 'no answer in time' };
  if ('error' in outcome) {
    // To Slack, a private channel the app is not in does not exist.
    if (slackErrorCode(outcome.error) === 'channel_not_found') return { kind: 'not_a_member' };
    return { kind: 'unknown', why: errorMessage(outcome.error) };
  }
  const parsed = channelInfoSchema.safeParse(outcome.answer);
  if (!parsed.success) return { kind: 'unknown', why: 'an answer of an unexpected shape' };
  const { is_archived: archived, is_private: isPrivate, is_member: member } = parsed.data.channel;
  if (archived) return { kind: 'archived' };
  if (member) return { kind: 'member' };
  return { kind: isPrivate ? 'not_a_member' : 'joinable' };
}

/** Why the summary could not be posted in `channel`, or undefined when it can (or Slack did not say in time). */
export async function leadsChannelProblem(client: WebClient, logger: Logger, channel: string): Promise<string | undefined> {
  const status = await leadsChannelStatus(client, channel);
  switch (status.kind) {
    case 'not_a_member':
      return LEADS_NOT_A_MEMBER;
    case 'archived':
      return LEADS_ARCHIVED;
    case 'unknown':
      logger.warn({ channel, err: status.why }, "Could not check the leads' channel of a start; starting anyway");
      return undefined;
    default:
      return undefined;
  }
}

/** Under the start form's leads' channel field: short, as Slack shows a field's error in a line or two. */
export const LEADS_FIELD_NOT_A_MEMBER = "I'm not in this private channel, so the summary could not go there. Invite me with /invite @Alignment Review, or pick another channel.";
export const LEADS_FIELD_ARCHIVED = 'This channel is archived. Pick another channel.';

/**
 * The start form's check, made before the form closes: Slack waits 3 seconds
 * for the answer to a submission, so the check has `waitMs` of them and the
 * rest is left for noting the start and the answer's way back. `error` is
 * what to show under the field; `ok` means the start need not ask again;
 * `unknown` (no answer in time, or Slack failed) leaves the check to the
 * start after the form has closed, as before there was one here.
 */
export async function leadsChannelFieldError(
  client: WebClient,
  logger: Logger,
  channel: string,
  waitMs: number,
): Promise<{ kind: 'error'; error: string } | { kind: 'ok' } | { kind: 'unknown' }> {
  const status = await leadsChannelStatus(client, channel, waitMs);
  switch (status.kind) {
    case 'not_a_member':
      return { kind: 'error', error: LEADS_FIELD_NOT_A_MEMBER };
    case 'archived':
      return { kind: 'error', error: LEADS_FIELD_ARCHIVED };
    case 'unknown':
      logger.info({ channel, err: status.why }, "Could not check the leads' channel before the start form closed; the start checks it");
      return { kind: 'unknown' };
    default:
      return { kind: 'ok' };
  }
}
