/**
 * The playground in real headless Chromium: a whole quick-check review
 * through the page (by typing, by clicking, an edit), the start modal with a
 * named respondent and the person picker, and what the page must never do
 * with a message's text (inject it) or an unknown block (drop it); and the
 * layout at narrower windows, where an open thread takes the channel's place
 * and, on a phone's width, the sidebar waits behind a button.
 */
import { WebClient } from '@slack/web-api';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { LEADS_CHANNEL, REVIEW_CHANNEL } from '../../src/playground/workspace.js';
import { NOT_ASSESSED_WARNING } from '../../src/slack/blocks/sign-off.js';
import { INPUTS } from '../../src/slack/ids.js';
import { choosePerson, questionMessage, replyInThread, threadPane, typeInComposer } from './support/page-driver.js';
import { playgroundPageSession } from './support/page-session.js';

const session = playgroundPageSession();
let page: Page;

beforeEach(async () => {
  page = await session.open();
});

/** Where a shown element is across the window (null when it is not shown). */
interface Span {
  left: number;
  right: number;
  width: number;
}

interface Layout {
  innerWidth: number;
  scrollWidth: number;
  sidebar: Span | null;
  channel: Span | null;
  thread: Span | null;
  /** Shown elements that reach past the window's left or right edge. */
  outside: string[];
}

