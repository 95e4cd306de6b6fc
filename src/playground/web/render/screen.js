/**
 * The page as a function of the world and the page's own state: sidebar,
 * channel, thread, the app's Home tab, and the open modal. Pure: app.js
 * mounts what these return and reads the data-* attributes back when the
 * person clicks or types.
 */
import { blocks } from './blocks.js';
import { mrkdwn } from './mrkdwn.js';
import { plainWords } from './text-objects.js';
import { h } from './vnode.js';
import {
  appMessagesAfter,
  channelById,
  channelMessages,
  channelsFor,
  dmChannelId,
  ephemeralsFor,
  homeView,
  interleave,
  isDirectMessage,
  people,
  plainStateValue,
  replySummary,
  threadMessages,
  topModal,
  userById,
} from './world-view.js';

/** HH:MM in the viewer's time zone. */
export function formatTime(ts) {
  const date = new Date(Number(ts) * 1000);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function nameOf(world, id) {
  if (id === world.bot.userId) return 'Alignment Review';
  const user = userById(world, id);
  return user ? user.realName || user.name : id;
}

const AVATAR_COLOURS = ['#4a154b', '#1264a3', '#2bac76', '#e8912d', '#e01e5a', '#36c5f0', '#6b5b95', '#b5651d'];

function avatar(world, id) {
  if (id === world.bot.userId) return h('div', { class: 'avatar avatar-bot', 'aria-hidden': 'true' }, 'AR');
  const name = nameOf(world, id);
  const initials = name.split(/\s+/).map((part) => part[0] ?? '').join('').slice(0, 2).toUpperCase();
  const colour = [...id].reduce((sum, char) => sum + char.charCodeAt(0), 0) % AVATAR_COLOURS.length;
  return h('div', { class: `avatar avatar-c${colour}`, 'aria-hidden': 'true' }, initials);
}

/** What the mrkdwn and block renderers need to know about the workspace and the surface. */
export function blockContext(world, ui, surface) {
  const current = (blockId, actionId) => {
    if (surface.kind === 'view') {
      const draft = ui.drafts?.[surface.view.id]?.[`${blockId}/${actionId}`];
      if (draft !== undefined) return draft;
      return plainStateValue(surface.view.state?.[blockId]?.[actionId]);
    }
    const state = surface.kind === 'message' ? surface.message.state?.[ui.me] : surface.ephemeral.state;
    return plainStateValue(state?.[blockId]?.[actionId]);
  };
  return {
    me: ui.me,
    userName: (id) => (id === world.bot.userId ? world.bot.name : userById(world, id)?.name),
    channelName: (id) => channelById(world, id)?.name,
    current,
    // The app's errors (response_action "errors"), then the page's own "required" checks, as Slack's client does.
    errors: surface.kind === 'view' ? { ...(surface.view.errors ?? {}), ...(ui.modalErrors?.[surface.view.id] ?? {}) } : undefined,
    people: people(world),
    channels: world.channels,
    keyPrefix: surface.kind === 'view' ? surface.view.id : `${surface.kind === 'message' ? surface.message.channel : surface.ephemeral.channel}-${surface.kind === 'message' ? surface.message.ts : surface.ephemeral.ts}`,
  };
}

function files(world, message) {
  if (!message.files?.length) return null;
  return h(
    'div',
    { class: 'msg-files' },
    message.files.map((id) => {
      const file = world.files.find((candidate) => candidate.id === id);
      return file ? h('a', { class: 'file-card', href: `/api/files/${file.id}` }, h('span', { class: 'file-icon' }, '📄'), h('span', null, file.title || file.name)) : null;
    }),
  );
}

function content(world, ui, message) {
  const ctx = blockContext(world, ui, { kind: 'message', message });
  // What a person types arrives with a rich_text copy of its text; Slack shows the text, so do we.
  if (message.via === 'person' || !Array.isArray(message.blocks) || message.blocks.length === 0) {
    return h('div', { class: 'msg-text mrkdwn' }, mrkdwn(message.text, ctx));
  }
  return blocks(message.blocks, ctx);
}

function editor(ui) {
  return h(
    'div',
    { class: 'msg-editor' },
    h('textarea', { class: 'sl-input edit-box', 'data-edit-box': '1', 'data-focus-key': 'edit-box', rows: 3 }, ui.editing.draft ?? ''),
    h(
      'div',
      { class: 'edit-buttons' },
      h('button', { type: 'button', class: 'sl-btn', 'data-edit-cancel': '1' }, 'Cancel'),
      h('button', { type: 'button', class: 'sl-btn sl-btn-primary', 'data-edit-save': '1' }, 'Save'),
    ),
  );
}

function hoverActions(world, ui, message, inThread) {
  const mine = message.user === ui.me && message.via === 'person';
  // In the app's read-only Messages tab no one can reply, in a thread or otherwise.
  const canReply = !inThread && (!message.threadTs || message.threadTs === message.ts) && !readOnlyAppMessages(world, message.channel);
  if (!mine && !canReply) return null;
  return h(
    'div',
    { class: 'msg-actions' },
    canReply ? h('button', { type: 'button', class: 'msg-action', title: 'Reply in thread', 'data-open-thread-channel': message.channel, 'data-open-thread-ts': message.ts }, '💬 Reply') : null,
    mine ? h('button', { type: 'button', class: 'msg-action', title: 'Edit message', 'data-edit-channel': message.channel, 'data-edit-ts': message.ts }, '✏️ Edit') : null,
    mine ? h('button', { type: 'button', class: 'msg-action', title: 'Delete message', 'data-delete-channel': message.channel, 'data-delete-ts': message.ts }, '🗑️') : null,
  );
}

function replyLine(world, message) {
  const summary = replySummary(world, message.channel, message.ts);
  if (!summary) return null;
  return h(
    'button',
    { type: 'button', class: 'reply-summary', 'data-open-thread-channel': message.channel, 'data-open-thread-ts': message.ts },
    h('span', { class: 'reply-count' }, `${summary.count} ${summary.count === 1 ? 'reply' : 'replies'}`),
    h('span', { class: 'reply-last' }, `Last reply ${formatTime(summary.latestTs)}`),
  );
}

export function messageItem(world, ui, message, options = {}) {
  const editing = ui.editing && ui.editing.channelId === message.channel && ui.editing.ts === message.ts;
  const isBot = message.user === world.bot.userId;
  return h(
    'div',
    {
      class: `msg${isBot ? ' msg-bot' : ''}${message.user === ui.me ? ' msg-mine' : ''}`,
      'data-surface-channel': message.channel,
      'data-surface-ts': message.ts,
      'data-author': message.user,
      'data-seq': message.seq,
    },
    avatar(world, message.user),
    h(
      'div',
      { class: 'msg-body' },
      h(
        'div',
        { class: 'msg-header' },
        h('span', { class: 'msg-author' }, nameOf(world, message.user)),
        isBot ? h('span', { class: 'badge-app' }, 'APP') : null,
        h('span', { class: 'msg-time', title: message.ts }, formatTime(message.ts)),
        message.edited ? h('span', { class: 'msg-edited' }, '(edited)') : null,
      ),
      editing ? editor(ui) : content(world, ui, message),
      files(world, message),
      options.inThread ? null : replyLine(world, message),
    ),
    editing ? null : hoverActions(world, ui, message, options.inThread),
  );
}

export function ephemeralItem(world, ui, ephemeral) {
  const ctx = blockContext(world, ui, { kind: 'ephemeral', ephemeral });
  const from = ephemeral.via === 'slack' ? 'Slackbot' : 'Alignment Review';
  return h(
    'div',
    { class: 'msg msg-ephemeral', 'data-surface-channel': ephemeral.channel, 'data-surface-ts': ephemeral.ts, 'data-seq': ephemeral.seq },
    h('div', { class: `avatar ${ephemeral.via === 'slack' ? 'avatar-slackbot' : 'avatar-bot'}`, 'aria-hidden': 'true' }, ephemeral.via === 'slack' ? 'SB' : 'AR'),
    h(
      'div',
      { class: 'msg-body' },
      h(
        'div',
        { class: 'msg-header' },
        h('span', { class: 'msg-author' }, from),
        ephemeral.via === 'slack' ? null : h('span', { class: 'badge-app' }, 'APP'),
        h('span', { class: 'msg-time' }, formatTime(ephemeral.ts)),
      ),
      h('div', { class: 'ephemeral-note' }, '👁 Only visible to you'),
      Array.isArray(ephemeral.blocks) && ephemeral.blocks.length > 0 ? blocks(ephemeral.blocks, ctx) : h('div', { class: 'msg-text mrkdwn' }, mrkdwn(ephemeral.text, ctx)),
      h('button', { type: 'button', class: 'link-button', 'data-dismiss': `${ephemeral.channel}:${ephemeral.ts}` }, 'Dismiss message'),
    ),
  );
}

function noticeItem(notice) {
  return h(
    'div',
    { class: 'msg msg-ephemeral msg-notice' },
    h('div', { class: 'avatar avatar-slackbot', 'aria-hidden': 'true' }, 'SB'),
    h('div', { class: 'msg-body' }, h('div', { class: 'msg-header' }, h('span', { class: 'msg-author' }, 'Slackbot')), h('div', { class: 'ephemeral-note' }, '👁 Only visible to you'), h('div', { class: 'msg-text' }, notice.text)),
  );
}

function visibleEphemerals(world, ui, channelId, threadTs) {
  const dismissed = new Set(ui.dismissed ?? []);
  return ephemeralsFor(world, ui.me, channelId, threadTs).filter((ephemeral) => !dismissed.has(`${ephemeral.channel}:${ephemeral.ts}`));
}

function notices(ui, channelId, threadTs) {
  return (ui.notices ?? []).filter((notice) => notice.channelId === channelId && notice.threadTs === threadTs).map(noticeItem);
}

function feed(world, ui, messages, channelId, threadTs, options) {
  return interleave(messages, visibleEphemerals(world, ui, channelId, threadTs)).map((entry) =>
    entry.kind === 'message' ? messageItem(world, ui, entry.item, options) : ephemeralItem(world, ui, entry.item),
  );
}

function channelLabel(world, channelId) {
  const channel = channelById(world, channelId);
  if (!channel) return channelId;
  if (channel.isIm) return 'Alignment Review';
  return `${channel.isPrivate ? '🔒 ' : '# '}${channel.name}`;
}

/**
 * How many of the app's messages in the person's Messages tab came since they
 * last looked there (ui.appSeen by person, else since the page opened,
 * ui.appSeenFrom); 0 when the page keeps no such mark.
 */
export function unreadAppMessages(world, ui) {
  const seen = ui.appSeen?.[ui.me] ?? ui.appSeenFrom;
  if (typeof seen !== 'number') return 0;
  return appMessagesAfter(world, ui.me, seen).length;
}

function unreadBadge(count) {
  return count > 0 ? h('span', { class: 'unread-badge', 'data-unread': String(count), title: `${count} unread` }, String(count)) : null;
}

export function sidebar(world, ui, info) {
  const channels = channelsFor(world, ui.me);
  const here = ui.place;
  const item = (attrs, active, ...children) => h('button', { type: 'button', class: `side-item${active ? ' active' : ''}`, ...attrs }, ...children);
  return h(
    'nav',
    { class: 'sidebar-inner', 'aria-label': 'Channels' },
    h('div', { class: 'workspace' }, h('div', { class: 'workspace-name' }, world.team.name), h('div', { class: 'playground-badge' }, 'Local playground')),
    h('div', { class: 'side-heading' }, 'Channels'),
    channels.map((channel) =>
      item(
        { 'data-place-channel': channel.id, 'data-channel-name': channel.name },
        here.kind === 'channel' && here.channelId === channel.id,
        h('span', { class: 'side-sigil' }, channel.isPrivate ? '🔒' : '#'),
        h('span', null, channel.name),
        channel.id === info.leadsChannel ? h('span', { class: 'side-tag' }, 'leads') : null,
      ),
    ),
    h('div', { class: 'side-heading' }, 'Apps'),
    item(
      { 'data-place-app': 'home' },
      here.kind === 'app',
      h('span', { class: 'side-sigil app-sigil' }, 'AR'),
      h('span', null, 'Alignment Review'),
      unreadBadge(unreadAppMessages(world, ui)),
    ),
    h(
      'div',
      { class: 'side-footer' },
      h(
        'label',
        { class: 'person-picker' },
        h('span', null, 'You are'),
        h(
          'select',
          { 'data-person-picker': '1', class: 'sl-select' },
          people(world).map((person) => h('option', { value: person.id, selected: person.id === ui.me }, `${person.realName || person.name} (@${person.name})`)),
        ),
      ),
      h('div', { class: 'side-info', 'data-info': 'store' }, h('b', null, 'Store: '), info.store),
      h('div', { class: 'side-info', 'data-info': 'model' }, h('b', null, 'Model: '), info.model),
    ),
  );
}

export function channelPane(world, ui) {
  const channelId = ui.place.channelId;
  const channel = channelById(world, channelId);
  const members = channel ? channel.members.filter((id) => id !== world.bot.userId).length : 0;
  return h(
    'section',
    { class: 'pane channel-pane', 'data-channel': channelId },
    h('header', { class: 'pane-header' }, h('h1', null, channelLabel(world, channelId)), h('span', { class: 'pane-sub' }, `${members} members · the app is ${channel?.members.includes(world.bot.userId) ? 'in' : 'not in'} this channel`)),
    h('div', { class: 'messages', 'data-scroll': 'channel' }, emptyHint(world, channelId), feed(world, ui, channelMessages(world, channelId), channelId, undefined, {}), notices(ui, channelId, undefined)),
  );
}

function emptyHint(world, channelId) {
  if (channelMessages(world, channelId).length > 0) return null;
  return h(
    'div',
    { class: 'empty-hint' },
    h('p', null, h('b', null, 'Start a review: '), 'type ', h('code', null, '/alignment-review --flow quick-check Resume screener'), ' below and press Enter.'),
    h('p', null, h('code', null, '/alignment-review'), ' alone opens the start form; ', h('code', null, '/alignment-review help'), ' lists everything it can do.'),
  );
}

export function threadPane(world, ui) {
  if (!ui.thread) return null;
  const { channelId, ts } = ui.thread;
  const { parent, replies } = threadMessages(world, channelId, ts);
  return h(
    'aside',
    { class: 'pane thread-pane', 'data-thread-channel': channelId, 'data-thread-ts': ts },
    h(
      'header',
      { class: 'pane-header' },
      h('h2', null, 'Thread'),
      h('span', { class: 'pane-sub' }, channelLabel(world, channelId)),
      h('button', { type: 'button', class: 'close-button', title: 'Close thread', 'data-close-thread': '1' }, '✕'),
    ),
    h(
      'div',
      { class: 'messages', 'data-scroll': 'thread' },
      parent ? messageItem(world, ui, parent, { inThread: true }) : h('div', { class: 'empty-hint' }, 'This message was deleted.'),
      replies.length > 0 ? h('div', { class: 'thread-divider' }, `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`) : null,
      feed(world, ui, replies, channelId, ts, { inThread: true }),
      notices(ui, channelId, ts),
    ),
    threadHasComposer(world, ui) ? null : h('div', { class: 'read-only-line', 'data-read-only': '1' }, 'Replying to Alignment Review has been turned off.'),
  );
}

/**
 * Whether people may write in the app's Messages tab. manifest.yml turns
 * that off (messages_tab_read_only_enabled), so, as in Slack, the tab has
 * no composer, only a line saying what shows there.
 */
export const APP_MESSAGES_READ_ONLY = true;

/** Whether the place shown has a composer: a channel does; the app's Home tab never; its Messages tab unless read-only. */
export function placeHasComposer(ui) {
  if (ui.place.kind !== 'app') return true;
  return (ui.place.tab ?? 'home') === 'messages' && !APP_MESSAGES_READ_ONLY;
}

/** Whether a channel is the app's Messages tab (a direct message with it) while that tab is read-only. */
export function readOnlyAppMessages(world, channelId) {
  return APP_MESSAGES_READ_ONLY && isDirectMessage(world, channelId);
}

/** Whether the open thread has a reply composer: not in the app's read-only Messages tab, where Slack offers none. */
export function threadHasComposer(world, ui) {
  return Boolean(ui.thread) && !readOnlyAppMessages(world, ui.thread.channelId);
}

function readOnlyLine() {
  return h('div', { class: 'read-only-line', 'data-read-only': '1' }, 'Messages from Alignment Review appear here. Sending messages to this app has been turned off.');
}

export function appPane(world, ui) {
  const tab = ui.place.tab ?? 'home';
  const dm = dmChannelId(ui.me);
  const home = homeView(world, ui.me);
  const tabs = h(
    'div',
    { class: 'tabs', role: 'tablist' },
    h('button', { type: 'button', class: `tab${tab === 'home' ? ' active' : ''}`, 'data-place-app': 'home' }, 'Home'),
    h('button', { type: 'button', class: `tab${tab === 'messages' ? ' active' : ''}`, 'data-place-app': 'messages' }, 'Messages', unreadBadge(unreadAppMessages(world, ui))),
  );
  const body =
    tab === 'messages'
      ? [
          h('div', { class: 'messages', 'data-scroll': 'channel' }, feed(world, ui, channelMessages(world, dm), dm, undefined, {}), notices(ui, dm, undefined)),
          APP_MESSAGES_READ_ONLY ? readOnlyLine() : null,
        ]
      : h(
          'div',
          { class: 'home', 'data-view-id': home?.id },
          home ? blocks(home.definition.blocks, blockContext(world, ui, { kind: 'view', view: home })) : h('div', { class: 'empty-hint' }, 'The app has not published a Home tab (yet). Slack tells the app each time you open this tab.'),
        );
  return h('section', { class: 'pane app-pane' }, h('header', { class: 'pane-header' }, h('h1', null, 'Alignment Review'), h('span', { class: 'badge-app' }, 'APP')), tabs, body);
}

export function modalLayer(world, ui) {
  const view = topModal(world, ui.me);
  if (!view) return null;
  const definition = view.definition;
  const depth = (world.modalStacks[ui.me] ?? []).length;
  return h(
    'div',
    { class: 'modal-backdrop' },
    h(
      'div',
      { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'data-view-id': view.id, 'data-modal-depth': depth },
      h(
        'header',
        { class: 'modal-header' },
        h('h2', null, plainWords(definition.title)),
        h('button', { type: 'button', class: 'close-button', title: 'Close', 'data-modal-close': view.id }, '✕'),
      ),
      h('div', { class: 'modal-body' }, blocks(definition.blocks, blockContext(world, ui, { kind: 'view', view }))),
      h(
        'footer',
        { class: 'modal-footer' },
        h('button', { type: 'button', class: 'sl-btn', 'data-modal-close': view.id }, definition.close ? plainWords(definition.close) : 'Cancel'),
        definition.submit ? h('button', { type: 'button', class: 'sl-btn sl-btn-primary', 'data-modal-submit': view.id }, plainWords(definition.submit)) : null,
      ),
    ),
  );
}

/** The composer's placeholder, as Slack words it. */
export function composerPlaceholder(world, ui, inThread) {
  if (inThread) return 'Reply…';
  if (ui.place.kind === 'app') return 'Message Alignment Review';
  const channel = channelById(world, ui.place.channelId);
  return `Message ${channel ? `${channel.isPrivate ? '🔒' : '#'}${channel.name}` : ''}`;
}
