/**
 * Drives the playground page as a person would: the composers, the thread,
 * buttons, the person picker. Only what is on screen is used; nothing is
 * read from the store.
 */
import type { Locator, Page } from 'playwright-core';

export async function typeInComposer(page: Page, text: string): Promise<void> {
  const box = page.locator('#composer textarea');
  await box.fill(text);
  await box.press('Enter');
}

export async function replyInThread(page: Page, text: string): Promise<void> {
  const box = page.locator('#thread-composer textarea');
  await box.fill(text);
  await box.press('Enter');
  // The composer empties once the stand-in took the message.
  await page.waitForFunction(() => (document.querySelector('#thread-composer textarea') as HTMLTextAreaElement | null)?.value === '');
}

export function threadPane(page: Page): Locator {
  return page.locator('.thread-pane');
}

/** The thread message that asks question `n` (it keeps its heading once answered). */
export function questionMessage(page: Page, n: number): Locator {
  return threadPane(page).locator('.msg-bot', { hasText: new RegExp(`Question ${n} of \\d+`) }).last();
}

export async function choosePerson(page: Page, userId: string): Promise<void> {
  await page.locator('[data-person-picker]').selectOption(userId);
}
