import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AREA_IDS } from '../../src/engine/areas.js';
import { ALICE, BOB, CAROL, CHANNEL, LEADS } from '../support/app-harness.js';
import { stateOf, waitUntil } from '../support/review-driver.js';
import { parseCsv } from '../leads/support/csv-parse.js';
import { OTHER, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, filesIn, finishedReview, leadsCardOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

async function exportedFiles(reviewChannel: string, threadTs: string, count = 2) {
  const files = await h.slack.waitFor(
    () => {
      const found = filesIn(h, reviewChannel, threadTs);
      return found.length >= count ? found : undefined;
    },
    { description: 'the exported files in the thread' },
  );
  const markdown = files.find((file) => file.name.endsWith('.md'));
  const json = files.find((file) => file.name.endsWith('.json'));
  expect(markdown).toBeDefined();
  expect(json).toBeDefined();
  return { markdown: markdown!.content, json: JSON.parse(json!.content) as Record<string, unknown> & { history: unknown[]; summary: Record<string, unknown> } };
}

describe('exporting one review', () => {
  it('uploads the Markdown report and the JSON into the thread from the card’s Export button', async () => {
    const review = await finishedReview(h, 'Resume screener', ALICE);
    const state = await stateOf(h, review.reviewId);
    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_export' });
    const { markdown, json } = await exportedFiles(CHANNEL, review.threadTs);

    expect(markdown).toContain('# Alignment review: Resume screener');
    expect(markdown).toContain('## Risks by area');
    expect(markdown).toContain('## Questions and answers');
    expect(markdown).toContain('## Suggestions and verdicts');
    expect(markdown).toContain('## History');
    // People are named, with their ids, so the file says who did what outside Slack.
    expect(markdown).toContain('Alice Moreau (U0ALICE)');
    expect(markdown).toMatch(/Exported .* by Bob Okafor \(U0BOB\)/);

    expect(json.schemaVersion).toBe(1);
    expect(json.review).toMatchObject({ id: review.reviewId, channelId: CHANNEL, threadTs: review.threadTs, systemName: 'Resume screener', status: 'completed' });
    expect(json.history).toEqual(state.history);
    const summary = json.summary as { score: { areas: { area: string; drivers: unknown[] }[] }; answers: { by?: string; at?: string }[] };
    expect(summary.score.areas.map((area) => area.area).sort()).toEqual([...AREA_IDS].sort());
    expect(summary.answers.every((answer) => answer.by === ALICE && typeof answer.at === 'string')).toBe(true);
    expect(json.exportedBy).toBe(BOB);

    const share = h.slack.world.messages.find((message) => message.threadTs === review.threadTs && message.subtype === 'file_share');
    expect(share?.text).toContain(`requested by <@${BOB}>`);
  });

  it('exports by command into the review’s thread, says where privately, and from the leads’ card too', async () => {
    const review = await finishedReview(h, 'Support bot', ALICE);
    await h.slack.slashCommand({ userId: CAROL, channelId: LEADS, command: '/alignment-review', text: `export ${review.reviewId.toLowerCase()}` });
    await exportedFiles(CHANNEL, review.threadTs);
    // Named by its system, with a link to its thread, not by its id alone.
    const told = await waitForEphemeral(h, CAROL, new RegExp(`export of \\*Support bot\\* \\(\`${review.reviewId}\`\\) is in <https?://[^|>]+\\|the review's thread>`));
    expect(told.text).toContain(`<#${CHANNEL}>`);
    expect(filesIn(h, LEADS)).toEqual([]);

    const seq = h.slack.world.seq;
    await h.slack.clickButton({ userId: CAROL, channelId: LEADS, messageTs: leadsCardOf(h, review.reviewId).ts, actionId: 'ar_export' });
    await exportedFiles(CHANNEL, review.threadTs, 4);
    await waitForEphemeral(h, CAROL, /is in <https?:\/\/[^|>]+\|the review's thread>/, seq);
  });

  it('says so privately when there is no such review', async () => {
    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: 'export RZZZZZZZ' });
    await waitForEphemeral(h, BOB, /There is no review `RZZZZZZZ`/);
    expect(h.slack.world.files).toEqual([]);
  });
});

describe('exporting reviews as CSV', () => {
  const tricky = '=HYPERLINK("http://evil.example","Click"), with "quotes"';

  it('gives one row per review of the channel, escaped and safe from formulas, uploaded to that channel', async () => {
    const first = await finishedReview(h, tricky, ALICE);
    const elsewhere = await finishedReview(h, 'Other channel bot', BOB, OTHER);
    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv' });
    const [file] = await h.slack.waitFor(() => (filesIn(h, CHANNEL).length ? filesIn(h, CHANNEL) : undefined), { description: 'the CSV in the channel' });
    expect(file!.name).toMatch(/^alignment-reviews-channel-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file!.content).toContain('\r\n');
    // Marked as UTF-8 for spreadsheets, so names with accents and dashes read right.
    expect(file!.content.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(file!.content.slice(1));
    const header = rows[0]!;
    expect(header.slice(0, 3)).toEqual(['review_id', 'system', 'channel']);
    expect(header).toContain('level_reward_misspecification');
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(header.map((name, i) => [name, rows[1]![i]]));
    expect(row.review_id).toBe(first.reviewId);
    expect(row.system).toBe(`'${tricky}`);
    expect(row.flow).toBe('quick-check');
    expect(row.participants).toBe(ALICE);
    expect(row.overall_level).toMatch(/^(I|II|III|IV)$/);
    for (const area of AREA_IDS) expect(row[`level_${area}`]).toMatch(/^(low|medium|high|not_assessed)$/);
    expect(file!.content).not.toContain(elsewhere.reviewId);
    await waitForEphemeral(h, BOB, /Posted 1 review as CSV/);
  });

  it('gives the whole workspace only to leads and admins, and only in the leads’ channel', async () => {
    const one = await finishedReview(h, 'First system', ALICE);
    const two = await finishedReview(h, 'Second system', BOB, OTHER);

    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv --all' });
    await waitForEphemeral(h, BOB, /Only the review leads/);
    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv --all' });
    await waitForEphemeral(h, CAROL, new RegExp(`only posted in the leads' channel: run this in <#${LEADS}>`));
    expect(h.slack.world.files).toEqual([]);

    await h.slack.slashCommand({ userId: CAROL, channelId: LEADS, command: '/alignment-review', text: 'export --csv --all' });
    const [file] = await h.slack.waitFor(() => (filesIn(h, LEADS).length ? filesIn(h, LEADS) : undefined), { description: 'the CSV in the leads channel' });
    const ids = parseCsv(file!.content.replace(/^\uFEFF/, ''))
      .slice(1)
      .map((row) => row[0]);
    expect(ids.sort()).toEqual([one.reviewId, two.reviewId].sort());
    await waitUntil(() => h.logs.find((line) => line.msg === 'Reviews exported as CSV' && line.rows === 2), 'the export logged');
  });
});
