/**
 * The playground page: keeps the stand-in's world (pushed over server-sent
 * events) and the page's own state, redraws the regions that changed, and
 * turns what the person does into POST /api/act calls. Rendering lives in
 * render/ (pure); this file only wires the DOM.
 */
import { rememberFocus, restoreFocus, toDom } from './dom.js';
import { appPane, channelPane, composerPlaceholder, modalLayer, placeHasComposer, sidebar, threadHasComposer, threadPane } from './render/screen.js';
import { channelsFor, dmChannelId, editableText, findMessage, latestAppMessageSeq, newRootAfter, userById } from './render/world-view.js';

const PERSON_KEY = 'playground.person';
/** How long after a command or a modal submission a new review's root opens its thread by itself. */
const OPEN_NEW_ROOT_MS = 15_000;

const page = {
  world: null,
  info: null,
  ui: { me: '', place: { kind: 'channel', channelId: '' }, thread: null, editing: null, drafts: {}, modalErrors: {}, dismissed: [], notices: [], sidebarOpen: false, appSeen: {}, appSeenFrom: 0 },
  /** Set after the person starts a review: its root message opens its thread once it appears. */
  pendingRoot: null,
  viewHashes: {},
};

const $ = (selector) => document.querySelector(selector);
const regions = { sidebar: $('#sidebar'), main: $('#main-region'), thread: $('#thread-region'), modal: $('#modal-layer') };
const drawn = {};
const shell = $('.app-shell');
const sidebarToggle = $('[data-sidebar-toggle]');

function mountRegion(name, vnode, identity) {
  const key = JSON.stringify(vnode);
  const last = drawn[name] ?? {};
  if (last.key === key) return;
  const container = regions[name];
  noteScroll(name);
  const focus = rememberFocus(container);
  container.replaceChildren(...(vnode ? [toDom(vnode)] : []));
  container.hidden = !vnode;
  // Another conversation (or the same one opened anew) starts at its latest message.
  if (last.identity !== identity) scrolls[name] = { atEnd: true, top: 0 };
  unplaced.add(name);
  restoreFocus(container, focus);
  drawn[name] = { key, identity };
}

// ---- Scrolling ----------------------------------------------------------------
//
// Where each region's messages are scrolled is kept here, not read from the
// DOM alone: a region out of sight (the thread's column before it opens, the
// channel behind an open thread in a narrow window) is display: none, so it
// has no height, a position set there is lost and one read there says
// nothing. A region is placed once it is laid out and shown.

/** Within this many pixels of the end, the reader is at the end and follows new messages. */
const AT_END_PX = 60;
/** By region: whether the reader was at the end, else how far down they were. */
const scrolls = {};
/** Regions redrawn (or hidden) since their position was last set. */
const unplaced = new Set();
/** Regions whose messages were shown at the last placing. */
const shownBefore = new Set();

function scrollerOf(name) {
  const scroller = regions[name].querySelector('[data-scroll]');
  return scroller && scroller.clientHeight > 0 ? scroller : null;
}

/** Remembers where the reader is in a shown, placed region. */
function noteScroll(name) {
  const scroller = scrollerOf(name);
  if (!scroller || unplaced.has(name)) return;
  scrolls[name] = { atEnd: scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < AT_END_PX, top: scroller.scrollTop };
}

/** Sets each shown region that was redrawn or has just come into sight where its reader was: at the end, or as far down as before. */
function placeScrolls() {
  for (const name of Object.keys(regions)) {
    const scroller = scrollerOf(name);
    if (!scroller) {
      shownBefore.delete(name);
      continue;
    }
    if (unplaced.has(name) || !shownBefore.has(name)) {
      const wanted = scrolls[name] ?? { atEnd: true, top: 0 };
      scroller.scrollTop = wanted.atEnd ? scroller.scrollHeight : wanted.top;
      unplaced.delete(name);
    }
    shownBefore.add(name);
  }
}

function scrollToEnd(name) {
  scrolls[name] = { atEnd: true, top: 0 };
  const scroller = scrollerOf(name);
  if (scroller) scroller.scrollTop = scroller.scrollHeight;
}

