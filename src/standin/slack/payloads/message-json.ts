/**
 * How Slack renders a stored message on the wire: in Web API answers
 * (chat.postMessage, conversations.history), in events and in interactive
 * payloads. One renderer keeps all of those consistent.
 */
import { randomToken } from '../world/clock.js';
import type { World, WorldFile, WorldMessage } from '../world/types.js';
import { findMessage, threadReplies } from '../world/world.js';

export type Json = Record<string, unknown>;

export function botProfile(world: World, updatedSeconds: number, baseUrl: string): Json {
  return {
    id: world.bot.botId,
    deleted: false,
    name: world.bot.name,
    updated: updatedSeconds,
    app_id: world.bot.appId,
    icons: {
      image_36: `${baseUrl}icons/bot_36.png`,
      image_48: `${baseUrl}icons/bot_48.png`,
      image_72: `${baseUrl}icons/bot_72.png`,
    },
    team_id: world.team.id,
  };
}

/** The rich_text block Slack's clients attach to what a person types. */
export function richTextBlocks(text: string): unknown[] {
  return [
    {
      type: 'rich_text',
      block_id: randomToken(5),
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ];
}

export function fileJson(world: World, file: WorldFile, baseUrl: string): Json {
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: 'text/plain',
    filetype: 'text',
    pretty_type: 'Plain Text',
    user: file.userId,
    user_team: world.team.id,
    editable: false,
    size: file.bytes,
    mode: 'hosted',
    is_external: false,
    is_public: true,
    url_private: `${baseUrl}files/${file.id}`,
    url_private_download: `${baseUrl}files/${file.id}?download=1`,
    permalink: `${baseUrl}files/${file.id}`,
  };
}

/** Reply metadata Slack puts on a thread parent. */
export function threadSummary(world: World, message: WorldMessage): Json | undefined {
  const replies = threadReplies(world, message.channel, message.ts);
  if (replies.length === 0) return undefined;
  const replyUsers = [...new Set(replies.map((reply) => reply.user))];
  return {
    thread_ts: message.ts,
    reply_count: replies.length,
    reply_users_count: replyUsers.length,
    latest_reply: replies[replies.length - 1]!.ts,
    reply_users: replyUsers,
    is_locked: false,
  };
}

export interface RenderContext {
  world: World;
  baseUrl: string;
}

/**
 * `metadata: false` leaves out a message's metadata, as conversations.history
 * and conversations.replies do unless asked for it (include_all_metadata).
 */
export function messageJson(context: RenderContext, message: WorldMessage, options: { metadata?: boolean } = {}): Json {
  const { world } = context;
  const json: Json = { type: 'message' };
  if (message.subtype) json.subtype = message.subtype;
  json.text = message.text;
  json.user = message.user;
  json.ts = message.ts;
  json.team = world.team.id;
  if (message.botId) {
    json.bot_id = message.botId;
    json.app_id = world.bot.appId;
    json.bot_profile = botProfile(world, Number.parseInt(message.ts, 10), context.baseUrl);
  }
  if (message.clientMsgId) json.client_msg_id = message.clientMsgId;
  if (message.blocks) json.blocks = message.blocks;
  if (message.edited) json.edited = message.edited;
  if (message.metadata !== undefined && options.metadata !== false) json.metadata = message.metadata;
  if (message.files) {
    json.files = message.files
      .map((id) => world.files.find((file) => file.id === id))
      .filter((file): file is WorldFile => file !== undefined)
      .map((file) => fileJson(world, file, context.baseUrl));
    json.upload = true;
  }
  if (message.threadTs && message.threadTs !== message.ts) {
    json.thread_ts = message.threadTs;
    const parent = findMessage(world, message.channel, message.threadTs);
    if (parent) json.parent_user_id = parent.user;
  } else {
    Object.assign(json, threadSummary(world, message) ?? {});
  }
  return json;
}
