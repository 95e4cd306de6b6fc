/**
 * chat.* methods: postMessage, update, postEphemeral, delete, getPermalink.
 */
import { checkBlocks, checkMessageText } from '../blocks/limits.js';
import { normalizeBlocks } from '../blocks/normalize.js';
import { messageJson } from '../payloads/message-json.js';
import type { Runtime } from '../runtime.js';
import { deleteBotMessage, postBotMessage, updateBotMessage } from '../world/bot-posts.js';
import { addEphemeral, findMessage, findUser, isMember } from '../world/world.js';
import { channelForPosting, channelForReading, noteUnknownBlockTypes } from './access.js';
import { boolArg, fail, failWithMessages, jsonArg, ok, stringArg, type Args, type MethodAnswer, type MethodHandler } from './method.js';

type ReadBlocks = { blocks?: unknown[]; notes: string[] } | { refusal: MethodAnswer };

/** The blocks argument, checked against Block Kit limits, ids filled in. */
export function readMessageBlocks(runtime: Runtime, args: Args): ReadBlocks {
  const parsed = jsonArg(args, 'blocks');
  if (parsed === undefined) return { notes: [] };
  if ('invalid' in parsed) return { refusal: fail('invalid_blocks_format') };
  const check = checkBlocks(parsed.value, 'message');
  if (check.error) return { refusal: failWithMessages(check.error, check.messages) };
  return { blocks: normalizeBlocks(parsed.value as unknown[]), notes: noteUnknownBlockTypes(runtime, check.unknownTypes) };
}

function hasContent(text: string | undefined, blocks: unknown[] | undefined, args: Args): boolean {
  return (text !== undefined && text !== '') || (blocks !== undefined && blocks.length > 0) || args.attachments !== undefined;
}

type ReadContent = { text?: string; blocks?: unknown[]; notes: string[] } | { refusal: MethodAnswer };

/**
 * A message's text and blocks, checked as Slack checks them. A new message
 * needs something to show; chat.update only needs one of the two given
 * (an empty text with blocks replaces the text).
 */
function readMessageContent(runtime: Runtime, args: Args, rule: 'new' | 'update'): ReadContent {
  const text = stringArg(args, 'text');
  const read = readMessageBlocks(runtime, args);
  if ('refusal' in read) return read;
  const present = rule === 'new' ? hasContent(text, read.blocks, args) : text !== undefined || read.blocks !== undefined;
  if (!present) return { refusal: fail('no_text') };
  const tooLong = checkMessageText(text);
  if (tooLong) return { refusal: fail(tooLong) };
  return { text, blocks: read.blocks, notes: read.notes };
}

export const postMessage: MethodHandler = (runtime, args) => {
  const lookup = channelForPosting(runtime, stringArg(args, 'channel'));
  if ('error' in lookup) return fail(lookup.error);
  const read = readMessageContent(runtime, args, 'new');
  if ('refusal' in read) return read.refusal;
  const text = read.text;
  const notes = [...read.notes];
  let threadTs = stringArg(args, 'thread_ts') || undefined;
  if (threadTs) {
    const parent = findMessage(runtime.world, lookup.channel.id, threadTs);
    // Replying to a reply lands in the same thread, as in Slack.
    if (parent?.threadTs && parent.threadTs !== parent.ts) threadTs = parent.threadTs;
    if (!parent) notes.push(`thread_ts ${threadTs} matches no message in ${lookup.channel.id}`);
  }
  const metadata = jsonArg(args, 'metadata');
  const message = postBotMessage(runtime, {
    channel: lookup.channel,
    text: text ?? '',
    ...(read.blocks ? { blocks: read.blocks } : {}),
    ...(threadTs ? { threadTs } : {}),
    ...(boolArg(args, 'reply_broadcast') ? { broadcast: true } : {}),
    ...(metadata && 'value' in metadata ? { metadata: metadata.value } : {}),
    via: 'web_api',
  });
  return ok({ channel: lookup.channel.id, ts: message.ts, message: messageJson(runtime.render(), message) }, notes);
};

export const update: MethodHandler = (runtime, args) => {
  const lookup = channelForReading(runtime, stringArg(args, 'channel'), false);
  if ('error' in lookup) return fail(lookup.error);
  const message = findMessage(runtime.world, lookup.channel.id, stringArg(args, 'ts') ?? '');
  if (!message) return fail('message_not_found');
  if (message.botId !== runtime.world.bot.botId) return fail('cant_update_message');
  const read = readMessageContent(runtime, args, 'update');
  if ('refusal' in read) return read.refusal;
  const text = read.text;
  const metadata = jsonArg(args, 'metadata');
  updateBotMessage(runtime, lookup.channel, message, {
    ...(text !== undefined ? { text } : {}),
    // Without a blocks argument Slack keeps the message's blocks.
    ...(read.blocks ? { blocks: read.blocks } : {}),
    edited: { user: runtime.world.bot.userId, ts: runtime.clock.nextTs() },
    ...(metadata && 'value' in metadata ? { metadata: metadata.value } : {}),
  });
  return ok(
    { channel: lookup.channel.id, ts: message.ts, text: message.text, message: messageJson(runtime.render(), message) },
    read.notes,
  );
};

export const postEphemeral: MethodHandler = (runtime, args) => {
  const lookup = channelForPosting(runtime, stringArg(args, 'channel'));
  if ('error' in lookup) return fail(lookup.error);
  const userId = stringArg(args, 'user');
  const user = userId ? findUser(runtime.world, userId) : undefined;
  if (!user) return fail('user_not_found');
  if (!isMember(lookup.channel, user.id)) return fail('user_not_in_channel');
  const read = readMessageContent(runtime, args, 'new');
  if ('refusal' in read) return read.refusal;
  const text = read.text;
  const threadTs = stringArg(args, 'thread_ts') || undefined;
  const ephemeral = addEphemeral(runtime.world, {
    userId: user.id,
    channel: lookup.channel.id,
    ts: runtime.clock.nextTs(),
    ...(threadTs ? { threadTs } : {}),
    text: text ?? '',
    ...(read.blocks ? { blocks: read.blocks } : {}),
    via: 'web_api',
  });
  runtime.changed('ephemeral');
  return ok({ message_ts: ephemeral.ts }, read.notes);
};

export const deleteMessage: MethodHandler = (runtime, args) => {
  const lookup = channelForReading(runtime, stringArg(args, 'channel'), false);
  if ('error' in lookup) return fail(lookup.error);
  const message = findMessage(runtime.world, lookup.channel.id, stringArg(args, 'ts') ?? '');
  if (!message) return fail('message_not_found');
  if (message.botId !== runtime.world.bot.botId) return fail('cant_delete_message');
  deleteBotMessage(runtime, lookup.channel, message);
  return ok({ channel: lookup.channel.id, ts: message.ts });
};

export const getPermalink: MethodHandler = (runtime, args) => {
  const lookup = channelForReading(runtime, stringArg(args, 'channel'), false);
  if ('error' in lookup) return fail(lookup.error);
  const message = findMessage(runtime.world, lookup.channel.id, stringArg(args, 'message_ts') ?? '');
  if (!message) return fail('message_not_found');
  let permalink = `${runtime.baseUrl()}archives/${lookup.channel.id}/p${message.ts.replace('.', '')}`;
  if (message.threadTs && message.threadTs !== message.ts) {
    permalink += `?thread_ts=${message.threadTs}&cid=${lookup.channel.id}`;
  }
  return ok({ channel: lookup.channel.id, permalink });
};
