/**
 * The lifecycle the playground's browser tests share: one test playground
 * and one Chromium per file, pages opened on the playground at the size a
 * test asks for and closed after it, and no script error on them, checked
 * after each test (and forgotten then, so one test's error fails only it).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser.js';
import { startTestPlayground, type TestPlayground } from './playground.js';

export interface PageSession {
  /** The file's playground; only inside tests and hooks. */
  readonly playground: TestPlayground;
  /** The playground in a new page, its channel shown. */
  open(viewport?: { width: number; height: number }): Promise<Page>;
}

export function playgroundPageSession(): PageSession {
  let playground: TestPlayground | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [playground, browser] = await Promise.all([startTestPlayground(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
  });

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const started = () => {
    if (!playground || !browser) throw new Error('the playground is started in beforeAll: use it inside tests and hooks');
    return { playground, browser };
  };

  return {
    get playground() {
      return started().playground;
    },
    async open(viewport = { width: 1400, height: 900 }) {
      const { playground: running, browser: chromium } = started();
      const page = await chromium.newPage({ viewport });
      pages.push(page);
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(running.base);
      await page.locator('.channel-pane').waitFor();
      return page;
    },
  };
}
