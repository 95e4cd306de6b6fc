import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AREA_IDS } from '../../src/engine/areas.js';
import { ALICE, BOB, CAROL, CHANNEL, LEADS } from '../support/app-harness.js';
import { CSV_WITH_REVIEW } from '../../src/leads/commands.js';
import { INPUTS } from '../../src/slack/ids.js';
import { startReview, stateOf, waitForVersion, waitUntil, type StartedReview } from '../support/review-driver.js';
import { parseCsv } from '../leads/support/csv-parse.js';
import { DAN, OTHER, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { cardWithButtons, dmChannelOf, filesIn, filesSentTo, finishedReview, leadsCardOf, topModalOf, waitForEphemeral } from '../leads/support/leads-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

async function filesFor(userId: string, count: number) {
  return h.slack.waitFor(
    () => {
      const found = filesSentTo(h, userId);
      return found.length >= count ? found : undefined;
    },
    { description: `${count} files sent to ${userId}` },
  );
}

async function exportedFiles(userId: string, count = 2) {
  const files = (await filesFor(userId, count)).slice(count - 2);
  const markdown = files.find((file) => file.name.endsWith('.md'));
  const json = files.find((file) => file.name.endsWith('.json'));
  expect(markdown).toBeDefined();
  expect(json).toBeDefined();
  return { markdown: markdown!.content, json: JSON.parse(json!.content) as Record<string, unknown> & { history: unknown[]; summary: Record<string, unknown> } };
}

/** Nothing of an export in a channel or thread others read: no file, no file_share message. */
function expectNothingPostedIn(channelId: string): void {
  expect(filesIn(h, channelId)).toEqual([]);
  expect(h.slack.world.messages.filter((message) => message.channel === channelId && (message.subtype === 'file_share' || message.files?.length))).toEqual([]);
}

function csvRows(content: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(content.replace(/^\uFEFF/, ''));
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

describe('exporting one review', () => {
  it('names a person an answer mentions in the Markdown, though they took no part', async () => {
    const review = await finishedReview(h, 'Resume screener', ALICE);
    const goal = (await stateOf(h, review.reviewId)).answers.human_goal!;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: goal.messageTs!, text: `Hire the people who will do the job well; <@${DAN}> owns the hiring data.` });
    await waitForVersion(h, review, (state) => state.answers.human_goal?.value.kind === 'text' && state.answers.human_goal.value.text.includes(DAN), 'the edited goal');
    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_export' });
    const { markdown } = await exportedFiles(BOB);
    expect(markdown).toContain('@Dan Ito owns the hiring data');
    expect(markdown).not.toContain(`<@${DAN}>`);
  });

  it('sends the Markdown report and the JSON to the person who clicked the card’s Export button, in a direct message, and nothing to the thread', async () => {
    const review = await finishedReview(h, 'Resume screener', ALICE);
    const state = await stateOf(h, review.reviewId);
    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_export' });
    const { markdown, json } = await exportedFiles(BOB);

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

    // The direct message says what it is and links to the thread; the thread itself shows nothing, and Bob is told where the files went.
    const dm = dmChannelOf(h, BOB)!;
    const share = h.slack.world.messages.find((message) => message.channel === dm && message.subtype === 'file_share');
    expect(share?.text).toMatch(new RegExp(`Export of \\*Resume screener\\* \\(\`${review.reviewId}\`\\) from <#${CHANNEL}>.*<https?://[^|>]+\\|Open its thread>`));
    await waitForEphemeral(h, BOB, new RegExp(`I sent you the export of \\*Resume screener\\* \\(\`${review.reviewId}\`\\) in a direct message`));
    expectNothingPostedIn(CHANNEL);
    expectNothingPostedIn(LEADS);
    expect(filesSentTo(h, ALICE)).toEqual([]);
  });

  it('sends it privately by command and from the leads’ card, and says where it went', async () => {
    const review = await finishedReview(h, 'Support bot', ALICE);
    await h.slack.slashCommand({ userId: CAROL, channelId: LEADS, command: '/alignment-review', text: `export ${review.reviewId.toLowerCase()}` });
    await exportedFiles(CAROL);
    const told = await waitForEphemeral(h, CAROL, new RegExp(`I sent you the export of \\*Support bot\\* \\(\`${review.reviewId}\`\\) in a direct message \\(\\*Alignment Review\\* under \\*Apps\\*\\)`));
    expect(told.text).toContain('Nothing was posted in its thread');

    const seq = h.slack.world.seq;
    await h.slack.clickButton({ userId: CAROL, channelId: LEADS, messageTs: leadsCardOf(h, review.reviewId).ts, actionId: 'ar_export' });
    await exportedFiles(CAROL, 4);
    await waitForEphemeral(h, CAROL, /I sent you the export of/, seq);
    expectNothingPostedIn(CHANNEL);
    expectNothingPostedIn(LEADS);
  });

  it('sends a review only to someone who could read it already: in it, asking from its channel, or a lead', async () => {
    const review = await finishedReview(h, 'Credit scorer', ALICE);
    // Dan took no part and asks from another channel: refused, and nothing is sent.
    await h.slack.slashCommand({ userId: DAN, channelId: OTHER, command: '/alignment-review', text: `export ${review.reviewId}` });
    await waitForEphemeral(h, DAN, /^Only the people taking part in a review, anyone asking from its own channel, the review leads and workspace admins can export it: .* Nothing was sent\.$/);
    expect(h.slack.world.files).toEqual([]);
    // Alice started it: from anywhere.
    await h.slack.slashCommand({ userId: ALICE, channelId: OTHER, command: '/alignment-review', text: `export ${review.reviewId}` });
    await exportedFiles(ALICE);
  });

  it('says so privately when there is no such review', async () => {
    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: 'export RZZZZZZZ' });
    await waitForEphemeral(h, BOB, /There is no review `RZZZZZZZ`/);
    expect(h.slack.world.files).toEqual([]);
  });
});

