import { describe, expect, it } from 'vitest';
import type { World, WorldMessage } from '../../src/standin/slack/index.js';
import { worldOf } from '../../src/standin/slack/world/world.js';
import { channelPane, modalLayer, sidebar, threadPane, type PageState } from '../../src/playground/web/render/screen.js';
import { findAll, textOf, type VElement } from '../../src/playground/web/render/vnode.js';

const info = { store: 'in-process memory store', model: 'none', reviewChannel: 'C0REVIEWS', leadsChannel: 'G0LEADS', defaultPerson: 'U0ALICE', commands: ['/alignment-review'] };

function message(ts: string, user: string, extra: Partial<WorldMessage> = {}): WorldMessage {
  return { seq: Number(ts.slice(-3)), channel: 'C0REVIEWS', ts, user, text: `text ${ts}`, via: user === 'U0BOT' ? 'web_api' : 'person', state: {}, ...extra };
}

function world(parts: Partial<World> = {}): World {
  return {
    ...worldOf({
      team: { id: 'T0001', domain: 'standin', name: 'Stand-in Workspace' },
      bot: { userId: 'U0BOT', botId: 'B0BOT', appId: 'A0APP', name: 'alignment-review' },
      users: [
        { id: 'U0ALICE', name: 'alice', realName: 'Alice Moreau', isAdmin: true, isOwner: true, isBot: false },
        { id: 'U0CAROL', name: 'carol', realName: 'Carol Lindqvist', isAdmin: false, isOwner: false, isBot: false },
        { id: 'U0BOT', name: 'alignment-review', realName: 'Alignment Review', isAdmin: false, isOwner: false, isBot: true },
      ],
      channels: [
        { id: 'C0REVIEWS', name: 'ai-reviews', isPrivate: false, isIm: false, members: ['U0ALICE', 'U0CAROL', 'U0BOT'], created: 1 },
        { id: 'G0LEADS', name: 'leads', isPrivate: true, isIm: false, members: ['U0ALICE', 'U0BOT'], created: 1 },
      ],
    }),
    ...parts,
  };
}

const ui = (extra: Partial<PageState> = {}): PageState => ({ me: 'U0ALICE', place: { kind: 'channel', channelId: 'C0REVIEWS' }, thread: null, editing: null, ...extra });
const byClass = (node: VElement, name: string) => findAll(node, (element) => String(element.attrs.class ?? '').split(' ').includes(name));

