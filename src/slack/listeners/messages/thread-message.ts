/**
 * Every `message` event. Only people's replies in threads the app started,
 * and their edits, reach the review; bot messages (this app's own included,
 * and the message_changed events its chat.update calls cause), other
 * subtypes and top-level messages are ignored.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { handleThreadEdit, handleThreadReply } from '../../../reviews/thread-input.js';
import { acknowledgeOf } from '../../request-guard.js';
import type { ListenerContext } from '../context.js';
import { channelIdSchema, slackTsSchema, teamIdSchema, userIdSchema } from '../slack-ids.js';

type Args = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

const channelId = channelIdSchema;
const userId = userIdSchema;
const slackTs = slackTsSchema;

/** The fields we rely on, checked: Slack's types are wider than what we accept. */
const personMessage = z.object({
  type: z.literal('message'),
  subtype: z.enum(['thread_broadcast']).optional(),
  channel: channelId,
  user: userId,
  text: z.string(),
  ts: slackTs,
  thread_ts: slackTs,
  parent_user_id: z.string().optional(),
  bot_id: z.undefined().optional(),
});

/** What a person's thread reply looks like at first sight: when it then fails the check above, it is worth a log line. */
const looksLikeThreadReply = z.looseObject({ thread_ts: z.unknown().refine((value) => value !== undefined), subtype: z.undefined().optional(), bot_id: z.undefined().optional() });

const changedMessage = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_changed'),
  channel: channelId,
  event_ts: slackTs.optional(),
  message: z.object({
    subtype: z.undefined().optional(),
    user: userId,
    text: z.string(),
    ts: slackTs,
    thread_ts: slackTs,
    parent_user_id: z.string().optional(),
    bot_id: z.undefined().optional(),
    edited: z.object({ ts: slackTs }).optional(),
  }),
  previous_message: z.object({ text: z.string().optional() }).optional(),
});

export function threadMessageListener(ctx: ListenerContext) {
  return async ({ event, body, client, context }: Args): Promise<void> => {
    const team = teamIdSchema.safeParse(context.teamId ?? (body as { team_id?: string }).team_id);
    if (!team.success) return;
    const teamId = team.data;
    const raw = event as unknown as Record<string, unknown>;
    // In a distributed app each workspace has its own bot user; Bolt's authorize puts it in the context.
    const botUserId = context.botUserId ?? ctx.botUserId;
    // The guard holds this event's ack until the reply is queued (ack-hold.ts).
    const acknowledge = acknowledgeOf(context);
    if (raw.subtype === 'message_changed') {
      const parsed = changedMessage.safeParse(raw);
      if (!parsed.success) return;
      const { message, previous_message: previous, channel } = parsed.data;
      // A thread parent's reply count changing, or an unfurl: not an edit of an answer.
      if (message.thread_ts === message.ts || previous?.text === message.text) return;
      if (message.user === botUserId) return;
      await handleThreadEdit(ctx.deps, ctx.inbox, client, {
        teamId,
        channelId: channel,
        threadTs: message.thread_ts,
        userId: message.user,
        ts: message.ts,
        editedTs: message.edited?.ts ?? parsed.data.event_ts ?? message.ts,
        text: message.text,
        parentIsOurs: botUserId !== undefined && message.parent_user_id === botUserId,
        acknowledge,
      });
      return;
    }
    const parsed = personMessage.safeParse(raw);
    if (!parsed.success) {
      if (looksLikeThreadReply.safeParse(raw).success) ctx.deps.logger.warn({ teamId, fields: parsed.error.issues.map((issue) => issue.path.join('.')) }, 'Ignored a malformed thread message');
      return;
    }
    const message = parsed.data;
    if (message.thread_ts === message.ts || message.user === botUserId) return;
    await handleThreadReply(ctx.deps, ctx.inbox, client, {
      teamId,
      channelId: message.channel,
      threadTs: message.thread_ts,
      userId: message.user,
      ts: message.ts,
      text: message.text,
      eventId: (body as { event_id?: string }).event_id,
      parentIsOurs: botUserId !== undefined && message.parent_user_id === botUserId,
      acknowledge,
    });
  };
}
