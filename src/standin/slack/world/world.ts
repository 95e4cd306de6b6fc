/**
 * Building the world from the options and the small look-ups and changes
 * every part of the stand-in needs. Functions take the world as an argument
 * so the data stays plain JSON.
 */
import type { ResolvedOptions } from '../options.js';
import { indexedMessage, indexedThread } from './message-index.js';
import type { World, WorldChannel, WorldEphemeral, WorldMessage, WorldUser } from './types.js';

export function createWorld(options: ResolvedOptions, createdSeconds: number): World {
  const users: WorldUser[] = options.users.map((user) => ({
    id: user.id,
    name: user.name,
    realName: user.realName ?? user.name,
    isAdmin: user.isAdmin ?? false,
    isOwner: user.isOwner ?? false,
    isBot: false,
  }));
  users.push({
    id: options.botUserId,
    name: options.botName,
    realName: options.botName,
    isAdmin: false,
    isOwner: false,
    isBot: true,
  });
  const channels: WorldChannel[] = options.channels.map((channel) => ({
    id: channel.id,
    name: channel.name,
    isPrivate: channel.isPrivate ?? false,
    isIm: false,
    members: [...channel.members],
    created: createdSeconds,
  }));
  return worldOf({
    team: {
      id: options.teamId,
      domain: options.teamDomain,
      name: options.teamName,
      ...(options.enterpriseId ? { enterpriseId: options.enterpriseId } : {}),
    },
    bot: { userId: options.botUserId, botId: options.botId, appId: options.appId, name: options.botName },
    users,
    channels,
  });
}

/** A world with these people and channels and nothing yet said or opened in it. */
export function worldOf(identity: Pick<World, 'team' | 'bot' | 'users' | 'channels'>): World {
  return {
    ...identity,
    messages: [],
    ephemerals: [],
    views: {},
    modalStacks: {},
    homeViews: {},
    files: [],
    triggers: {},
    unknownBlockTypes: [],
    seq: 0,
  };
}

export function findUser(world: World, id: string): WorldUser | undefined {
  return world.users.find((user) => user.id === id);
}

/** A channel by id, or by name with or without '#', as chat.postMessage accepts. */
export function findChannel(world: World, idOrName: string): WorldChannel | undefined {
  const name = idOrName.startsWith('#') ? idOrName.slice(1) : idOrName;
  return world.channels.find((channel) => channel.id === idOrName || (!channel.isIm && channel.name === name));
}

/** The direct-message channel between a person and the bot, made on first use like Slack's. */
export function imChannelFor(world: World, userId: string, createdSeconds: number): WorldChannel {
  const existing = world.channels.find((channel) => channel.isIm && channel.members.includes(userId));
  if (existing) return existing;
  const channel: WorldChannel = {
    id: `D${userId.replace(/^[UW]/, '')}`,
    name: userId,
    isPrivate: true,
    isIm: true,
    members: [userId, world.bot.userId],
    created: createdSeconds,
  };
  world.channels.push(channel);
  return channel;
}

export function isMember(channel: WorldChannel, userId: string): boolean {
  return channel.members.includes(userId);
}

/** The channel_type Slack puts on message events. */
export function channelType(channel: WorldChannel): 'channel' | 'group' | 'im' {
  if (channel.isIm) return 'im';
  return channel.isPrivate ? 'group' : 'channel';
}

export function findMessage(world: World, channelId: string, ts: string): WorldMessage | undefined {
  return indexedMessage(world, channelId, ts);
}

export function findEphemeral(world: World, channelId: string, ts: string, userId?: string): WorldEphemeral | undefined {
  return world.ephemerals.find(
    (ephemeral) => ephemeral.channel === channelId && ephemeral.ts === ts && (!userId || ephemeral.userId === userId),
  );
}

/** Replies of a thread, oldest first (the parent not included). */
export function threadReplies(world: World, channelId: string, parentTs: string): WorldMessage[] {
  return indexedThread(world, channelId, parentTs).filter((message) => message.ts !== parentTs);
}

export function addMessage(world: World, message: Omit<WorldMessage, 'seq' | 'state'>): WorldMessage {
  world.seq += 1;
  const stored: WorldMessage = { ...message, seq: world.seq, state: {} };
  world.messages.push(stored);
  return stored;
}

export function addEphemeral(world: World, ephemeral: Omit<WorldEphemeral, 'seq' | 'state'>): WorldEphemeral {
  world.seq += 1;
  const stored: WorldEphemeral = { ...ephemeral, seq: world.seq, state: {} };
  world.ephemerals.push(stored);
  return stored;
}

export function removeMessage(world: World, message: WorldMessage): void {
  const index = world.messages.indexOf(message);
  if (index >= 0) world.messages.splice(index, 1);
}

export function removeEphemeral(world: World, ephemeral: WorldEphemeral): void {
  const index = world.ephemerals.indexOf(ephemeral);
  if (index >= 0) world.ephemerals.splice(index, 1);
}

/** Drop remembered input state for blocks that are no longer on the surface (Slack resets those). */
export function keepStateOfBlocks<T extends Record<string, unknown>>(state: T, blocks: unknown[] | undefined): T {
  const present = new Set(
    (blocks ?? []).map((block) => (block as { block_id?: unknown }).block_id).filter((id) => typeof id === 'string'),
  );
  const kept: Record<string, unknown> = {};
  for (const [blockId, value] of Object.entries(state)) if (present.has(blockId)) kept[blockId] = value;
  return kept as T;
}
