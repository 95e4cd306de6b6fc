import { describe, expect, it } from 'vitest';
import type { World, WorldMessage } from '../../src/standin/slack/index.js';
import { worldOf } from '../../src/standin/slack/world/world.js';
import {
  channelMessages,
  channelsFor,
  dmChannelId,
  editableText,
  ephemeralsFor,
  interleave,
  newRootAfter,
  plainStateValue,
  replySummary,
  threadMessages,
  topModal,
} from '../../src/playground/web/render/world-view.js';

let seq = 0;
function message(channel: string, ts: string, user: string, extra: Partial<WorldMessage> = {}): WorldMessage {
  seq += 1;
  return { seq, channel, ts, user, text: `m${ts}`, via: user === 'U0BOT' ? 'web_api' : 'person', state: {}, ...extra };
}

function world(parts: Partial<World>): World {
  return {
    ...worldOf({
      team: { id: 'T0001', domain: 'standin', name: 'Stand-in' },
      bot: { userId: 'U0BOT', botId: 'B0BOT', appId: 'A0APP', name: 'alignment-review' },
      users: [
        { id: 'U0ALICE', name: 'alice', realName: 'Alice', isAdmin: true, isOwner: true, isBot: false },
        { id: 'U0CAROL', name: 'carol', realName: 'Carol', isAdmin: false, isOwner: false, isBot: false },
      ],
      channels: [
        { id: 'C0REVIEWS', name: 'ai-reviews', isPrivate: false, isIm: false, members: ['U0ALICE', 'U0CAROL', 'U0BOT'], created: 1 },
        { id: 'G0LEADS', name: 'leads', isPrivate: true, isIm: false, members: ['U0ALICE', 'U0BOT'], created: 1 },
        { id: 'C0GENERAL', name: 'general', isPrivate: false, isIm: false, members: ['U0ALICE', 'U0CAROL'], created: 1 },
        { id: 'D0ALICE', name: 'alice', isPrivate: true, isIm: true, members: ['U0ALICE', 'U0BOT'], created: 1 },
      ],
    }),
    ...parts,
  };
}

describe('what the page reads from the world', () => {
  it('lists only the channels a person is in, public before private, and no direct messages', () => {
    const w = world({});
    expect(channelsFor(w, 'U0ALICE').map((channel) => channel.name)).toEqual(['ai-reviews', 'general', 'leads']);
    expect(channelsFor(w, 'U0CAROL').map((channel) => channel.name)).toEqual(['ai-reviews', 'general']);
    expect(dmChannelId('U0ALICE')).toBe('D0ALICE');
  });

  it('splits a channel into top-level messages and threads, with reply counts', () => {
    const root = message('C0REVIEWS', '1700000000.000100', 'U0BOT');
    const q1 = message('C0REVIEWS', '1700000000.000200', 'U0BOT', { threadTs: root.ts });
    const answer = message('C0REVIEWS', '1700000000.000300', 'U0ALICE', { threadTs: root.ts });
    const broadcast = message('C0REVIEWS', '1700000000.000400', 'U0ALICE', { threadTs: root.ts, broadcast: true });
    const other = message('C0GENERAL', '1700000000.000500', 'U0ALICE');
    const w = world({ messages: [root, q1, answer, broadcast, other] });
    expect(channelMessages(w, 'C0REVIEWS').map((m) => m.ts)).toEqual([root.ts, broadcast.ts]);
    expect(threadMessages(w, 'C0REVIEWS', root.ts)).toEqual({ parent: root, replies: [q1, answer, broadcast] });
    expect(replySummary(w, 'C0REVIEWS', root.ts)).toEqual({ count: 3, users: ['U0BOT', 'U0ALICE'], latestTs: broadcast.ts });
    expect(replySummary(w, 'C0GENERAL', other.ts)).toBeNull();
  });

  it('shows a person only their own ephemerals, in the channel or the thread they belong to, in order with messages', () => {
    const root = message('C0REVIEWS', '1700000000.000100', 'U0BOT');
    const mine = { seq: 50, userId: 'U0ALICE', channel: 'C0REVIEWS', ts: '1700000000.000150', threadTs: root.ts, text: 'only you', via: 'web_api' as const, state: {} };
    const inChannel = { ...mine, seq: 51, ts: '1700000000.000160', threadTs: undefined };
    const carols = { ...mine, seq: 52, userId: 'U0CAROL' };
    const w = world({ messages: [root], ephemerals: [mine, inChannel, carols] });
    expect(ephemeralsFor(w, 'U0ALICE', 'C0REVIEWS', root.ts)).toEqual([mine]);
    expect(ephemeralsFor(w, 'U0ALICE', 'C0REVIEWS', undefined)).toEqual([inChannel]);
    expect(ephemeralsFor(w, 'U0CAROL', 'C0REVIEWS', undefined)).toEqual([]);
    const later = message('C0REVIEWS', '1700000000.000900', 'U0BOT', { seq: 60 });
    expect(interleave([later, root], [inChannel]).map((entry) => entry.kind)).toEqual(['message', 'ephemeral', 'message']);
  });

  it('finds the person’s top modal, ignoring closed ones', () => {
    const view = { id: 'V1', userId: 'U0ALICE', type: 'modal' as const, definition: {}, hash: 'h', rootViewId: 'V1', previousViewId: null, externalId: '', state: {}, closed: false };
    expect(topModal(world({ views: { V1: view }, modalStacks: { U0ALICE: ['V1'] } }), 'U0ALICE')?.id).toBe('V1');
    expect(topModal(world({ views: { V1: { ...view, closed: true } }, modalStacks: { U0ALICE: ['V1'] } }), 'U0ALICE')).toBeUndefined();
    expect(topModal(world({}), 'U0ALICE')).toBeUndefined();
  });

  it('reads Slack state values as plain values', () => {
    expect(plainStateValue({ type: 'static_select', selected_option: { value: 'quick-check' } })).toBe('quick-check');
    expect(plainStateValue({ type: 'static_select', selected_option: null })).toBeNull();
    expect(plainStateValue({ type: 'checkboxes', selected_options: [{ value: 'a' }, { value: 'b' }] })).toEqual(['a', 'b']);
    expect(plainStateValue({ type: 'multi_users_select', selected_users: ['U0BOB'] })).toEqual(['U0BOB']);
    expect(plainStateValue({ type: 'conversations_select', selected_conversation: 'G0LEADS' })).toBe('G0LEADS');
    expect(plainStateValue({ type: 'plain_text_input', value: 'typed' })).toBe('typed');
    expect(plainStateValue(undefined)).toBeUndefined();
  });

  it('finds the root of a review the person just started', () => {
    const before = message('C0REVIEWS', '1700000000.000100', 'U0BOT');
    const reply = message('C0REVIEWS', '1700000000.000200', 'U0BOT', { threadTs: before.ts });
    const root = message('C0REVIEWS', '1700000000.000300', 'U0BOT');
    const w = world({ messages: [before, reply, root] });
    expect(newRootAfter(w, before.seq, 'U0BOT')?.ts).toBe(root.ts);
    expect(newRootAfter(w, root.seq, 'U0BOT')).toBeUndefined();
  });

  it('gives a person’s message back for editing as they typed it', () => {
    expect(editableText(world({}), 'ask <@U0CAROL> in <#C0REVIEWS|> about &lt;b&gt; &amp;lt; <@U0GONE>')).toBe('ask @carol in #ai-reviews about <b> &lt; <@U0GONE>');
  });
});
