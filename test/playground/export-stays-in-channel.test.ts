/**
 * In real headless Chromium: `/alignment-review export --csv` typed in a
 * channel leaves the person in that channel, where the app's private note
 * says where the files went; the files arrive in the app's Messages tab,
 * which the sidebar marks unread until it is opened, but the page does not
 * jump there. A thread in that read-only tab (as in Slack with the
 * manifest's messages_tab_read_only_enabled) offers no reply composer and
 * no "Reply in thread" action.
 */
import { WebClient } from '@slack/web-api';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { REVIEW_CHANNEL } from '../../src/playground/workspace.js';
import { threadPane, typeInComposer } from './support/page-driver.js';
import { playgroundPageSession } from './support/page-session.js';

const session = playgroundPageSession();
let page: Page;

beforeEach(async () => {
  page = await session.open();
});

const appItem = () => page.locator('.side-item[data-place-app="home"]');
const unreadMark = () => appItem().locator('[data-unread]');

/** Messages with files in a direct message with the app, as the stand-in holds them. */
function filesInDms(): number {
  const ims = new Set(session.playground.slack.world.channels.filter((channel) => channel.isIm).map((channel) => channel.id));
  return session.playground.slack.world.messages.filter((message) => ims.has(message.channel) && (message.files?.length ?? 0) > 0).length;
}

describe('an export asked for in a channel', () => {
  it('leaves the person in the channel with the note, and marks the app’s Messages tab unread', async () => {
    await typeInComposer(page, '/alignment-review --flow quick-check Resume screener');
    await threadPane(page).locator('.block-header', { hasText: 'Alignment review: Resume screener' }).waitFor();
    await threadPane(page).locator('[data-close-thread]').click();
    await threadPane(page).waitFor({ state: 'detached' });
    expect(await unreadMark().count()).toBe(0);

    const before = filesInDms();
    await typeInComposer(page, '/alignment-review export --csv');
    const note = page.locator(`.channel-pane[data-channel="${REVIEW_CHANNEL}"] .msg-ephemeral`, { hasText: 'as CSV in a direct message' });
    await note.waitFor();
    await expect.poll(filesInDms, { timeout: 10_000 }).toBe(before + 1);
    await unreadMark().waitFor();
    // Give the page every chance to (wrongly) follow the new message.
    await page.waitForTimeout(500);

    expect(await page.locator(`.channel-pane[data-channel="${REVIEW_CHANNEL}"]`).count()).toBe(1);
    expect(await page.locator('.app-pane').count()).toBe(0);
    expect(await threadPane(page).count()).toBe(0);
    expect(await page.locator('#thread-composer').isVisible()).toBe(false);
    expect(await page.locator('#composer').isVisible()).toBe(true);
    expect(await note.isVisible()).toBe(true);
    expect(await unreadMark().textContent()).toBe('1');

    await appItem().click();
    await page.locator('.tab[data-place-app="messages"] [data-unread]').waitFor();
    await page.locator('.tab[data-place-app="messages"]').click();
    await page.locator('.app-pane .msg-bot .file-card', { hasText: 'Alignment reviews of #ai-reviews' }).waitFor();
    expect(await unreadMark().count()).toBe(0);
    expect(await page.locator('.tab[data-place-app="messages"] [data-unread]').count()).toBe(0);
    expect(await threadPane(page).count()).toBe(0);
  });
});

describe('a thread in the app’s read-only Messages tab', () => {
  it('shows the replies with no reply composer and no way to reply', async () => {
    const client = new WebClient(session.playground.slack.botToken, { slackApiUrl: session.playground.slack.apiUrl });
    const { channel } = await client.conversations.open({ users: 'U0ALICE' });
    const root = await client.chat.postMessage({ channel: channel!.id!, text: 'Your weekly digest is ready.' });
    await client.chat.postMessage({ channel: channel!.id!, thread_ts: root.ts!, text: 'Details of the digest.' });

    await appItem().click();
    await page.locator('.tab[data-place-app="messages"]').click();
    const message = page.locator('.app-pane .msg-bot', { hasText: 'Your weekly digest is ready.' });
    await message.waitFor();
    await message.hover();
    expect(await message.locator('.msg-actions [title="Reply in thread"]').count()).toBe(0);

    await message.locator('.reply-summary').click();
    await threadPane(page).locator('.msg-bot', { hasText: 'Details of the digest.' }).waitFor();
    expect(await page.locator('#thread-composer').isVisible()).toBe(false);
    expect(await page.locator('#thread-composer textarea').isVisible()).toBe(false);
    await threadPane(page).locator('[data-read-only]').waitFor();
    expect(await page.locator('#composer').isVisible()).toBe(false);
  });
});
