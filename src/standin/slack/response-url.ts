/**
 * Messages the app sends back through a response_url (or in the body of a
 * slash command's acknowledgement): an ephemeral for the person by default,
 * a channel message with response_type "in_channel", or a replacement or
 * deletion of the message the interaction came from.
 */
import { checkBlocks, checkMessageText } from './blocks/limits.js';
import { normalizeBlocks } from './blocks/normalize.js';
import type { Json } from './payloads/message-json.js';
import type { ResponseUrlTarget, Runtime } from './runtime.js';
import { deleteBotMessage, postBotMessage, updateBotMessage } from './world/bot-posts.js';
import { addEphemeral, findChannel, findEphemeral, findMessage, keepStateOfBlocks, removeEphemeral } from './world/world.js';

/** Slack lets a response_url be used five times. */
export const RESPONSE_URL_USES = 5;

export interface ResponseOutcome {
  status: number;
  body: Json;
}

function refused(error: string, messages: string[] = []): ResponseOutcome {
  return { status: 400, body: { ok: false, error, ...(messages.length > 0 ? { response_metadata: { messages } } : {}) } };
}

export function applyResponseMessage(runtime: Runtime, target: ResponseUrlTarget, message: Json): ResponseOutcome {
  const { world } = runtime;
  const channel = findChannel(world, target.channelId);
  if (!channel) return refused('channel_not_found');
  const original =
    target.messageTs === undefined
      ? undefined
      : target.source === 'ephemeral'
        ? findEphemeral(world, channel.id, target.messageTs, target.userId)
        : findMessage(world, channel.id, target.messageTs);

  if (message.delete_original === true || message.delete_original === 'true') {
    if (!original) return refused('message_not_found');
    if ('userId' in original) {
      removeEphemeral(world, original);
      runtime.changed('ephemeral_deleted');
    } else deleteBotMessage(runtime, channel, original);
    return { status: 200, body: { ok: true } };
  }

  const text = typeof message.text === 'string' ? message.text : '';
  if (checkMessageText(text)) return refused('msg_too_long');
  let blocks: unknown[] | undefined;
  if (message.blocks !== undefined) {
    const check = checkBlocks(message.blocks, 'message');
    if (check.error) return refused(check.error, check.messages);
    blocks = normalizeBlocks(message.blocks as unknown[]);
  }
  if (text === '' && !blocks) return refused('no_text');

  if ((message.replace_original === true || message.replace_original === 'true') && original) {
    if ('userId' in original) {
      original.text = text;
      original.blocks = blocks;
      original.state = keepStateOfBlocks(original.state, blocks);
      runtime.changed('ephemeral_replaced');
    } else {
      updateBotMessage(runtime, channel, original, { text, ...(blocks ? { blocks } : {}) });
    }
    return { status: 200, body: { ok: true } };
  }

  const threadTs = typeof message.thread_ts === 'string' ? message.thread_ts : target.threadTs;
  if (message.response_type === 'in_channel') {
    postBotMessage(runtime, {
      channel,
      text,
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
      via: 'response_url',
    });
  } else {
    addEphemeral(world, {
      userId: target.userId,
      channel: channel.id,
      ts: runtime.clock.nextTs(),
      ...(threadTs ? { threadTs } : {}),
      text,
      ...(blocks ? { blocks } : {}),
      via: 'response_url',
    });
    runtime.changed('ephemeral');
  }
  return { status: 200, body: { ok: true } };
}

/** A POST to a response URL the stand-in handed out. */
export function postToResponseUrl(runtime: Runtime, id: string, message: Json): ResponseOutcome {
  const target = runtime.responseUrls.get(id);
  if (!target) return { status: 404, body: { ok: false, error: 'invalid_url' } };
  if (target.uses >= RESPONSE_URL_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
  target.uses += 1;
  return applyResponseMessage(runtime, target, message);
}
