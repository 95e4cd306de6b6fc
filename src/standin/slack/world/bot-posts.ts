/**
 * Changes the app makes to channel messages (post, update, delete), applied
 * to the world and, like Slack with message.channels subscribed, echoed back
 * to the app as events: its own message (fixture 08), message_changed with
 * its message nested, message_changed on a thread parent (fixture 10) and
 * message_deleted. Echoes are switchable with `echoBotEvents`.
 */
import { messageChangedEvent, messageDeletedEvent, messageEvent } from '../payloads/events.js';
import { messageJson, type Json } from '../payloads/message-json.js';
import type { Runtime } from '../runtime.js';
import type { WorldChannel, WorldMessage } from './types.js';
import { addMessage, findMessage, keepStateOfBlocks, removeMessage } from './world.js';

export interface NewBotMessage {
  channel: WorldChannel;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  broadcast?: boolean;
  metadata?: unknown;
  files?: string[];
  subtype?: string;
  via: WorldMessage['via'];
}

/** The thread parent as rendered now, to compare before and after a reply. */
function parentSnapshot(runtime: Runtime, channelId: string, threadTs: string | undefined): Json | undefined {
  if (!threadTs) return undefined;
  const parent = findMessage(runtime.world, channelId, threadTs);
  return parent ? messageJson(runtime.render(), parent) : undefined;
}

/** After a reply was added: tell the app its thread parent changed (reply_count etc.). */
export function echoParentChanged(runtime: Runtime, channel: WorldChannel, threadTs: string, before: Json): void {
  const parent = findMessage(runtime.world, channel.id, threadTs);
  if (!parent) return;
  const after = messageJson(runtime.render(), parent);
  runtime.echo(messageChangedEvent(channel, after, before, runtime.clock.nextTs()), channel.id);
}

export function postBotMessage(runtime: Runtime, input: NewBotMessage): WorldMessage {
  const { world } = runtime;
  const parentBefore = parentSnapshot(runtime, input.channel.id, input.threadTs);
  const message = addMessage(world, {
    channel: input.channel.id,
    ts: runtime.clock.nextTs(),
    ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    user: world.bot.userId,
    botId: world.bot.botId,
    text: input.text,
    ...(input.blocks ? { blocks: input.blocks } : {}),
    ...(input.subtype ? { subtype: input.subtype } : {}),
    ...(input.files ? { files: input.files } : {}),
    ...(input.broadcast ? { broadcast: true } : {}),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
    via: input.via,
  });
  runtime.changed('message');
  if (runtime.options.echoBotEvents) {
    runtime.echo(messageEvent(runtime.render(), message, input.channel), input.channel.id);
    if (parentBefore && input.threadTs) echoParentChanged(runtime, input.channel, input.threadTs, parentBefore);
  }
  return message;
}

export interface MessageChange {
  text?: string;
  blocks?: unknown[];
  edited?: { user: string; ts: string };
  metadata?: unknown;
}

/** Apply an edit and return the before/after renderings (for the caller's event). */
export function applyMessageChange(runtime: Runtime, message: WorldMessage, change: MessageChange): { before: Json; after: Json } {
  const before = messageJson(runtime.render(), message);
  if (change.text !== undefined) message.text = change.text;
  if (change.blocks !== undefined) {
    message.blocks = change.blocks;
    for (const userId of Object.keys(message.state)) {
      message.state[userId] = keepStateOfBlocks(message.state[userId] ?? {}, change.blocks);
    }
  }
  if (change.edited) message.edited = change.edited;
  if (change.metadata !== undefined) message.metadata = change.metadata;
  runtime.changed('message_changed');
  return { before, after: messageJson(runtime.render(), message) };
}

export function updateBotMessage(runtime: Runtime, channel: WorldChannel, message: WorldMessage, change: MessageChange): WorldMessage {
  const { before, after } = applyMessageChange(runtime, message, change);
  if (runtime.options.echoBotEvents) {
    runtime.echo(messageChangedEvent(channel, after, before, runtime.clock.nextTs()), channel.id);
  }
  return message;
}

export function deleteBotMessage(runtime: Runtime, channel: WorldChannel, message: WorldMessage): void {
  const before = messageJson(runtime.render(), message);
  removeMessage(runtime.world, message);
  runtime.changed('message_deleted');
  if (runtime.options.echoBotEvents) {
    runtime.echo(messageDeletedEvent(channel, before, runtime.clock.nextTs()), channel.id);
  }
}
