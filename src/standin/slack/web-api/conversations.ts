/**
 * conversations.* methods: join, info, members, history, replies, open.
 */
import { messageJson } from '../payloads/message-json.js';
import type { Runtime } from '../runtime.js';
import type { WorldChannel } from '../world/types.js';
import { findChannel, findMessage, findUser, imChannelFor, isMember, threadReplies } from '../world/world.js';
import { channelForReading } from './access.js';
import { boolArg, fail, ok, page, stringArg, type Args, type MethodHandler } from './method.js';

function channelJson(runtime: Runtime, channel: WorldChannel): Record<string, unknown> {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate && !channel.isIm,
    is_group: channel.isPrivate && !channel.isIm,
    is_im: channel.isIm,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: false,
    is_general: channel.name === 'general',
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_member: isMember(channel, runtime.world.bot.userId),
    name_normalized: channel.name,
    num_members: channel.members.length,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    ...(channel.isIm ? { user: channel.members.find((id) => id !== runtime.world.bot.userId) } : {}),
  };
}

export const join: MethodHandler = (runtime, args) => {
  const channel = findChannel(runtime.world, stringArg(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  if (channel.isPrivate) return fail('method_not_supported_for_channel_type');
  const botUserId = runtime.world.bot.userId;
  if (isMember(channel, botUserId)) {
    return ok({ channel: channelJson(runtime, channel), warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } });
  }
  channel.members.push(botUserId);
  runtime.changed('channel_joined');
  return ok({ channel: channelJson(runtime, channel) });
};

export const info: MethodHandler = (runtime, args) => {
  const lookup = channelForReading(runtime, stringArg(args, 'channel'), false);
  if ('error' in lookup) return fail(lookup.error);
  return ok({ channel: channelJson(runtime, lookup.channel) });
};

export const members: MethodHandler = (runtime, args) => {
  const lookup = channelForReading(runtime, stringArg(args, 'channel'), false);
  if ('error' in lookup) return fail(lookup.error);
  const result = page(lookup.channel.members, args, 100);
  return ok({ members: result.items, response_metadata: { next_cursor: result.nextCursor } });
};

/** The oldest/latest/inclusive arguments of history and replies, as a test of a message's ts. */
function tsRange(args: Args): (ts: string) => boolean {
  const oldest = Number(stringArg(args, 'oldest') ?? '0');
  const latest = Number(stringArg(args, 'latest') ?? 'Infinity');
  const inclusive = boolArg(args, 'inclusive');
  return (ts: string) => {
    const value = Number(ts);
    return inclusive ? value >= oldest && value <= latest : value > oldest && value < latest;
  };
}

export const history: MethodHandler = (runtime, args) => {
  const lookup = channelForReading(runtime, stringArg(args, 'channel'), true);
  if ('error' in lookup) return fail(lookup.error);
  const inRange = tsRange(args);
  const metadata = boolArg(args, 'include_all_metadata');
  // The channel's own timeline: top-level messages and broadcast replies, newest first.
  const timeline = runtime.world.messages
    .filter((message) => message.channel === lookup.channel.id)
    .filter((message) => !message.threadTs || message.threadTs === message.ts || message.broadcast)
    .filter((message) => inRange(message.ts))
    .reverse();
  const result = page(timeline, args, 100);
  return ok({
    messages: result.items.map((message) => messageJson(runtime.render(), message, { metadata })),
    has_more: result.hasMore,
    pin_count: 0,
    response_metadata: { next_cursor: result.nextCursor },
  });
};

export const replies: MethodHandler = (runtime, args) => {
  const lookup = channelForReading(runtime, stringArg(args, 'channel'), true);
  if ('error' in lookup) return fail(lookup.error);
  const message = findMessage(runtime.world, lookup.channel.id, stringArg(args, 'ts') ?? '');
  if (!message) return fail('thread_not_found');
  const parentTs = message.threadTs ?? message.ts;
  const parent = findMessage(runtime.world, lookup.channel.id, parentTs);
  // The parent comes first whatever the range asked for; only the replies are kept to it.
  const inRange = tsRange(args);
  const thread = [...(parent ? [parent] : []), ...threadReplies(runtime.world, lookup.channel.id, parentTs).filter((reply) => inRange(reply.ts))];
  const result = page(thread, args, 1000);
  const metadata = boolArg(args, 'include_all_metadata');
  return ok({
    messages: result.items.map((item) => messageJson(runtime.render(), item, { metadata })),
    has_more: result.hasMore,
    response_metadata: { next_cursor: result.nextCursor },
  });
};

/** A direct-message channel with one person (group DMs are not modelled). */
export const open: MethodHandler = (runtime, args) => {
  const ids = (stringArg(args, 'users') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length !== 1) return fail(ids.length === 0 ? 'users_list_not_supplied' : 'not_enough_users');
  const user = findUser(runtime.world, ids[0]!);
  if (!user || user.isBot) return fail('user_not_found');
  const existed = runtime.world.channels.some((channel) => channel.isIm && channel.members.includes(user.id));
  const channel = imChannelFor(runtime.world, user.id, runtime.clock.nowSeconds());
  if (!existed) runtime.changed('im_opened');
  return ok({ channel: boolArg(args, 'return_im') ? channelJson(runtime, channel) : { id: channel.id }, ...(existed ? { already_open: true } : {}) });
};