function keepPlaceValid() {
  const { world, ui, info } = page;
  if (!userById(world, ui.me)) ui.me = info.defaultPerson;
  const mine = channelsFor(world, ui.me);
  if (ui.place.kind === 'channel' && !mine.some((channel) => channel.id === ui.place.channelId)) {
    ui.place = { kind: 'channel', channelId: mine.find((channel) => channel.id === info.reviewChannel)?.id ?? mine[0]?.id ?? info.reviewChannel };
    ui.thread = null;
  }
}

function composerChannel() {
  const { ui } = page;
  return ui.place.kind === 'app' ? dmChannelId(ui.me) : ui.place.channelId;
}

/** The person looking at the app's Messages tab has seen what is there (the sidebar's unread mark goes). */
function markAppMessagesSeen() {
  const { world, ui } = page;
  if (ui.place.kind === 'app' && ui.place.tab === 'messages') ui.appSeen[ui.me] = latestAppMessageSeq(world, ui.me);
}

function render() {
  if (!page.world) return;
  keepPlaceValid();
  markAppMessagesSeen();
  const { world, ui, info } = page;
  mountRegion('sidebar', sidebar(world, ui, info), ui.me);
  mountRegion('main', ui.place.kind === 'app' ? appPane(world, ui) : channelPane(world, ui), `${ui.me}:${JSON.stringify(ui.place)}`);
  mountRegion('thread', threadPane(world, ui), ui.thread ? `${ui.thread.channelId}:${ui.thread.ts}` : '');
  mountRegion('modal', modalLayer(world, ui), ui.me);
  const mainComposer = $('#composer');
  mainComposer.hidden = !placeHasComposer(ui);
  mainComposer.querySelector('textarea').placeholder = composerPlaceholder(world, ui, false);
  const threadComposer = $('#thread-composer');
  // A thread in the app's read-only Messages tab has no reply box, as in Slack.
  threadComposer.hidden = !threadHasComposer(world, ui);
  $('#thread-column').hidden = !ui.thread;
  threadComposer.querySelector('textarea').placeholder = composerPlaceholder(world, ui, true);
  showLayout();
  placeScrolls();
}

/**
 * What style.css needs to lay out a narrow window: in one, an open thread takes
 * the channel's place, and on a phone's width the sidebar shows only when asked for.
 */
function showLayout() {
  shell.classList.toggle('thread-open', Boolean(page.ui.thread));
  shell.classList.toggle('sidebar-open', page.ui.sidebarOpen);
  sidebarToggle.setAttribute('aria-expanded', String(page.ui.sidebarOpen));
}

function setSidebarOpen(open) {
  page.ui.sidebarOpen = open;
  showLayout();
  placeScrolls();
}

function toast(text) {
  const element = $('#toast');
  element.textContent = text;
  element.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    element.hidden = true;
  }, 7000);
}

async function act(body) {
  let response;
  try {
    response = await fetch('/api/act', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, userId: page.ui.me }) });
  } catch {
    toast('The playground is not answering. Is `npm start` still running?');
    return null;
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    toast(answer.error ?? `That did not work (${response.status}).`);
    return null;
  }
  if (answer.problem) toast(answer.problem);
  else if (answer.status !== null && answer.status !== undefined && answer.status !== 200) {
    toast(answer.status === 0 ? 'The app did not answer in time.' : `The app answered ${answer.status}; Slack would show an error.`);
  }
  return answer;
}

function expectNewRoot() {
  page.pendingRoot = { seq: page.world.seq, until: Date.now() + OPEN_NEW_ROOT_MS };
}

function openNewRoot() {
  const pending = page.pendingRoot;
  if (!pending) return;
  if (Date.now() > pending.until) {
    page.pendingRoot = null;
    return;
  }
  // Never the app's direct messages (an export's files): Slack marks its Messages tab unread and leaves the person where they are.
  const root = newRootAfter(page.world, pending.seq, page.world.bot.userId);
  if (!root) return;
  page.pendingRoot = null;
  page.ui.place = { kind: 'channel', channelId: root.channel };
  page.ui.thread = { channelId: root.channel, ts: root.ts };
}

/** Drafts of a modal that the app replaced (new hash) no longer fit it. */
function forgetStaleDrafts() {
  for (const view of Object.values(page.world.views)) {
    if (page.viewHashes[view.id] !== undefined && page.viewHashes[view.id] !== view.hash) delete page.ui.drafts[view.id];
    page.viewHashes[view.id] = view.hash;
  }
}

