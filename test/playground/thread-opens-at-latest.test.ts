/**
 * In real headless Chromium: a thread opens scrolled to its latest message,
 * so the question to answer shows, at a phone's width (where the thread
 * takes the channel's place) as at a wide window; it then follows new
 * messages while the reader is at its end, and leaves a reader who scrolled
 * up where they are.
 */
import { WebClient } from '@slack/web-api';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REVIEW_CHANNEL } from '../../src/playground/workspace.js';
import { questionMessage, replyInThread, threadPane, typeInComposer } from './support/page-driver.js';
import { playgroundPageSession } from './support/page-session.js';

const session = playgroundPageSession();
let page: Page;

async function openPage(width: number, height: number): Promise<void> {
  page = await session.open({ width, height });
}

/** How far the thread's messages are from their end, in pixels (0: at the end). */
function distanceFromEnd(): Promise<number> {
  return page.evaluate(() => {
    const scroller = document.querySelector('#thread-region [data-scroll]');
    if (!scroller) throw new Error('no thread shown');
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
  });
}

/** Whether the thread's last message is shown within the thread's visible area. */
function lastMessageShown(): Promise<boolean> {
  return page.evaluate(() => {
    const scroller = document.querySelector('#thread-region [data-scroll]');
    const last = scroller?.querySelector('.msg:last-of-type');
    if (!scroller || !last) return false;
    const area = scroller.getBoundingClientRect();
    const box = last.getBoundingClientRect();
    return box.bottom <= area.bottom + 1 && box.bottom > area.top;
  });
}

async function expectAtLatest(): Promise<void> {
  await page.waitForFunction(() => {
    const scroller = document.querySelector('#thread-region [data-scroll]');
    return scroller !== null && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 2;
  }, undefined, { timeout: 3000 }).catch(() => undefined);
  expect(await distanceFromEnd()).toBeLessThan(2);
  expect(await lastMessageShown()).toBe(true);
}

/** A review with enough answered questions that its thread is several screens long; the thread is left closed. */
async function longReview(system: string): Promise<void> {
  await typeInComposer(page, `/alignment-review --flow quick-check ${system}`);
  await questionMessage(page, 1).waitFor();
  await replyInThread(page, 'Applicants get a fair, fast first read, and every rejection can be explained to them.');
  await questionMessage(page, 2).waitFor();
  await replyInThread(page, 'Share of applicants a recruiter shortlists after the first read.');
  // After the metric come the suggested proxy failures, then question 3.
  await questionMessage(page, 3).waitFor();
  const scroller = page.locator('#thread-region [data-scroll]');
  expect(await scroller.evaluate((element) => element.scrollHeight > element.clientHeight * 2)).toBe(true);
  await threadPane(page).locator('[data-close-thread]').click();
  await threadPane(page).waitFor({ state: 'detached' });
}

async function openThreadFromChannel(system: string): Promise<void> {
  const root = page.locator('.channel-pane .msg', { hasText: `Alignment review: ${system}` }).last();
  await root.locator('.reply-summary').click();
  await questionMessage(page, 3).waitFor();
}

describe('a thread at a phone’s width (390 px)', () => {
  it('opens at its latest message, the question to answer', async () => {
    await openPage(390, 700);
    await longReview('Resume screener');
    await openThreadFromChannel('Resume screener');
    await expectAtLatest();
    expect(await questionMessage(page, 3).isVisible()).toBe(true);
  });

  it('follows new messages while the reader is at its end, and stays put for one who scrolled up', async () => {
    await openPage(390, 700);
    await longReview('Loan approver');
    await openThreadFromChannel('Loan approver');
    await expectAtLatest();

    // An answer brings the next question, which shows.
    await questionMessage(page, 3).locator('button[data-act="button"]').first().click();
    await questionMessage(page, 4).waitFor();
    await expectAtLatest();

    // Scrolled up to read, a new message in the thread does not pull the reader down.
    const scroller = page.locator('#thread-region [data-scroll]');
    await scroller.evaluate((element) => {
      element.scrollTop = 0;
    });
    const threadTs = await threadPane(page).getAttribute('data-thread-ts');
    const client = new WebClient(session.playground.slack.botToken, { slackApiUrl: session.playground.slack.apiUrl });
    await client.chat.postMessage({ channel: REVIEW_CHANNEL, thread_ts: threadTs!, text: 'A note from the app while the reader reads' });
    await threadPane(page).locator('.msg-bot', { hasText: 'A note from the app while the reader reads' }).waitFor({ state: 'attached' });
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(0);
  });
});

describe('a thread at a wide window (1400 px)', () => {
  it('opens at its latest message too', async () => {
    await openPage(1400, 700);
    await longReview('Claims triage');
    await openThreadFromChannel('Claims triage');
    await expectAtLatest();
  });
});
