/**
 * Questions the page asks of the stand-in's world (its snapshot JSON):
 * which channels a person sees, a channel's messages, a thread, what only
 * this person sees, their open modal and Home tab. Pure functions.
 */

/** Slack ts strings compare as numbers. */
export function compareTs(a, b) {
  return Number(a) - Number(b);
}

export function userById(world, id) {
  return world.users.find((user) => user.id === id);
}

export function channelById(world, id) {
  return world.channels.find((channel) => channel.id === id);
}

/** A person's direct-message channel with the app: Slack's "D" + the user id without its "U". */
export function dmChannelId(userId) {
  return `D${userId.replace(/^U/, '')}`;
}

/** Channels the person is in (not direct messages), public first then private, by name. */
export function channelsFor(world, me) {
  return world.channels
    .filter((channel) => !channel.isIm && channel.members.includes(me))
    .sort((a, b) => Number(a.isPrivate) - Number(b.isPrivate) || a.name.localeCompare(b.name));
}

/** The people (not bots) of the workspace. */
export function people(world) {
  return world.users.filter((user) => !user.isBot);
}

function isTopLevel(message) {
  return !message.threadTs || message.threadTs === message.ts || message.broadcast === true;
}

/** What a channel shows: top-level messages and replies also sent to the channel. */
export function channelMessages(world, channelId) {
  return world.messages.filter((message) => message.channel === channelId && isTopLevel(message));
}

export function findMessage(world, channelId, ts) {
  return world.messages.find((message) => message.channel === channelId && message.ts === ts);
}

/** A thread: its parent and its replies in order. */
export function threadMessages(world, channelId, threadTs) {
  const parent = findMessage(world, channelId, threadTs);
  const replies = world.messages.filter((message) => message.channel === channelId && message.threadTs === threadTs && message.ts !== threadTs);
  return { parent, replies };
}

/** Reply count and who replied, for the "3 replies" line under a parent. */
export function replySummary(world, channelId, ts) {
  const replies = world.messages.filter((message) => message.channel === channelId && message.threadTs === ts && message.ts !== ts);
  if (replies.length === 0) return null;
  return { count: replies.length, users: [...new Set(replies.map((reply) => reply.user))], latestTs: replies[replies.length - 1].ts };
}

/** Ephemerals only this person sees, in a channel (threadTs undefined) or in one thread. */
export function ephemeralsFor(world, me, channelId, threadTs) {
  return world.ephemerals.filter(
    (ephemeral) => ephemeral.userId === me && ephemeral.channel === channelId && (threadTs === undefined ? !ephemeral.threadTs : ephemeral.threadTs === threadTs),
  );
}

/** Messages and ephemerals together, in the order they appeared. */
export function interleave(messages, ephemerals) {
  return [...messages.map((item) => ({ kind: 'message', item })), ...ephemerals.map((item) => ({ kind: 'ephemeral', item }))].sort((a, b) => a.item.seq - b.item.seq);
}

/** The modal on top of the person's stack, if any. */
export function topModal(world, me) {
  const stack = world.modalStacks[me] ?? [];
  const id = stack[stack.length - 1];
  const view = id ? world.views[id] : undefined;
  return view && !view.closed ? view : undefined;
}

export function homeView(world, me) {
  const id = world.homeViews[me];
  return id ? world.views[id] : undefined;
}

/**
 * The values of a Slack state (block_id → action_id → value object) as plain
 * values: one string, several, or null for an empty choice.
 */
export function plainStateValue(value) {
  if (!value || typeof value !== 'object') return undefined;
  if ('selected_option' in value) return value.selected_option ? value.selected_option.value : null;
  if ('selected_options' in value) return (value.selected_options ?? []).map((option) => option.value);
  for (const key of ['selected_users', 'selected_conversations', 'selected_channels']) if (key in value) return value[key] ?? [];
  for (const key of ['selected_user', 'selected_conversation', 'selected_channel', 'selected_date', 'selected_time', 'value']) if (key in value) return value[key];
  return undefined;
}

/** Whether a channel id is a direct message with the app (Slack's "D…"), whether or not the world lists it yet. */
export function isDirectMessage(world, channelId) {
  return channelById(world, channelId)?.isIm === true || channelId.startsWith('D');
}

/**
 * The first bot message at the top of a channel after `seq`: the root of a
 * review someone just started. The app's direct messages (an export's files,
 * a note that a review was deleted) are never one: Slack does not take the
 * person to the app's Messages tab when one arrives, it marks the tab unread.
 */
export function newRootAfter(world, seq, botUserId) {
  return world.messages.find((message) => message.seq > seq && message.user === botUserId && isTopLevel(message) && !message.threadTs && !isDirectMessage(world, message.channel));
}

/** The app's messages in the person's direct message with it after `seq` (top level and in threads): what the sidebar counts as unread. */
export function appMessagesAfter(world, me, seq) {
  const dm = dmChannelId(me);
  return world.messages.filter((message) => message.channel === dm && message.seq > seq && message.user === world.bot.userId);
}

/** The latest seq of the person's direct message with the app, or 0. */
export function latestAppMessageSeq(world, me) {
  const dm = dmChannelId(me);
  return world.messages.reduce((latest, message) => (message.channel === dm && message.seq > latest ? message.seq : latest), 0);
}

/**
 * A person's message as they would see it in the editor: entities decoded,
 * mentions back to @name and #channel.
 */
export function editableText(world, text) {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (whole, id) => {
      const user = userById(world, id);
      return user ? `@${user.name}` : whole;
    })
    .replace(/<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>/g, (whole, id) => {
      const channel = channelById(world, id);
      return channel ? `#${channel.name}` : whole;
    })
    .replace(/&(amp|lt|gt);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>' })[name]);
}
