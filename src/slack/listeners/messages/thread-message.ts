/**
 * Every `message` event. Only people's replies in threads the app started,
 * and their edits, reach the review; bot messages (this app's own included,
 * and the message_changed events its chat.update calls cause), other
 * subtypes and top-level messages are ignored.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { handleThreadEdit, handleThreadReply } from '../../../reviews/thread-input.js';
import type { ListenerContext } from '../context.js';

type Args = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/** The fields we rely on, checked: Slack's types are wider than what we accept. */
const personMessage = z.object({
  type: z.literal('message'),
  subtype: z.enum(['thread_broadcast']).optional(),
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string(),
  ts: z.string().min(1),
  thread_ts: z.string().min(1),
  parent_user_id: z.string().optional(),
  bot_id: z.undefined().optional(),
});

const changedMessage = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_changed'),
  channel: z.string().min(1),
  event_ts: z.string().optional(),
  message: z.object({
    subtype: z.undefined().optional(),
    user: z.string().min(1),
    text: z.string(),
    ts: z.string().min(1),
    thread_ts: z.string().min(1),
    bot_id: z.undefined().optional(),
    edited: z.object({ ts: z.string() }).optional(),
  }),
  previous_message: z.object({ text: z.string().optional() }).optional(),
});

export function threadMessageListener(ctx: ListenerContext) {
  return async ({ event, body, client, context }: Args): Promise<void> => {
    const teamId = context.teamId ?? (body as { team_id?: string }).team_id;
    if (!teamId) return;
    const raw = event as unknown as Record<string, unknown>;
    if (raw.subtype === 'message_changed') {
      const parsed = changedMessage.safeParse(raw);
      if (!parsed.success) return;
      const { message, previous_message: previous, channel } = parsed.data;
      // A thread parent's reply count changing, or an unfurl: not an edit of an answer.
      if (message.thread_ts === message.ts || previous?.text === message.text) return;
      if (message.user === ctx.botUserId) return;
      await handleThreadEdit(ctx.deps, ctx.inbox, client, {
        teamId,
        channelId: channel,
        threadTs: message.thread_ts,
        userId: message.user,
        ts: message.ts,
        editedTs: message.edited?.ts ?? parsed.data.event_ts ?? message.ts,
        text: message.text,
      });
      return;
    }
    const parsed = personMessage.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.thread_ts === message.ts || message.user === ctx.botUserId) return;
    await handleThreadReply(ctx.deps, ctx.inbox, client, {
      teamId,
      channelId: message.channel,
      threadTs: message.thread_ts,
      userId: message.user,
      ts: message.ts,
      text: message.text,
      eventId: (body as { event_id?: string }).event_id,
      parentIsOurs: ctx.botUserId !== undefined && message.parent_user_id === ctx.botUserId,
    });
  };
}
