/**
 * `/alignment-review export --csv` with anything beside it but `--all`: a
 * review id, a word that is no review id, a second word, another flag. Each
 * is refused the same way, with the usage for one review and for a CSV, and
 * nothing is sent. Through the real app: a signed slash command from the
 * stand-in to the Bolt receiver.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSV_WITH_REVIEW } from '../../src/leads/commands.js';
import { BOB, CHANNEL } from '../support/app-harness.js';
import { dmChannelOf, ephemeralsOf, finishedReview, waitForEphemeral } from '../leads/support/leads-driver.js';
import { startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

/** The private answer to one command, and only that one. */
async function answerTo(text: string): Promise<string> {
  const since = ephemeralsOf(h, BOB).at(-1)?.seq ?? 0;
  await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text });
  const told = await waitForEphemeral(h, BOB, /./, since);
  await h.slack.settled();
  expect(ephemeralsOf(h, BOB, since)).toHaveLength(1);
  return told.text;
}

describe('export --csv with a stray argument', () => {
  it('is refused with the usage for one review and for a CSV, whatever the stray word, and nothing is sent', async () => {
    const review = await finishedReview(h, 'Resume screener', BOB);
    for (const text of ['export --csv foo', 'export --csv foo bar', 'export --csv --all foo', 'export foo --csv', 'export --csv --zip', `export --csv ${review.reviewId}`]) {
      expect({ text, told: await answerTo(text) }).toEqual({ text, told: CSV_WITH_REVIEW });
    }
    expect(CSV_WITH_REVIEW).toContain('/alignment-review export &lt;review&gt;');
    expect(CSV_WITH_REVIEW).toContain('/alignment-review export --csv [--all]');
    expect(h.slack.world.files).toEqual([]);
    expect(dmChannelOf(h, BOB)).toBeUndefined();
  });

  it('still exports the channel with --csv alone, and still tells a mistyped review id apart without --csv', async () => {
    await finishedReview(h, 'Resume screener', BOB);
    expect(await answerTo('export foo')).toBe('`foo` is not a review id; `/alignment-review list` shows them.');
    expect(await answerTo('export --csv')).toMatch(/CSV/);
    expect(h.slack.world.files.filter((file) => file.name.endsWith('.csv'))).toHaveLength(1);
  });
});