/** The page's columns as laid out now, and whatever sticks out sideways. */
async function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const spans: Record<string, Span | null> = {};
    for (const [name, selector] of [['sidebar', '#sidebar'], ['channel', '.channel-pane'], ['thread', '.thread-pane']]) {
      const rect = document.querySelector(selector!)?.getBoundingClientRect();
      spans[name!] = rect && rect.width > 0 && rect.height > 0 ? { left: rect.left, right: rect.right, width: rect.width } : null;
    }
    const outside = Array.from(document.querySelectorAll('.app-shell *, #modal-layer *'))
      .filter((element) => {
        const rect = element.getBoundingClientRect();
        return rect.width > 0 && rect.height > 0 && (rect.left < -1 || rect.right > window.innerWidth + 1);
      })
      .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).replace(/\s+/g, '.')}`);
    return { innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, sidebar: spans.sidebar!, channel: spans.channel!, thread: spans.thread!, outside };
  });
}

/** Nothing scrolls or sticks out sideways. */
function expectNoSidewaysOverflow(layout: Layout): void {
  expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
  expect(layout.outside).toEqual([]);
}

/** The minimum width at which a column of messages, its buttons and its composer stay readable. */
const USABLE_COLUMN = 320;

describe('the playground page', () => {
  it('runs a whole quick-check review by typing, clicking and editing, and shows the summary in the thread and the leads’ channel', async () => {
    await typeInComposer(page, '/alignment-review --flow quick-check Resume screener');
    // The review's root message appears and its thread opens by itself.
    await threadPane(page).locator('.block-header', { hasText: 'Alignment review: Resume screener' }).waitFor();
    await questionMessage(page, 1).waitFor();

    let typedChoice = false;
    let clickedChoice = false;
    for (let n = 1; n <= 12; n++) {
      const summary = threadPane(page).locator('.block-header', { hasText: 'Summary: Resume screener' });
      const question = questionMessage(page, n);
      await Promise.race([question.waitFor(), summary.waitFor()]);
      if (await summary.count()) break;
      const buttons = question.locator('button[data-act="button"][data-action-id^="ar_answer_option"]');
      if ((await buttons.count()) === 0) {
        await replyInThread(page, `People who apply get a fair first read of their application, answer ${n}.`);
      } else if (!typedChoice) {
        // A choice answered by typing its number.
        await replyInThread(page, '2');
        typedChoice = true;
      } else {
        await buttons.first().click();
        clickedChoice = true;
      }
      // Answered: the question shows the recorded answer in place of its buttons.
      await question.locator('.mrkdwn', { hasText: '✅' }).waitFor();
      expect(await buttons.count()).toBe(0);

      if (n === 1) {
        // Edit the first reply through the edit control; the answered question follows the edit.
        const reply = threadPane(page).locator('.msg-mine').first();
        await reply.hover();
        await reply.locator('[data-edit-ts]').click();
        await page.locator('[data-edit-box]').fill('Applicants get a fair, fast and explained first read.');
        await page.locator('[data-edit-save]').click();
        await threadPane(page).locator('.msg-mine', { hasText: '(edited)' }).waitFor();
        await questionMessage(page, 1).locator('.mrkdwn', { hasText: 'explained first read' }).waitFor();
      }
    }
    expect(typedChoice && clickedChoice).toBe(true);

    // Scrolled up, a reply brings the thread to its end, so the reply and the app's answer show.
    const scroller = threadPane(page).locator('[data-scroll]');
    await scroller.evaluate((element) => {
      element.scrollTop = 0;
    });
    await replyInThread(page, 'status');
    await threadPane(page).locator('.msg-bot', { hasText: 'Status of the review' }).last().waitFor();
    await page.waitForFunction(() => {
      const element = document.querySelector('#thread-region [data-scroll]');
      return element !== null && element.scrollHeight - element.scrollTop - element.clientHeight < 60;
    });

    const card = threadPane(page).locator('.msg-bot', { hasText: 'Summary: Resume screener' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Overall: Level');
    expect(await card.textContent()).toContain('Reward misspecification');
    await threadPane(page).locator('button', { hasText: 'Record a decision' }).waitFor();

    // The leads' channel got the compact card; its link opens the review's thread.
    await page.locator(`[data-place-channel="${LEADS_CHANNEL}"]`).click();
    const leadsCard = page.locator('.channel-pane .msg-bot', { hasText: 'Alignment review finished: Resume screener' });
    await leadsCard.waitFor();
    expect(await leadsCard.textContent()).toMatch(/Overall: Level (I|II|III|IV)/);
    await leadsCard.locator('a', { hasText: 'Open the review thread' }).click();
    await page.locator(`[data-place-channel="${REVIEW_CHANNEL}"].active`).waitFor();
    await threadPane(page).locator('.block-header', { hasText: 'Summary: Resume screener' }).waitFor();

    // The app's Home tab: opening it tells the app, and the page shows every block it published.
    await page.locator('.side-item[data-place-app="home"]').click();
    const home = await session.playground.slack.waitFor(({ world }) => (world.homeViews.U0ALICE ? world.views[world.homeViews.U0ALICE] : undefined), { description: 'a published Home tab' });
    const published = home.definition.blocks as unknown[];
    await page.locator('.home .blocks').waitFor();
    expect(await page.locator('.home .blocks > .block').count()).toBe(published.length);
  });

  it('starts a review from the modal with a named respondent; someone else is told privately, the respondent answers', async () => {
    await typeInComposer(page, '/alignment-review');
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('h2').textContent()).toBe('Alignment review');
    await modal.locator('select[data-action-id="ar_flow"]').selectOption('quick-check');
    // As in Slack, a required input left empty stops the submission before the app hears of it.
    const deliveries = session.playground.slack.deliveries.length;
    await modal.locator('[data-modal-submit]').click();
    await modal.locator('.block-input.has-error', { hasText: 'Please complete this required field.' }).waitFor();
    expect(session.playground.slack.deliveries.length).toBe(deliveries);
    // The choice already made survives the redraw.
    expect(await modal.locator('select[data-action-id="ar_flow"]').inputValue()).toBe('quick-check');
    await modal.locator('input[data-action-id="ar_system"]').fill('Loan approver');
    await modal.locator('input[data-action-id="ar_respondents"][value="U0BOB"]').check();
    await modal.locator('[data-modal-submit]').click();
    await modal.waitFor({ state: 'detached' });
    await threadPane(page).locator('.block-header', { hasText: 'Alignment review: Loan approver' }).waitFor();
    await questionMessage(page, 1).waitFor();

    // Alice is not a named respondent: only she sees the app's refusal.
    await replyInThread(page, 'Borrowers get a fair decision quickly.');
    const refusal = threadPane(page).locator('.msg-ephemeral', { hasText: 'can answer this review' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Only visible to you');
    expect(await refusal.textContent()).toContain('@bob');

    // As Bob the same thread takes the answer, and Alice's private notice is not his to see.
    await choosePerson(page, 'U0BOB');
    await threadPane(page).waitFor();
    expect(await threadPane(page).locator('.msg-ephemeral', { hasText: 'can answer this review' }).count()).toBe(0);
    await replyInThread(page, 'Borrowers get a fair decision quickly.');
    await questionMessage(page, 1).locator('.mrkdwn', { hasText: '✅' }).waitFor();
    await questionMessage(page, 2).waitFor();
    await choosePerson(page, 'U0ALICE');
  });

  it('ticks the boxes of a multi question and submits them', async () => {
    await typeInComposer(page, '/alignment-review Claims triage');
    await threadPane(page).locator('.block-header', { hasText: 'Alignment review: Claims triage' }).waitFor();
    let boxes = threadPane(page).locator('input[data-action-id="ar_multi_select"]');
    for (let n = 1; n <= 8 && (await boxes.count()) === 0; n++) {
      await questionMessage(page, n).waitFor();
      if ((await boxes.count()) > 0) break;
      await replyInThread(page, `A considered answer for question ${n}, long enough for any text question.`);
      await questionMessage(page, n).locator('.mrkdwn', { hasText: '✅' }).waitFor();
      boxes = threadPane(page).locator('input[data-action-id="ar_multi_select"]');
    }
    // Found by its ts: once answered it no longer has the boxes.
    const ts = await threadPane(page).locator('.msg-bot', { has: page.locator('input[data-action-id="ar_multi_select"]') }).getAttribute('data-surface-ts');
    const question = threadPane(page).locator(`.msg-bot[data-surface-ts="${ts}"]`);
    const labels = [(await question.locator('.choice').nth(0).textContent())!, (await question.locator('.choice').nth(1).textContent())!];
    await question.locator('input[data-action-id="ar_multi_select"]').nth(0).check();
    await question.locator('input[data-action-id="ar_multi_select"]').nth(1).check();
    // Each tick reaches the stand-in as Slack's block_actions, and is kept on the message for this person.
    await session.playground.slack.waitFor(({ world }) => {
      const message = world.messages.find((item) => JSON.stringify(item.state.U0ALICE ?? {}).includes('ar_multi_select'));
      const chosen = message && (message.state.U0ALICE?.ar_q_multi?.ar_multi_select as { selected_options?: unknown[] } | undefined);
      return chosen?.selected_options?.length === 2 ? chosen : undefined;
    }, { description: 'two ticks in the message state' });
    await question.locator('button[data-action-id="ar_multi_submit"]').click();
    const answered = question.locator('.mrkdwn', { hasText: '✅' });
    await answered.waitFor();
    const shown = (await answered.textContent())!;
    for (const label of labels) expect(shown).toContain(label.replace(/^\d+\.\s*/, '').trim());
  });

  it('sends an emptied input as Slack does (null), so a lead can clear the conditions of an earlier decision', async () => {
    // Bob starts it (Alice, who starts the other tests' reviews, would reach her limit of starts a minute) and finishes at once:
    // too little answered to assess, which the sign-off modal says.
    await choosePerson(page, 'U0BOB');
    await typeInComposer(page, '/alignment-review --flow quick-check Clearing check');
    await threadPane(page).locator('.block-header', { hasText: 'Alignment review: Clearing check' }).waitFor();
    await questionMessage(page, 1).waitFor();
    await replyInThread(page, 'finish');
    const card = threadPane(page).locator('.msg-bot', { hasText: 'Summary: Clearing check' }).last();
    await card.locator('button', { hasText: 'Record a decision' }).waitFor();
    // Alice, a workspace admin, records the decisions.
    await choosePerson(page, 'U0ALICE');
    await card.locator('button', { hasText: 'Record a decision' }).waitFor();

    const modal = page.locator('.modal');
    const record = async (outcome: string, conditions: string | null) => {
      await card.locator('button', { hasText: 'Record a decision' }).click();
      await modal.waitFor();
      await modal.locator(`input[data-action-id="${INPUTS.decision.action}"][value="${outcome}"]`).check();
      const box = modal.locator(`[data-action-id="${INPUTS.conditions.action}"]`);
      if (conditions !== null) await box.fill(conditions);
      return box;
    };

    await record('approved_with_conditions', 'Audit every denial for a month.');
    expect(await modal.textContent()).toContain(NOT_ASSESSED_WARNING);
    await modal.locator('[data-modal-submit]').click();
    await modal.waitFor({ state: 'detached' });
    await card.locator('.mrkdwn', { hasText: 'Audit every denial for a month.' }).waitFor();

    // Opened again, the box holds the earlier conditions; the lead clears it and approves outright.
    const box = await record('approved', null);
    expect(await box.inputValue()).toBe('Audit every denial for a month.');
    await box.fill('');
    const submitted = session.playground.slack.deliveries.length;
    await modal.locator('[data-modal-submit]').click();
    await modal.waitFor({ state: 'detached' });
    // The app got the box as Slack sends an emptied one: value null, not the text it started with.
    const delivery = session.playground.slack.deliveries.slice(submitted).find((item) => item.description === 'view_submission');
    const payload = JSON.parse(new URLSearchParams(String(delivery?.body)).get('payload') ?? '{}') as { view?: { state?: { values?: Record<string, Record<string, unknown>> } } };
    expect(payload.view?.state?.values?.[INPUTS.conditions.block]?.[INPUTS.conditions.action]).toEqual({ type: 'plain_text_input', value: null });
    await card.locator('.mrkdwn', { hasText: 'Approved by' }).waitFor();
    expect(await card.textContent()).not.toContain('Audit every denial for a month.');
  });

  it('shows message text as text, never as markup, and an unknown block as a visible placeholder', async () => {
    const client = new WebClient(session.playground.slack.botToken, { slackApiUrl: session.playground.slack.apiUrl });
    await client.chat.postMessage({
      channel: REVIEW_CHANNEL,
      text: 'A message with blocks the page must handle',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '<script>window.__injected = 1</script> <img src=x onerror="window.__injected = 2"> *still bold*' } },
        { type: 'mystery_block', block_id: 'mystery' } as never,
      ],
    });
    const message = page.locator('.channel-pane .msg-bot', { hasText: 'still bold' });
    await message.waitFor();
    expect(await message.locator('.unsupported-block').textContent()).toBe('Unsupported block: mystery_block');
    expect(await message.textContent()).toContain('<script>window.__injected = 1</script>');
    expect(await message.locator('b').textContent()).toBe('still bold');

    // What a person types is sent as Slack's client sends it and shown as typed.
    await typeInComposer(page, '<b>not bold</b> & <script>window.__injected = 3</script>');
    const typed = page.locator('.channel-pane .msg-mine', { hasText: 'not bold' });
    await typed.waitFor();
    expect(await typed.locator('.msg-text').textContent()).toBe('<b>not bold</b> & <script>window.__injected = 3</script>');

    expect(await page.locator('.messages script, .messages img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  });
});

describe('the page at narrower windows', () => {
  it('at 800 px an open thread takes the channel’s place and its close control brings the channel back; at 1280 px both stand side by side as before', async () => {
    await page.setViewportSize({ width: 800, height: 700 });
    await typeInComposer(page, '/alignment-review --flow quick-check Resume screener');
    await questionMessage(page, 1).waitFor();

    let layout = await layoutOf(page);
    expect(layout.thread).not.toBeNull();
    expect(layout.thread!.width).toBeGreaterThanOrEqual(USABLE_COLUMN);
    // The channel is either out of the way or has a usable width of its own beside the thread.
    if (layout.channel) {
      expect(layout.channel.width).toBeGreaterThanOrEqual(USABLE_COLUMN);
      expect(layout.channel.right).toBeLessThanOrEqual(layout.thread!.left + 1);
    }
    if (layout.sidebar) expect(layout.sidebar.right).toBeLessThanOrEqual(Math.min(layout.thread!.left, layout.channel?.left ?? Infinity) + 1);
    expectNoSidewaysOverflow(layout);

    // The thread works at this width: an answer by typing, a choice by its button.
    await replyInThread(page, 'Applicants get a fair, fast first read, and every rejection can be explained to them.');
    await questionMessage(page, 1).locator('.mrkdwn', { hasText: '✅' }).waitFor();
    const second = questionMessage(page, 2);
    await second.waitFor();
    expectNoSidewaysOverflow(await layoutOf(page));

    // Its close control brings the channel back, at a usable width, with its composer.
    await threadPane(page).locator('[data-close-thread]').click();
    await threadPane(page).waitFor({ state: 'detached' });
    layout = await layoutOf(page);
    expect(layout.channel).not.toBeNull();
    expect(layout.channel!.width).toBeGreaterThanOrEqual(USABLE_COLUMN);
    expect(await page.locator('#composer textarea').isVisible()).toBe(true);
    expectNoSidewaysOverflow(layout);

    // At 1280 px the channel and the thread stand side by side, as they always did: 260 px, 460 px and 560 px.
    await page.locator('.channel-pane .reply-summary').first().click();
    await threadPane(page).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    layout = await layoutOf(page);
    expect(layout.sidebar).toMatchObject({ left: 0, width: 260 });
    expect(layout.channel).toMatchObject({ left: 260, right: 720 });
    // The thread's column starts at 720 px with its 1 px border.
    expect(layout.thread).toMatchObject({ left: 721, right: 1280 });
    expect(await page.locator('#composer textarea').isVisible()).toBe(true);
    expect(await page.locator('#thread-composer textarea').isVisible()).toBe(true);
    expectNoSidewaysOverflow(layout);
  });

  it('at a phone’s width the sidebar waits behind a button, and the channel, its composer, a thread and the start modal fit the window', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    let layout = await layoutOf(page);
    expect(layout.sidebar).toBeNull();
    expect(layout.channel!.width).toBe(390);
    expectNoSidewaysOverflow(layout);

    // The button shows the sidebar; going to a channel puts it away again.
    const toggle = page.locator('[data-sidebar-toggle]');
    await toggle.click();
    await page.locator('#sidebar').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expectNoSidewaysOverflow(await layoutOf(page));
    await page.locator(`[data-place-channel="${LEADS_CHANNEL}"]`).click();
    await page.locator('#sidebar').waitFor({ state: 'hidden' });
    await page.locator(`.channel-pane[data-channel="${LEADS_CHANNEL}"]`).waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await page.locator(`[data-place-channel="${REVIEW_CHANNEL}"]`).click();
    await page.locator(`.channel-pane[data-channel="${REVIEW_CHANNEL}"]`).waitFor();

    // The start modal fits, and its inputs and buttons work.
    await typeInComposer(page, '/alignment-review');
    const modal = page.locator('.modal');
    await modal.waitFor();
    expectNoSidewaysOverflow(await layoutOf(page));
    await modal.locator('select[data-action-id="ar_flow"]').selectOption('quick-check');
    await modal.locator('input[data-action-id="ar_system"]').fill('Loan approver');
    await modal.locator('input[data-action-id="ar_respondents"][value="U0ALICE"]').check();
    await modal.locator('[data-modal-submit]').click();
    await modal.waitFor({ state: 'detached' });

    // The review's thread takes the whole window; its question's buttons and its composer fit.
    await questionMessage(page, 1).waitFor();
    layout = await layoutOf(page);
    expect(layout.channel).toBeNull();
    expect(layout.thread!.width).toBe(390);
    expectNoSidewaysOverflow(layout);
    await replyInThread(page, 'Borrowers get a fair decision quickly.');
    await questionMessage(page, 1).locator('.mrkdwn', { hasText: '✅' }).waitFor();
    await questionMessage(page, 2).waitFor();
    expectNoSidewaysOverflow(await layoutOf(page));
    await threadPane(page).locator('[data-close-thread]').click();
    await page.locator('.channel-pane').waitFor();
    expect(await page.locator('#composer textarea').isVisible()).toBe(true);
  });
});
