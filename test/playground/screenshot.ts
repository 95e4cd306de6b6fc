/**
 * Takes docs/playground.png: the playground mid-review, thread open, a
 * question with its buttons in view. Run: npx tsx test/playground/screenshot.ts [out.png]
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { launchChromium } from './support/browser.js';
import { questionMessage, replyInThread, threadPane, typeInComposer } from './support/page-driver.js';
import { startTestPlayground } from './support/playground.js';

const out = resolve(process.argv[2] ?? 'docs/playground.png');
const playground = await startTestPlayground();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000);
  await page.goto(playground.base);
  await typeInComposer(page, '/alignment-review --flow quick-check Resume screener');
  await questionMessage(page, 1).waitFor();
  await replyInThread(page, 'Applicants get a fair, fast first read, and every rejection can be explained to them.');
  await questionMessage(page, 2).waitFor();
  await replyInThread(page, 'Share of screened-in candidates who pass the first interview.');
  // The offline library's proxy failures come after the next question; mark the first one relevant.
  const relevant = threadPane(page).locator('button', { hasText: /^Relevant$/ }).first();
  await relevant.click();
  await questionMessage(page, 3).locator('button[data-action-id="ar_answer_option_1"]').click();
  const next = questionMessage(page, 4);
  await next.locator('button[data-act="button"]').first().waitFor();
  await next.scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`Saved ${out}`);
} finally {
  await browser.close();
  await playground.stop();
}