function receive(data) {
  page.world = data.world;
  page.info = data.playground;
  if (!page.ui.me) {
    const saved = localStorage.getItem(PERSON_KEY);
    page.ui.me = saved && userById(page.world, saved) ? saved : page.info.defaultPerson;
    page.ui.place = { kind: 'channel', channelId: page.info.reviewChannel };
    // What the app sent before the page opened counts as seen; what comes while it is open is unread until looked at.
    page.ui.appSeenFrom = page.world.seq;
  }
  forgetStaleDrafts();
  openNewRoot();
  render();
}

// ---- Composers --------------------------------------------------------------

async function send(form, inThread) {
  const box = form.querySelector('textarea');
  const text = box.value.trim();
  if (!text) return;
  if (inThread ? !threadHasComposer(page.world, page.ui) : !placeHasComposer(page.ui)) return;
  const channelId = inThread ? page.ui.thread.channelId : composerChannel();
  const threadTs = inThread ? page.ui.thread.ts : undefined;
  const command = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
  // As Slack does, sending brings the conversation to its end: the reply and the app's answer to it show,
  // and the region then follows what comes (placeScrolls keeps a region at its end there).
  scrollToEnd(inThread ? 'thread' : 'main');
  let answer;
  if (command) {
    const name = command[1].toLowerCase();
    if (!page.info.commands.includes(name)) {
      page.ui.notices.push({ channelId, threadTs, text: `${command[1]} is not a valid command. This app's command is ${page.info.commands.join(', ')}.` });
      box.value = '';
      render();
      return;
    }
    expectNewRoot();
    answer = await act({ action: 'slashCommand', channelId, command: name, text: command[2] });
  } else {
    answer = await act({ action: 'sendMessage', channelId, text, ...(threadTs ? { threadTs } : {}) });
  }
  if (answer) box.value = '';
}

for (const [selector, inThread] of [['#composer', false], ['#thread-composer', true]]) {
  const form = $(selector);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(form, inThread);
  });
  form.querySelector('textarea').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send(form, inThread);
    }
  });
}

// ---- Surfaces and their controls ------------------------------------------

function surfaceOf(element) {
  const view = element.closest('[data-view-id]');
  if (view && view.getAttribute('data-view-id')) return { viewId: view.getAttribute('data-view-id') };
  const message = element.closest('[data-surface-ts]');
  return message ? { channelId: message.getAttribute('data-surface-channel'), messageTs: message.getAttribute('data-surface-ts') } : null;
}

function controlsOf(element) {
  const root = element.closest('[data-view-id]') ?? element.closest('[data-surface-ts]');
  const blockId = element.getAttribute('data-block-id');
  const actionId = element.getAttribute('data-action-id');
  return [...root.querySelectorAll('[data-action-id]')].filter((candidate) => candidate.getAttribute('data-block-id') === blockId && candidate.getAttribute('data-action-id') === actionId);
}

/** The value of one control group as the stand-in takes it: a string, or a list for multiple choices. */
function valueOf(element) {
  const kind = element.getAttribute('data-act');
  if (kind === 'checkboxes' || kind === 'multi') return controlsOf(element).filter((box) => box.checked).map((box) => box.value);
  if (kind === 'radio') return controlsOf(element).find((radio) => radio.checked)?.value ?? '';
  return element.value;
}

/** Once the person fills a required input, its "required" mark goes (on the next redraw). */
function forgetRequiredError(element) {
  const view = element.closest('[data-view-id]')?.getAttribute('data-view-id');
  const errors = view ? page.ui.modalErrors[view] : undefined;
  if (errors) delete errors[element.getAttribute('data-block-id')];
}

function rememberDraft(element) {
  const view = element.closest('[data-view-id]')?.getAttribute('data-view-id');
  if (!view) return;
  page.ui.drafts[view] ??= {};
  page.ui.drafts[view][`${element.getAttribute('data-block-id')}/${element.getAttribute('data-action-id')}`] = valueOf(element);
}

/**
 * Every input of the modal as it stands, empty ones included: Slack reports
 * an emptied text box (or no choice made) as null and no boxes ticked as [],
 * and an input left out would keep its initial value in the stand-in, so a
 * pre-filled box the person cleared would still be sent.
 */
