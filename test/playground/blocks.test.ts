import { describe, expect, it } from 'vitest';
import { block, blocks } from '../../src/playground/web/render/blocks.js';
import { findAll, safeAttribute, textOf, type VElement } from '../../src/playground/web/render/vnode.js';
import { html } from './support/html.js';

const people = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Moreau' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Okafor' },
];
const channels = [
  { id: 'C0REVIEWS', name: 'ai-reviews', isPrivate: false, isIm: false },
  { id: 'G0LEADS', name: 'leads', isPrivate: true, isIm: false },
  { id: 'D0ALICE', name: 'alice', isPrivate: true, isIm: true },
];
const ctx = { me: 'U0ALICE', userName: (id: string) => people.find((p) => p.id === id)?.name, people, channels };

const controls = (node: VElement) => findAll(node, (element) => element.attrs['data-action-id'] !== undefined);

describe('Block Kit blocks as page elements', () => {
  it('renders a header as plain text with emoji, never as mrkdwn', () => {
    const node = block({ type: 'header', text: { type: 'plain_text', text: 'Summary: *A&B* <x> :warning:', emoji: true } }, ctx);
    expect(textOf(node)).toBe('Summary: *A&B* <x> ⚠️');
    expect(findAll(node, (element) => element.tag === 'b')).toEqual([]);
  });

  it('renders a section’s mrkdwn text, its fields and a button accessory', () => {
    const node = block(
      {
        type: 'section',
        block_id: 's1',
        text: { type: 'mrkdwn', text: '*System:* Resume screener' },
        fields: [{ type: 'mrkdwn', text: '*Level*\nII' }, { type: 'plain_text', text: '*not bold*' }],
        accessory: { type: 'button', action_id: 'open', text: { type: 'plain_text', text: 'Open' }, value: 'v' },
      },
      ctx,
    );
    expect(html(findAll(node, (element) => element.attrs.class === 'section-text mrkdwn'))).toContain('<b>System:</b> Resume screener');
    expect(findAll(node, (element) => element.attrs.class === 'section-field plain').map(textOf)).toEqual(['*not bold*']);
    const [button] = controls(node);
    expect(button?.tag).toBe('button');
    expect(button?.attrs).toMatchObject({ 'data-act': 'button', 'data-block-id': 's1', 'data-action-id': 'open', 'data-value': 'v', 'data-dispatch': '1' });
  });

  it('renders context, divider and image blocks', () => {
    const list = blocks(
      [
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Answered by <@U0BOB>' }, { type: 'image', image_url: 'https://example.com/i.png', alt_text: 'icon' }] },
        { type: 'divider' },
        { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'A chart', title: { type: 'plain_text', text: 'Risk' } },
      ],
      ctx,
    );
    expect(textOf(list)).toBe('Answered by @bobRisk');
    expect(findAll(list, (element) => element.tag === 'hr')).toHaveLength(1);
    expect(findAll(list, (element) => element.tag === 'img').map((element) => element.attrs.alt)).toEqual(['icon', 'A chart']);
  });

  it('renders an actions block’s buttons with their styles, and checkboxes with the person’s ticks', () => {
    const node = block(
      {
        type: 'actions',
        block_id: 'ar_q_multi',
        elements: [
          {
            type: 'checkboxes',
            action_id: 'ar_multi_select',
            options: [
              { text: { type: 'plain_text', text: '1. Email' }, value: 'email' },
              { text: { type: 'plain_text', text: '2. Payments' }, value: 'payments' },
            ],
          },
          { type: 'button', action_id: 'ar_multi_submit', style: 'primary', text: { type: 'plain_text', text: 'Submit' } },
          { type: 'button', action_id: 'stop', style: 'danger', text: { type: 'plain_text', text: 'Stop' } },
        ],
      },
      { ...ctx, current: (blockId, actionId) => (blockId === 'ar_q_multi' && actionId === 'ar_multi_select' ? ['payments'] : undefined) },
    );
    const boxes = findAll(node, (element) => element.tag === 'input');
    expect(boxes.map((box) => [box.attrs.value, box.attrs.checked])).toEqual([
      ['email', false],
      ['payments', true],
    ]);
    expect(boxes[0]?.attrs['data-act']).toBe('checkboxes');
    expect(findAll(node, (element) => element.tag === 'button').map((button) => button.attrs.class)).toEqual(['sl-btn sl-btn-primary', 'sl-btn sl-btn-danger']);
  });

  it('makes a link button open a workspace permalink on the page, or a web page in a new tab', () => {
    const node = block(
      {
        type: 'actions',
        block_id: 'links',
        elements: [
          { type: 'button', action_id: 'thread', text: { type: 'plain_text', text: 'Open thread' }, url: 'http://127.0.0.1:4000/archives/C0REVIEWS/p1700000000000100' },
          { type: 'button', action_id: 'web', text: { type: 'plain_text', text: 'Docs' }, url: 'https://example.com/docs' },
          { type: 'button', action_id: 'bad', text: { type: 'plain_text', text: 'Bad' }, url: 'javascript:alert(1)' },
        ],
      },
      ctx,
    );
    const [thread, web, bad] = findAll(node, (element) => element.tag === 'button');
    expect(thread?.attrs).toMatchObject({ 'data-link-channel': 'C0REVIEWS', 'data-link-ts': '1700000000.000100' });
    expect(web?.attrs['data-link-url']).toBe('https://example.com/docs');
    expect(Object.keys(bad?.attrs ?? {}).filter((name) => name.startsWith('data-link'))).toEqual([]);
  });

  it('renders a static select with the initial option chosen until the person picks another', () => {
    const select = {
      type: 'actions',
      block_id: 'filters',
      elements: [
        {
          type: 'static_select',
          action_id: 'level',
          placeholder: { type: 'plain_text', text: 'Any level' },
          option_groups: [{ label: { type: 'plain_text', text: 'Levels' }, options: [{ text: { type: 'plain_text', text: 'High' }, value: 'high' }, { text: { type: 'plain_text', text: 'Low' }, value: 'low' }] }],
          initial_option: { text: { type: 'plain_text', text: 'Low' }, value: 'low' },
        },
      ],
    };
    const chosen = (node: VElement) => findAll(node, (element) => element.tag === 'option' && element.attrs.selected === true).map(textOf);
    expect(chosen(block(select, ctx))).toEqual(['Low']);
    expect(chosen(block(select, { ...ctx, current: () => 'high' }))).toEqual(['High']);
    expect(textOf(findAll(block(select, ctx), (element) => element.tag === 'option')[0]!)).toBe('Any level');
  });

  it('renders modal inputs: text, select, people, channels, with their labels, hints and errors', () => {
    const list = blocks(
      [
        { type: 'input', block_id: 'ar_in_system', label: { type: 'plain_text', text: 'Name of the AI system' }, element: { type: 'plain_text_input', action_id: 'ar_system', placeholder: { type: 'plain_text', text: 'e.g. Resume screener' } } },
        { type: 'input', block_id: 'notes', optional: true, label: { type: 'plain_text', text: 'Notes' }, element: { type: 'plain_text_input', action_id: 'n', multiline: true, initial_value: 'first' } },
        { type: 'input', block_id: 'ar_in_respondents', optional: true, hint: { type: 'plain_text', text: 'Leave empty to let anyone answer.' }, label: { type: 'plain_text', text: 'Who answers' }, element: { type: 'multi_users_select', action_id: 'ar_respondents' } },
        { type: 'input', block_id: 'ar_in_leads', label: { type: 'plain_text', text: 'Leads' }, element: { type: 'conversations_select', action_id: 'ar_leads_channel', filter: { include: ['public', 'private'] } } },
      ],
      { ...ctx, errors: { ar_in_system: 'Name the system' }, current: (blockId) => (blockId === 'ar_in_respondents' ? ['U0BOB'] : undefined) },
    );
    const required = findAll(list, (element) => element.attrs['data-required'] === '1').map((element) => element.attrs['data-block-id']);
    expect(required).toEqual(['ar_in_system', 'ar_in_leads']);
    const [system, notes] = controls(list);
    expect(system).toMatchObject({ tag: 'input', attrs: { type: 'text', placeholder: 'e.g. Resume screener', 'data-dispatch': '0' } });
    expect(notes).toMatchObject({ tag: 'textarea', children: ['first'] });
    expect(textOf(list)).toContain('Name the system');
    expect(textOf(list)).toContain('Notes (optional)');
    expect(textOf(list)).toContain('Leave empty to let anyone answer.');
    const people = findAll(list, (element) => element.attrs['data-act'] === 'multi');
    expect(people.map((box) => [box.attrs.value, box.attrs.checked])).toEqual([
      ['U0ALICE', false],
      ['U0BOB', true],
    ]);
    // Channels to pick from: public and private, never a direct message.
    const channelOptions = findAll(list, (element) => element.tag === 'option' && element.attrs.value !== '').map((option) => option.attrs.value);
    expect(channelOptions).toEqual(['C0REVIEWS', 'G0LEADS']);
  });

  it('renders the rich_text a person’s message carries', () => {
    const node = block(
      {
        type: 'rich_text',
        elements: [
          { type: 'rich_text_section', elements: [{ type: 'text', text: 'see ' }, { type: 'text', text: 'this', style: { bold: true } }, { type: 'user', user_id: 'U0BOB' }] },
          { type: 'rich_text_list', style: 'ordered', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: '<one>' }] }] },
        ],
      },
      ctx,
    );
    expect(html(node, [])).toBe('<div><div>see <b>this</b><span>@bob</span></div><ol><li><div>&lt;one&gt;</div></li></ol></div>');
  });

  it('shows a block it does not know, or a malformed one, as a visible placeholder naming its type', () => {
    const list = blocks([{ type: 'mystery_block', block_id: 'x' }, { type: 'call', call_id: 'R1' }, 'not a block', null], ctx);
    expect(findAll(list, (element) => element.attrs.class === 'block unsupported unsupported-block').map(textOf)).toEqual([
      'Unsupported block: mystery_block',
      'Unsupported block: call',
      'Unsupported block: string',
      'Unsupported block: object',
    ]);
    // A block type that shares its name with an object property is still unknown.
    expect(textOf(block({ type: 'constructor' }, ctx))).toBe('Unsupported block: constructor');
  });

  it('shows an element it cannot act on as a placeholder naming its type', () => {
    const node = block({ type: 'actions', elements: [{ type: 'overflow', action_id: 'more', options: [] }, { type: 'users_select', action_id: 'who' }] }, ctx);
    expect(findAll(node, (element) => element.attrs.class === 'unsupported unsupported-element').map(textOf)).toEqual([
      'Unsupported element: overflow',
      'Unsupported element: users_select',
    ]);
  });
});