describe('exporting reviews as CSV', () => {
  const tricky = '=HYPERLINK("http://evil.example","Click"), with "quotes"';

  it('gives one row per review of the channel, escaped and safe from formulas, sent to the person who asked', async () => {
    const first = await finishedReview(h, tricky, ALICE);
    const elsewhere = await finishedReview(h, 'Other channel bot', BOB, OTHER);
    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv' });
    const [file] = await filesFor(BOB, 1);
    // Named after the channel it lists.
    expect(file!.name).toMatch(/^alignment-reviews-ai-reviews-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file!.title).toMatch(/^Alignment reviews of #ai-reviews \(\d{4}-\d{2}-\d{2}\)$/);
    expect(file!.content).toContain('\r\n');
    // Marked as UTF-8 for spreadsheets, so names with accents and dashes read right.
    expect(file!.content.startsWith('\uFEFF')).toBe(true);
    const header = parseCsv(file!.content.slice(1))[0]!;
    expect(header.slice(0, 3)).toEqual(['review_id', 'system', 'channel']);
    expect(header).toContain('level_reward_misspecification');
    const rows = csvRows(file!.content);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.review_id).toBe(first.reviewId);
    expect(row.system).toBe(`'${tricky}`);
    expect(row.flow).toBe('quick-check');
    expect(row.overall_level).toMatch(/^(I|II|III|IV)$/);
    for (const area of AREA_IDS) expect(row[`level_${area}`]).toMatch(/^(low|medium|high|not_assessed)$/);
    expect(file!.content).not.toContain(elsewhere.reviewId);
    await waitForEphemeral(h, BOB, /Sent you 1 review of this channel as CSV in a direct message/);
    expectNothingPostedIn(CHANNEL);
  });

  it('names people, with their ids in columns of their own, looking each person up once per export', async () => {
    // A name a spreadsheet would run as a formula stays text.
    const dan = h.slack.world.users.find((user) => user.id === DAN)!;
    dan.realName = '@SUM(1+1)*cmd|calc';
    const reviews = [await finishedReview(h, 'First system', ALICE), await finishedReview(h, 'Second system', ALICE), await finishedReview(h, 'Third system', DAN)];
    await h.slack.settled();
    const callsBefore = h.slack.calls.length;

    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv' });
    const [file] = await filesFor(CAROL, 1);
    const rows = csvRows(file!.content);
    expect(rows.map((row) => row.review_id).sort()).toEqual(reviews.map((review) => review.reviewId).sort());
    const byAlice = rows.filter((row) => row.started_by_id === ALICE);
    expect(byAlice).toHaveLength(2);
    for (const row of byAlice) expect(row).toMatchObject({ started_by: 'Alice Moreau', participants: 'Alice Moreau', participant_ids: ALICE });
    const byDan = rows.find((row) => row.started_by_id === DAN)!;
    expect(byDan.started_by).toBe("'@SUM(1+1)*cmd|calc");
    expect(file!.content).toContain(",'@SUM(1+1)*cmd|calc,U0DAN,");

    const lookups = h.slack.calls.slice(callsBefore).filter((call) => call.method === 'users.info');
    expect(lookups.filter((call) => call.args.user === ALICE)).toHaveLength(1);
    expect(lookups.filter((call) => call.args.user === DAN)).toHaveLength(1);
  });

  it('falls back to the id when a name cannot be looked up, and still sends the file', async () => {
    const alices = await finishedReview(h, 'Lookup outage bot', ALICE);
    const bobs = await finishedReview(h, 'Looked up bot', BOB);
    h.slack.failNext('users.info', { error: 'user_not_found', times: 5, onlyIf: (args) => args.user === ALICE });
    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv' });
    const [file] = await filesFor(BOB, 1);
    const rows = csvRows(file!.content);
    expect(rows.find((row) => row.review_id === alices.reviewId)).toMatchObject({ started_by: ALICE, started_by_id: ALICE, participants: ALICE });
    expect(rows.find((row) => row.review_id === bobs.reviewId)).toMatchObject({ started_by: 'Bob Okafor', started_by_id: BOB, participants: 'Bob Okafor' });
    await waitForEphemeral(h, BOB, /Sent you 2 reviews/);
  });

  it('names each review’s channel beside its id, looking each channel up once per export', async () => {
    const reviews = [await finishedReview(h, 'First system', ALICE), await finishedReview(h, 'Second system', BOB), await finishedReview(h, 'Platform bot', BOB, OTHER)];
    await h.slack.settled();
    const callsBefore = h.slack.calls.length;

    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv --all' });
    const [file] = await filesFor(CAROL, 1);
    const rows = csvRows(file!.content);
    const channelOf = (reviewId: string) => rows.find((row) => row.review_id === reviewId);
    expect(channelOf(reviews[0]!.reviewId)).toMatchObject({ channel: '#ai-reviews', channel_id: CHANNEL });
    expect(channelOf(reviews[1]!.reviewId)).toMatchObject({ channel: '#ai-reviews', channel_id: CHANNEL });
    expect(channelOf(reviews[2]!.reviewId)).toMatchObject({ channel: '#ml-platform', channel_id: OTHER });

    const lookups = h.slack.calls.slice(callsBefore).filter((call) => call.method === 'conversations.info');
    expect(lookups.filter((call) => call.args.channel === CHANNEL)).toHaveLength(1);
    expect(lookups.filter((call) => call.args.channel === OTHER)).toHaveLength(1);
  });

  it('falls back to the channel’s id when its name cannot be looked up, and still sends the file', async () => {
    const here = await finishedReview(h, 'Named channel bot', ALICE);
    const there = await finishedReview(h, 'Unnamed channel bot', BOB, OTHER);
    h.slack.failNext('conversations.info', { error: 'channel_not_found', times: 5, onlyIf: (args) => args.channel === OTHER });
    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv --all' });
    const [file] = await filesFor(CAROL, 1);
    const rows = csvRows(file!.content);
    expect(rows.find((row) => row.review_id === here.reviewId)).toMatchObject({ channel: '#ai-reviews', channel_id: CHANNEL });
    expect(rows.find((row) => row.review_id === there.reviewId)).toMatchObject({ channel: OTHER, channel_id: OTHER });
    await waitForEphemeral(h, CAROL, /Sent you 2 reviews of the workspace/);
  });

  it('gives the whole workspace only to leads and admins, privately, from wherever they ask', async () => {
    const one = await finishedReview(h, 'First system', ALICE);
    const two = await finishedReview(h, 'Second system', BOB, OTHER);

    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv --all' });
    const refused = await waitForEphemeral(h, BOB, /Only review leads and workspace admins can do that/);
    // An export changes nothing: what did not happen is that anything was sent.
    expect(refused.text).toBe('`export --csv --all`: Only review leads and workspace admins can do that. Nothing was sent.');
    expect(h.slack.world.files).toEqual([]);

    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv --all' });
    const [file] = await filesFor(CAROL, 1);
    expect(file!.name).toMatch(/^alignment-reviews-workspace-/);
    expect(csvRows(file!.content).map((row) => row.review_id).sort()).toEqual([one.reviewId, two.reviewId].sort());
    await waitForEphemeral(h, CAROL, /Sent you 2 reviews of the workspace as CSV in a direct message/);
    expectNothingPostedIn(CHANNEL);
    expectNothingPostedIn(LEADS);
    await waitUntil(() => h.logs.find((line) => line.msg === 'Reviews exported as CSV' && line.rows === 2), 'the export logged');
  });

  it('says privately that a channel has no reviews, and sends no file', async () => {
    await finishedReview(h, 'Elsewhere bot', ALICE);
    await h.slack.slashCommand({ userId: BOB, channelId: OTHER, command: '/alignment-review', text: 'export --csv' });
    const told = await waitForEphemeral(h, BOB, /No reviews/);
    expect(told.text).toBe(`No reviews in <#${OTHER}> to export.`);
    await h.slack.settled();
    expect(h.slack.world.files).toEqual([]);
    expect(dmChannelOf(h, BOB)).toBeUndefined();
  });

  it('refuses a review id beside --csv, saying how each is asked for, and sends nothing', async () => {
    const review = await finishedReview(h, 'Resume screener', ALICE);
    await h.slack.slashCommand({ userId: BOB, channelId: CHANNEL, command: '/alignment-review', text: `export --csv ${review.reviewId}` });
    const told = await waitForEphemeral(h, BOB, /--csv/);
    expect(told.text).toBe(CSV_WITH_REVIEW);
    expect(told.text).toContain('/alignment-review export &lt;review&gt;');
    expect(told.text).toContain('/alignment-review export --csv [--all]');
    await h.slack.settled();
    expect(h.slack.world.files).toEqual([]);
  });

  it('flags a decision whose answers were edited since, names who cancelled, and separates ids as names are', async () => {
    const decided = await finishedReview(h, 'Resume screener', ALICE);
    await signOff(decided, CAROL);
    const goal = (await stateOf(h, decided.reviewId)).answers.human_goal!;
    await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: goal.messageTs!, text: 'Hire the people who will do the job well, fairly.' });
    const edited = await waitForVersion(h, decided, (state) => state.decision?.answersChangedAt !== undefined, 'the edit after the decision');

    // Two people answer, then Bob cancels.
    const dropped = await startReview(h, '--flow quick-check Contract redliner', ALICE);
    await say(dropped, ALICE, 'Flag the clauses our lawyers would want to change.');
    await say(dropped, BOB, 'Clauses flagged per contract, against the lawyers’ own marks');
    await cancelReview(dropped, BOB);
    const undecided = await finishedReview(h, 'Churn predictor', ALICE);

    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: 'export --csv' });
    const [file] = await filesFor(CAROL, 1);
    const header = parseCsv(file!.content.slice(1))[0]!;
    expect(header).toEqual(expect.arrayContaining(['answers_edited_since_decision', 'cancelled_by', 'cancelled_by_id']));
    const rows = csvRows(file!.content);
    const row = (reviewId: string) => rows.find((candidate) => candidate.review_id === reviewId)!;

    expect(row(decided.reviewId)).toMatchObject({ decision: 'approved', decided_by_id: CAROL, answers_edited_since_decision: edited.decision!.answersChangedAt!, cancelled_by: '', cancelled_by_id: '' });
    expect(row(undecided.reviewId)).toMatchObject({ decision: '', answers_edited_since_decision: '', cancelled_by: '', cancelled_by_id: '' });
    const cancelled = row(dropped.reviewId);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_by: 'Bob Okafor', cancelled_by_id: BOB });
    // Ids are joined as the names beside them are, in the same order.
    expect(cancelled.participants!.split('; ').sort()).toEqual(['Alice Moreau', 'Bob Okafor']);
    const names: Record<string, string> = { [ALICE]: 'Alice Moreau', [BOB]: 'Bob Okafor' };
    expect(cancelled.participant_ids!.split('; ').map((id) => names[id])).toEqual(cancelled.participants!.split('; '));
  });
});

