/**
 * Which channel an argument names and whether the bot may use it, answered
 * the way Slack answers: unknown → channel_not_found; a channel the bot is
 * not in → not_in_channel (for posting, also in public channels); a person's
 * user id → the direct-message channel with them.
 */
import type { Runtime } from '../runtime.js';
import type { WorldChannel } from '../world/types.js';
import { findChannel, findUser, imChannelFor, isMember } from '../world/world.js';

export type ChannelLookup = { channel: WorldChannel } | { error: string };

export function channelForPosting(runtime: Runtime, channelArg: string | undefined): ChannelLookup {
  if (!channelArg) return { error: 'channel_not_found' };
  const { world } = runtime;
  const channel = findChannel(world, channelArg);
  if (channel) return isMember(channel, world.bot.userId) ? { channel } : { error: 'not_in_channel' };
  const user = findUser(world, channelArg);
  if (user && !user.isBot) return { channel: imChannelFor(world, user.id, runtime.clock.nowSeconds()) };
  return { error: 'channel_not_found' };
}

/** Reading a channel: private channels the bot is not in do not exist for it. */
export function channelForReading(runtime: Runtime, channelArg: string | undefined, needMembership: boolean): ChannelLookup {
  if (!channelArg) return { error: 'channel_not_found' };
  const { world } = runtime;
  const channel = findChannel(world, channelArg);
  if (!channel) return { error: 'channel_not_found' };
  const member = isMember(channel, world.bot.userId);
  if (channel.isPrivate && !member) return { error: 'channel_not_found' };
  if (needMembership && !member) return { error: 'not_in_channel' };
  return { channel };
}

/** Remember block types the stand-in does not know, once each. */
export function noteUnknownBlockTypes(runtime: Runtime, types: string[]): string[] {
  const notes: string[] = [];
  for (const type of types) {
    notes.push(`unknown block type "${type}" passed through`);
    if (!runtime.world.unknownBlockTypes.includes(type)) runtime.world.unknownBlockTypes.push(type);
  }
  return notes;
}