describe('attributes that reach the page', () => {
  it('never sets event handlers, styles or unknown attributes', () => {
    expect(safeAttribute('onclick', 'alert(1)')).toBeNull();
    expect(safeAttribute('onerror', 'alert(1)')).toBeNull();
    expect(safeAttribute('style', 'background:url(x)')).toBeNull();
    expect(safeAttribute('srcdoc', '<script>')).toBeNull();
    expect(safeAttribute('data-action-id', 'ar_skip')).toBe('ar_skip');
  });

  it('lets links go only to web pages, mail, the page itself and the playground’s files', () => {
    expect(safeAttribute('href', 'javascript:alert(1)')).toBeNull();
    expect(safeAttribute('href', ' JavaScript:alert(1)')).toBeNull();
    expect(safeAttribute('href', 'data:text/html,<script>')).toBeNull();
    expect(safeAttribute('href', 'https://example.com')).toBe('https://example.com');
    expect(safeAttribute('href', 'mailto:a@example.com')).toBe('mailto:a@example.com');
    expect(safeAttribute('href', '/api/files/F0ABC')).toBe('/api/files/F0ABC');
    expect(safeAttribute('src', 'javascript:alert(1)')).toBeNull();
  });

  it('sets boolean attributes only when true', () => {
    expect(safeAttribute('checked', true)).toBe('');
    expect(safeAttribute('checked', false)).toBeNull();
    expect(safeAttribute('disabled', undefined)).toBeNull();
  });
});