describe('the page’s regions', () => {
  it('lists the person’s channels, marks the leads’ channel and shows the store and the model', () => {
    const node = sidebar(world(), ui({ me: 'U0CAROL' }), info);
    expect(findAll(node, (element) => element.attrs['data-place-channel'] !== undefined).map((element) => element.attrs['data-place-channel'])).toEqual(['C0REVIEWS']);
    const [leads] = findAll(sidebar(world(), ui(), info), (element) => element.attrs['data-place-channel'] === 'G0LEADS');
    expect(byClass(leads!, 'side-tag').map(textOf)).toEqual(['leads']);
    expect(textOf(node)).toContain('Store: in-process memory store');
    expect(textOf(node)).toContain('Model: none');
    // Only people can be picked, not the bot.
    expect(findAll(node, (element) => element.tag === 'option').map((option) => option.attrs.value)).toEqual(['U0ALICE', 'U0CAROL']);
  });

  it('shows what a person typed from its text, and what the app posted from its blocks', () => {
    const typed = message('1700000000.000001', 'U0ALICE', { text: '&lt;b&gt;hi&lt;/b&gt; *there*', blocks: [{ type: 'rich_text', elements: [] }] });
    const posted = message('1700000000.000002', 'U0BOT', { text: 'fallback', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'From blocks' } }] });
    const node = channelPane(world({ messages: [typed, posted] }), ui());
    const texts = byClass(node, 'msg').map(textOf);
    expect(texts[0]).toContain('<b>hi</b> there');
    expect(texts[1]).toContain('From blocks');
    expect(texts[1]).not.toContain('fallback');
    expect(texts[1]).toContain('APP');
  });

  it('offers edit and delete only on the viewer’s own messages, and a reply count under a thread parent', () => {
    const mine = message('1700000000.000001', 'U0ALICE');
    const carols = message('1700000000.000002', 'U0CAROL');
    const reply = message('1700000000.000003', 'U0BOT', { threadTs: carols.ts });
    const node = channelPane(world({ messages: [mine, carols, reply] }), ui());
    expect(findAll(node, (element) => element.attrs['data-edit-ts'] !== undefined).map((element) => element.attrs['data-edit-ts'])).toEqual([mine.ts]);
    expect(byClass(node, 'reply-summary').map(textOf)).toEqual([expect.stringMatching(/^1 reply/)]);
    // The reply is in the thread, not in the channel.
    expect(byClass(node, 'msg')).toHaveLength(2);
  });

  it('opens the editor on the message being edited, with the draft', () => {
    const mine = message('1700000000.000001', 'U0ALICE');
    const node = channelPane(world({ messages: [mine] }), ui({ editing: { channelId: 'C0REVIEWS', ts: mine.ts, draft: 'new words' } }));
    const [box] = findAll(node, (element) => element.attrs['data-edit-box'] === '1');
    expect(box?.children).toEqual(['new words']);
  });

  it('shows ephemerals as only visible to the viewer, in the thread they belong to', () => {
    const root = message('1700000000.000001', 'U0BOT');
    const notice = { seq: 5, userId: 'U0ALICE', channel: 'C0REVIEWS', ts: '1700000000.000005', threadTs: root.ts, text: 'Only <@U0CAROL> can answer this review.', via: 'web_api' as const, state: {} };
    const w = world({ messages: [root], ephemerals: [notice] });
    const thread = threadPane(w, ui({ thread: { channelId: 'C0REVIEWS', ts: root.ts } }))!;
    const [shown] = byClass(thread, 'msg-ephemeral');
    expect(textOf(shown!)).toContain('Only visible to you');
    expect(textOf(shown!)).toContain('Only @carol can answer this review.');
    expect(byClass(channelPane(w, ui()), 'msg-ephemeral')).toHaveLength(0);
    expect(byClass(threadPane(w, ui({ me: 'U0CAROL', thread: { channelId: 'C0REVIEWS', ts: root.ts } }))!, 'msg-ephemeral')).toHaveLength(0);
    expect(byClass(threadPane(w, ui({ thread: { channelId: 'C0REVIEWS', ts: root.ts }, dismissed: [`C0REVIEWS:${notice.ts}`] }))!, 'msg-ephemeral')).toHaveLength(0);
  });

  it('shows the top modal with its title, buttons and both the app’s and the page’s errors', () => {
    const view = {
      id: 'V1',
      userId: 'U0ALICE',
      type: 'modal' as const,
      definition: {
        title: { type: 'plain_text', text: 'Alignment review' },
        submit: { type: 'plain_text', text: 'Start' },
        blocks: [
          { type: 'input', block_id: 'a', label: { type: 'plain_text', text: 'A' }, element: { type: 'plain_text_input', action_id: 'a' } },
          { type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'B' }, element: { type: 'plain_text_input', action_id: 'b' } },
        ],
      },
      hash: 'h',
      rootViewId: 'V1',
      previousViewId: null,
      externalId: '',
      state: {},
      errors: { a: 'That flow does not exist' },
      closed: false,
    };
    const w = world({ views: { V1: view }, modalStacks: { U0ALICE: ['V1'] } });
    const node = modalLayer(w, ui({ modalErrors: { V1: { b: 'Please complete this required field.' } } }))!;
    expect(textOf(byClass(node, 'modal-header')[0]!)).toContain('Alignment review');
    expect(byClass(node, 'input-error').map(textOf)).toEqual(['That flow does not exist', 'Please complete this required field.']);
    expect(findAll(node, (element) => element.attrs['data-modal-submit'] === 'V1').map(textOf)).toEqual(['Start']);
    expect(modalLayer(w, ui({ me: 'U0CAROL' }))).toBeNull();
  });
});
