/**
 * In real headless Chromium: the app's Messages tab is read-only (as the
 * manifest makes it in Slack), so it shows the app's messages and a line
 * saying so, and no composer; a channel keeps its composer.
 */
import { readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REVIEW_CHANNEL } from '../../src/playground/workspace.js';
import { APP_MESSAGES_READ_ONLY } from '../../src/playground/web/render/screen.js';
import { playgroundPageSession } from './support/page-session.js';

const session = playgroundPageSession();
let page: Page;

beforeEach(async () => {
  page = await session.open();
});

const composer = () => page.locator('#composer');
const readOnlyLine = () => page.locator('.app-pane [data-read-only]');

async function openAppMessages(): Promise<void> {
  await page.locator('.side-item[data-place-app="home"]').click();
  await page.locator('.tab[data-place-app="messages"]').click();
  await page.locator('.app-pane .tab.active', { hasText: 'Messages' }).waitFor();
}

describe('the app’s Messages tab', () => {
  it('is read-only in the manifest, as the page takes it', () => {
    const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as { features: { app_home: { messages_tab_read_only_enabled: boolean } } };
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(true);
    expect(APP_MESSAGES_READ_ONLY).toBe(true);
  });

  it('shows the app’s messages and a line saying they appear there, with no composer', async () => {
    const client = new WebClient(session.playground.slack.botToken, { slackApiUrl: session.playground.slack.apiUrl });
    const { channel } = await client.conversations.open({ users: 'U0ALICE' });
    await client.chat.postMessage({ channel: channel!.id!, text: 'Your review of Resume screener is waiting for you.' });

    await openAppMessages();
    await page.locator('.app-pane .msg-bot', { hasText: 'Your review of Resume screener is waiting for you.' }).waitFor();
    expect(await composer().isVisible()).toBe(false);
    expect(await page.locator('textarea[aria-label="Message"]').isVisible()).toBe(false);
    await readOnlyLine().waitFor();
    expect(await readOnlyLine().textContent()).toBe('Messages from Alignment Review appear here. Sending messages to this app has been turned off.');
  });

  it('leaves the composer to the channels, and the Home tab without either', async () => {
    await openAppMessages();
    await readOnlyLine().waitFor();
    await page.locator('.tab[data-place-app="home"]').click();
    await page.locator('.app-pane .tab.active', { hasText: 'Home' }).waitFor();
    expect(await readOnlyLine().count()).toBe(0);
    expect(await composer().isVisible()).toBe(false);

    await page.locator(`[data-place-channel="${REVIEW_CHANNEL}"]`).click();
    await page.locator(`.channel-pane[data-channel="${REVIEW_CHANNEL}"]`).waitFor();
    expect(await composer().isVisible()).toBe(true);
    expect(await page.locator('[data-read-only]').count()).toBe(0);
  });
});