async function signOff(review: StartedReview, userId: string): Promise<void> {
  await h.slack.clickButton({ userId, channelId: CHANNEL, messageTs: cardWithButtons(h, review).ts, actionId: 'ar_sign_off' });
  const modal = await h.slack.waitFor(() => topModalOf(h, userId), { description: 'the sign-off modal' });
  await h.slack.submitView({ userId, viewId: modal.id, values: { [INPUTS.decision.block]: { [INPUTS.decision.action]: 'approved' } } });
  await waitForVersion(h, review, (state) => state.decision?.by === userId, 'the decision');
}

/** A typed `cancel` asks to be confirmed by a second one; either may be what the review applies next. */
async function cancelReview(review: StartedReview, userId: string): Promise<void> {
  await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text: 'cancel' });
  await waitForVersion(h, review, (state) => state.cancelRequest !== undefined || state.status === 'cancelled', 'the cancel asked');
  if ((await stateOf(h, review.reviewId)).status !== 'cancelled') await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text: 'cancel' });
  await waitForVersion(h, review, (state) => state.status === 'cancelled', 'the review cancelled');
}

async function say(review: StartedReview, userId: string, text: string): Promise<void> {
  const before = (await stateOf(h, review.reviewId)).history.length;
  await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text });
  await waitForVersion(h, review, (state) => state.history.length > before, `"${text}" applied`);
}
