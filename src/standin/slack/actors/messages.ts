/**
 * A person writing, editing and deleting messages, and opening the app's
 * Home tab; each delivered to the app as the event Slack sends.
 */
import { randomUUID } from 'node:crypto';
import { appHomeOpenedEvent, messageChangedEvent, messageDeletedEvent, messageEvent } from '../payloads/events.js';
import { viewJson } from '../payloads/interactive.js';
import { messageJson, richTextBlocks } from '../payloads/message-json.js';
import { applyMessageChange, echoParentChanged } from '../world/bot-posts.js';
import { addMessage, findMessage, imChannelFor, isMember, removeMessage } from '../world/world.js';
import { deliverPersonEvent, observe, requireChannel, requireUser, type ActResult, type ActorContext } from './context.js';

export interface SendMessageInput {
  userId: string;
  channelId: string;
  text: string;
  /** Reply in this thread. */
  threadTs?: string;
}

export async function sendMessage(context: ActorContext, input: SendMessageInput): Promise<ActResult & { ts: string }> {
  const { runtime } = context;
  const user = requireUser(runtime, input.userId);
  const channel = requireChannel(runtime, input.channelId);
  if (!isMember(channel, user.id)) throw new Error(`${user.id} is not a member of ${channel.id} and cannot post there`);
  let threadTs = input.threadTs;
  const parent = threadTs ? findMessage(runtime.world, channel.id, threadTs) : undefined;
  if (threadTs && !parent) throw new Error(`No message ${threadTs} in ${channel.id} to reply to`);
  if (parent?.threadTs && parent.threadTs !== parent.ts) threadTs = parent.threadTs;
  const root = threadTs ? findMessage(runtime.world, channel.id, threadTs) : undefined;
  const parentBefore = root ? messageJson(runtime.render(), root) : undefined;

  const finish = observe(runtime);
  const message = addMessage(runtime.world, {
    channel: channel.id,
    ts: runtime.clock.nextTs(),
    ...(threadTs ? { threadTs } : {}),
    user: user.id,
    text: input.text,
    blocks: richTextBlocks(input.text),
    clientMsgId: randomUUID(),
    via: 'person',
  });
  runtime.changed('message');
  const delivery = await deliverPersonEvent(context, messageEvent(runtime.render(), message, channel), channel.id);
  if (threadTs && parentBefore && runtime.options.threadParentEvents) echoParentChanged(runtime, channel, threadTs, parentBefore);
  return { ...finish(delivery), ts: message.ts };
}

export interface EditMessageInput {
  userId: string;
  channelId: string;
  ts: string;
  text: string;
}

export async function editMessage(context: ActorContext, input: EditMessageInput): Promise<ActResult> {
  const { runtime } = context;
  const channel = requireChannel(runtime, input.channelId);
  const message = findMessage(runtime.world, channel.id, input.ts);
  if (!message) throw new Error(`No message ${input.ts} in ${channel.id} to edit`);
  if (message.user !== input.userId) throw new Error(`${input.userId} cannot edit ${input.ts}: ${message.user} wrote it`);
  const finish = observe(runtime);
  const eventTs = runtime.clock.nextTs();
  const { before, after } = applyMessageChange(runtime, message, {
    text: input.text,
    blocks: richTextBlocks(input.text),
    edited: { user: input.userId, ts: eventTs },
  });
  const delivery = await deliverPersonEvent(context, messageChangedEvent(channel, after, before, eventTs), channel.id);
  return finish(delivery);
}

export interface DeleteMessageInput {
  userId: string;
  channelId: string;
  ts: string;
}

export async function deleteMessage(context: ActorContext, input: DeleteMessageInput): Promise<ActResult> {
  const { runtime } = context;
  const channel = requireChannel(runtime, input.channelId);
  const message = findMessage(runtime.world, channel.id, input.ts);
  if (!message) throw new Error(`No message ${input.ts} in ${channel.id} to delete`);
  const user = requireUser(runtime, input.userId);
  if (message.user !== user.id && !user.isAdmin) throw new Error(`${user.id} cannot delete ${input.ts}: ${message.user} wrote it`);
  const finish = observe(runtime);
  const before = messageJson(runtime.render(), message);
  removeMessage(runtime.world, message);
  runtime.changed('message_deleted');
  const delivery = await deliverPersonEvent(context, messageDeletedEvent(channel, before, runtime.clock.nextTs()), channel.id);
  return finish(delivery);
}

export async function openHome(context: ActorContext, input: { userId: string }): Promise<ActResult> {
  const { runtime } = context;
  const user = requireUser(runtime, input.userId);
  const im = imChannelFor(runtime.world, user.id, runtime.clock.nowSeconds());
  const homeId = runtime.world.homeViews[user.id];
  const home = homeId ? runtime.world.views[homeId] : undefined;
  const finish = observe(runtime);
  const event = appHomeOpenedEvent(user.id, im.id, home ? viewJson(runtime.world, home) : undefined, runtime.clock.nextTs());
  const delivery = await deliverPersonEvent(context, event, im.id);
  return finish(delivery);
}
