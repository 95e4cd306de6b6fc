import { describe, expect, it } from 'vitest';
import { decodeEntities, inline, mrkdwn, permalinkTarget } from '../../src/playground/web/render/mrkdwn.js';
import { findAll, textOf } from '../../src/playground/web/render/vnode.js';
import { html } from './support/html.js';

const ctx = {
  me: 'U0ALICE',
  userName: (id: string) => ({ U0ALICE: 'alice', U0BOB: 'bob' })[id],
  channelName: (id: string) => ({ C0REVIEWS: 'ai-reviews' })[id],
};

describe('mrkdwn as page elements', () => {
  it('renders *bold*, _italic_, ~strike~ and `code`, nested styles included', () => {
    expect(html(inline('*Question 1 of 8* · _optional_ · ~old~ · `skip`', ctx))).toBe(
      '<b>Question 1 of 8</b> · <i>optional</i> · <s>old</s> · <code>skip</code>',
    );
    expect(html(inline('*bold with _italic_ inside*', ctx))).toBe('<b>bold with <i>italic</i> inside</b>');
  });

  it('leaves markers that do not open or close a run as they are', () => {
    expect(textOf(inline('2 * 3 * 4, snake_case_name, a*b*c, __init__, * not bold*', ctx))).toBe('2 * 3 * 4, snake_case_name, a*b*c, __init__, * not bold*');
    expect(findAll(inline('snake_case_name and 2*3*4', ctx), () => true)).toEqual([]);
  });

  it('does not style inside code, and decodes entities there', () => {
    expect(html(inline('`*not bold* &lt;tag&gt;`', ctx))).toBe('<code>*not bold* &lt;tag&gt;</code>');
  });

  it('shows user mentions as @name, with the viewer’s own highlighted, and channel mentions as #name', () => {
    expect(html(inline('<@U0BOB> and <@U0ALICE> in <#C0REVIEWS> and <#C0OTHER|other>', ctx))).toBe(
      '<span class="mention">@bob</span> and <span class="mention mention-me">@alice</span> in <span class="mention mention-channel">#ai-reviews</span> and <span class="mention mention-channel">#other</span>',
    );
    expect(textOf(inline('<@U0NEW|newcomer> <@U0GONE>', ctx))).toBe('@newcomer @U0GONE');
  });

  it('shows <!here>, <!channel>, subteams and dates as words', () => {
    expect(textOf(inline('<!here> <!channel> <!subteam^S1|@leads> <!date^1700000000^{date}|Nov 14>', ctx))).toBe('@here @channel @leads Nov 14');
  });

  it('turns <url|label> into a link that opens a new tab, and <url> into a link showing the url', () => {
    const [labelled] = inline('<https://example.com/a?b=1&amp;c=2|the *docs*>', ctx);
    expect(html(labelled!, ['href', 'target', 'rel'])).toBe('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the <b>docs</b></a>');
    expect(textOf(inline('<https://example.com>', ctx))).toBe('https://example.com');
  });

  it('keeps links into the workspace on the page: a thread permalink opens the thread, a file link the file', () => {
    const [thread] = inline('<http://127.0.0.1:4000/archives/C0REVIEWS/p1700000000000100?thread_ts=1700000000.000050&cid=C0REVIEWS|Open>', ctx);
    expect(html(thread!, ['href', 'data-nav-channel', 'data-nav-ts', 'data-nav-thread'])).toBe(
      '<a href="#" data-nav-channel="C0REVIEWS" data-nav-ts="1700000000.000100" data-nav-thread="1700000000.000050">Open</a>',
    );
    expect(permalinkTarget('http://127.0.0.1:4000/files/F0ABC')).toEqual({ kind: 'file', fileId: 'F0ABC' });
    expect(permalinkTarget('https://example.com/archives')).toEqual({ kind: 'web' });
  });

  it('shows :emoji: codes it knows as glyphs and others as written', () => {
    expect(html(inline(':white_check_mark: done :no_such_emoji:', ctx))).toBe('<span class="emoji">✅</span> done :no_such_emoji:');
  });

  it('decodes exactly Slack’s three entities, once', () => {
    expect(decodeEntities('&lt;b&gt; &amp; &amp;lt; &quot;')).toBe('<b> & &lt; &quot;');
  });

  it('shows text that looks like HTML as text: no element comes from a message', () => {
    const nodes = mrkdwn('<script>alert(1)</script> &lt;img src=x onerror=alert(2)&gt; <b>hi</b> <javascript:alert(3)|click>', ctx);
    const elements = findAll(nodes, () => true).map((element) => element.tag);
    expect(elements).not.toContain('script');
    expect(elements).not.toContain('img');
    expect(textOf(nodes)).toContain('<script>alert(1)</script> <img src=x onerror=alert(2)> <b>hi</b>');
    expect(html(nodes)).not.toMatch(/<(script|img|b)[ >]/);
    // Only web and mail links are links; a javascript: one is words.
    expect(elements).not.toContain('a');
    expect(textOf(nodes)).toContain('click (javascript:alert(3))');
  });

  it('renders quotes, line breaks and preformatted runs', () => {
    expect(html(mrkdwn('Decision:\n>Approved\n&gt; with conditions\nafter', ctx))).toBe(
      '<span class="mrkdwn-lines">Decision:</span><blockquote>Approved<br></br>with conditions</blockquote><span class="mrkdwn-lines">after</span>',
    );
    expect(html(mrkdwn('before ```\nconst a = *b*;\n``` after', ctx))).toBe(
      '<span class="mrkdwn-lines">before </span><pre>const a = *b*;\n</pre><span class="mrkdwn-lines"> after</span>',
    );
    expect(textOf(mrkdwn('an ``` unmatched fence', ctx))).toBe('an ``` unmatched fence');
  });
});