function modalValues(modal) {
  const values = {};
  const seen = new Set();
  for (const control of modal.querySelectorAll('[data-dispatch="0"][data-action-id]')) {
    const blockId = control.getAttribute('data-block-id');
    const actionId = control.getAttribute('data-action-id');
    if (seen.has(`${blockId}/${actionId}`)) continue;
    seen.add(`${blockId}/${actionId}`);
    const value = valueOf(control);
    values[blockId] ??= {};
    values[blockId][actionId] = value === '' ? null : value;
  }
  return values;
}

const REQUIRED_MESSAGE = 'Please complete this required field.';

/** Required inputs left empty: Slack's client refuses to submit and marks them. */
function missingRequired(modal) {
  const missing = {};
  for (const block of modal.querySelectorAll('.block-input[data-required="1"]')) {
    const control = block.querySelector('[data-action-id][data-dispatch="0"]');
    if (!control) continue;
    const value = valueOf(control);
    if (value === '' || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'string' && value.trim() === '')) {
      missing[block.getAttribute('data-block-id')] = REQUIRED_MESSAGE;
    }
  }
  return missing;
}

async function dispatchChoice(element) {
  const surface = surfaceOf(element);
  if (!surface) return;
  const actionId = element.getAttribute('data-action-id');
  const kind = element.getAttribute('data-act');
  if (kind === 'checkboxes') await act({ action: 'submitCheckboxes', ...surface, actionId, selectedValues: valueOf(element) });
  else if (kind === 'select' || kind === 'radio') {
    const value = valueOf(element);
    if (value) await act({ action: 'selectOption', ...surface, actionId, value });
  }
}

function openThread(channelId, ts) {
  page.ui.thread = { channelId, ts };
  page.ui.editing = null;
  render();
  if (threadHasComposer(page.world, page.ui)) $('#thread-composer textarea').focus();
}

/** A permalink into the workspace: go to its channel and open the thread it belongs to. */
function openPermalink(channelId, ts, threadTs) {
  if (channelsFor(page.world, page.ui.me).some((channel) => channel.id === channelId)) page.ui.place = { kind: 'channel', channelId };
  openThread(channelId, threadTs || ts);
}

const clicks = [
  ['[data-act="button"]', (element) => {
    const surface = surfaceOf(element);
    if (!surface) return;
    const value = element.getAttribute('data-value');
    void act({ action: 'clickButton', ...surface, actionId: element.getAttribute('data-action-id'), ...(value !== null ? { value } : {}) });
    const linkTs = element.getAttribute('data-link-ts');
    if (linkTs) openPermalink(element.getAttribute('data-link-channel'), linkTs, element.getAttribute('data-link-thread'));
    else if (element.getAttribute('data-link-url')) window.open(element.getAttribute('data-link-url'), '_blank', 'noopener,noreferrer');
  }],
  ['[data-open-thread-ts]', (element) => openThread(element.getAttribute('data-open-thread-channel'), element.getAttribute('data-open-thread-ts'))],
  ['[data-close-thread]', () => {
    page.ui.thread = null;
    render();
  }],
  ['[data-edit-ts]', (element) => {
    const channelId = element.getAttribute('data-edit-channel');
    const ts = element.getAttribute('data-edit-ts');
    const message = findMessage(page.world, channelId, ts);
    if (!message) return;
    page.ui.editing = { channelId, ts, draft: editableText(page.world, message.text) };
    render();
    document.querySelector('[data-edit-box]')?.focus();
  }],
  ['[data-edit-cancel]', () => {
    page.ui.editing = null;
    render();
  }],
  ['[data-edit-save]', async () => {
    const editing = page.ui.editing;
    if (!editing || !editing.draft?.trim()) return;
    const answer = await act({ action: 'editMessage', channelId: editing.channelId, ts: editing.ts, text: editing.draft });
    if (answer) {
      page.ui.editing = null;
      render();
    }
  }],
  ['[data-delete-ts]', (element) => {
    if (!window.confirm('Delete this message? The app hears of it as Slack would tell it.')) return;
    void act({ action: 'deleteMessage', channelId: element.getAttribute('data-delete-channel'), ts: element.getAttribute('data-delete-ts') });
  }],
  ['[data-dismiss]', (element) => {
    page.ui.dismissed.push(element.getAttribute('data-dismiss'));
    render();
  }],
  ['[data-sidebar-toggle]', () => {
    setSidebarOpen(!page.ui.sidebarOpen);
    if (page.ui.sidebarOpen) regions.sidebar.querySelector('.side-item.active, .side-item')?.focus();
  }],
  ['[data-sidebar-close]', () => setSidebarOpen(false)],
  ['[data-place-channel]', (element) => {
    page.ui.place = { kind: 'channel', channelId: element.getAttribute('data-place-channel') };
    page.ui.thread = null;
    page.ui.editing = null;
    page.ui.sidebarOpen = false;
    render();
    $('#composer textarea').focus();
  }],
  ['[data-place-app]', (element) => {
    const tab = element.getAttribute('data-place-app');
    page.ui.place = { kind: 'app', tab };
    page.ui.thread = null;
    page.ui.sidebarOpen = false;
    render();
    // Slack tells the app each time the person opens its Home tab.
    if (tab === 'home') void act({ action: 'openHome' });
  }],
  ['[data-nav-channel]', (element) => openPermalink(element.getAttribute('data-nav-channel'), element.getAttribute('data-nav-ts'), element.getAttribute('data-nav-thread'))],
  ['[data-modal-close]', (element) => void act({ action: 'closeView', viewId: element.getAttribute('data-modal-close') })],
  ['[data-modal-submit]', async (element) => {
    const viewId = element.getAttribute('data-modal-submit');
    const modal = element.closest('[data-view-id]');
    const missing = missingRequired(modal);
    page.ui.modalErrors[viewId] = missing;
    if (Object.keys(missing).length > 0) {
      render();
      return;
    }
    expectNewRoot();
    const answer = await act({ action: 'submitView', viewId, values: modalValues(modal) });
    if (answer && answer.responseAction !== 'errors') delete page.ui.drafts[viewId];
  }],
];

document.addEventListener('click', (event) => {
  for (const [selector, handle] of clicks) {
    const element = event.target.closest(selector);
    if (element) {
      if (element.tagName === 'A') event.preventDefault();
      void handle(element);
      return;
    }
  }
});

document.addEventListener('change', (event) => {
  const element = event.target;
  if (element.matches('[data-person-picker]')) {
    page.ui.me = element.value;
    localStorage.setItem(PERSON_KEY, element.value);
    page.ui.editing = null;
    page.ui.thread = page.ui.thread && channelsFor(page.world, element.value).some((channel) => channel.id === page.ui.thread.channelId) ? page.ui.thread : null;
    render();
    return;
  }
  if (!element.matches('[data-action-id]')) return;
  if (element.getAttribute('data-dispatch') === '1') void dispatchChoice(element);
  else rememberDraft(element);
  forgetRequiredError(element);
});

document.addEventListener('input', (event) => {
  const element = event.target;
  if (element.matches('[data-edit-box]') && page.ui.editing) page.ui.editing.draft = element.value;
  else if (element.matches('[data-action-id][data-dispatch="0"]')) {
    rememberDraft(element);
    forgetRequiredError(element);
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && page.ui.editing) {
    page.ui.editing = null;
    render();
  } else if (event.key === 'Escape' && page.ui.sidebarOpen) {
    setSidebarOpen(false);
    sidebarToggle.focus();
  } else if (event.key === 'Enter' && !event.shiftKey && event.target.matches?.('[data-edit-box]')) {
    event.preventDefault();
    document.querySelector('[data-edit-save]')?.click();
  }
});

// ---- Live world ------------------------------------------------------------

function connect() {
  const status = $('#connection');
  const source = new EventSource('/api/events');
  source.addEventListener('world', (event) => receive(JSON.parse(event.data)));
  source.addEventListener('open', () => {
    status.hidden = true;
  });
  source.addEventListener('error', () => {
    status.hidden = false;
    status.textContent = 'Reconnecting to the playground…';
  });
}

// The reader's own scrolling, so a region hidden and redrawn meanwhile comes back where they left it.
document.addEventListener(
  'scroll',
  (event) => {
    const name = Object.keys(regions).find((region) => regions[region].contains(event.target));
    if (name && event.target.matches?.('[data-scroll]')) noteScroll(name);
  },
  true,
);
// A window made wider or narrower can bring a region into sight (the channel beside its thread).
window.addEventListener('resize', placeScrolls);

connect();
