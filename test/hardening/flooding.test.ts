/**
 * One person, channel or workspace flooding cannot starve the others:
 * - REVIEWS_PER_MINUTE_PER_TEAM caps the reviews a workspace starts per
 *   minute, with a clear private message, and another workspace still
 *   starts reviews meanwhile;
 * - one person may start only a share of that (a quarter by default), and
 *   their refused attempts do not count against the team, so a colleague
 *   still starts one;
 * - one person's flood of replies into a review is cut off after
 *   INPUTS_PER_MINUTE_PER_PERSON with one private note, while others'
 *   replies, in that review and in another, are applied as usual.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { INPUTS_PER_MINUTE_PER_PERSON } from '../../src/reviews/thread-input.js';
import { ALICE, BOB, BOT_USER, CAROL, CHANNEL, startHarness, TEAM, type Harness } from '../support/app-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { currentQuestionOf, startReview, stateOf, waitForVersion, waitUntil } from '../support/review-driver.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const OTHER_TEAM = 'T0OTHER';

function rootsSince(harness: Harness, seq: number) {
  return harness.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER && !message.threadTs && /Alignment review of/.test(message.text));
}

function refusals(harness: Harness, seq: number, pattern: RegExp) {
  return harness.slack.world.ephemerals.filter((item) => item.seq > seq && pattern.test(item.text));
}

/** A slash command from a workspace the stand-in does not model: signed like Slack's, delivered raw. */
function commandFromOtherTeam(harness: Harness, text: string) {
  const body = new URLSearchParams({ token: 'x', team_id: OTHER_TEAM, team_domain: 'other', channel_id: CHANNEL, channel_name: 'ai-reviews', user_id: 'U0OTHER', user_name: 'other', command: '/alignment-review', text, api_app_id: 'A0APP', response_url: `${harness.slack.url}/response/none`, trigger_id: `${Date.now()}.9.other` });
  return harness.slack.deliverRaw({ contentType: 'application/x-www-form-urlencoded', body: body.toString() });
}

describe('starting reviews', () => {
  it('a workspace flooding starts only its limit, says so clearly, and another workspace still starts reviews', async () => {
    h = await startHarness({ env: { REVIEWS_PER_MINUTE_PER_TEAM: '5' } });
    const harness = h;
    const seq = harness.slack.world.seq;
    // Twelve at once from three people: each may start two (a quarter of five, rounded up), the team five.
    const attempts = [ALICE, BOB, CAROL].flatMap((userId) => [1, 2, 3, 4].map((n) => ({ userId, n })));
    const flood = Promise.all(attempts.map(({ userId, n }) => harness.slack.slashCommand({ userId, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check Flood ${userId} ${n}` })));
    // Meanwhile, another workspace.
    const other = await commandFromOtherTeam(harness, '--flow quick-check Other team system');
    expect(other.status).toBe(200);
    await flood;
    await harness.slack.settled();
    await waitUntil(() => rootsSince(harness, seq).length >= 6 || undefined, 'the reviews that may start');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const roots = rootsSince(harness, seq);
    expect(roots.filter((message) => message.text.includes('Other team system'))).toHaveLength(1);
    expect(roots.filter((message) => message.text.includes('Flood'))).toHaveLength(5);
    expect(await harness.store.listByTeam(OTHER_TEAM, 10)).toHaveLength(1);
    const teamRefusals = refusals(harness, seq, /This workspace has started 5 reviews in the last minute/);
    const personalRefusals = refusals(harness, seq, /You have started 2 reviews in the last minute/);
    expect(teamRefusals.length + personalRefusals.length).toBe(attempts.length - 5);
    expect(personalRefusals).toHaveLength(6);
    recordFigure('flood-team', { attempts: attempts.length, started: 5, refusedWithMessage: teamRefusals.length + personalRefusals.length, otherTeamStarted: 1 });
  });

  it('one person flooding uses only their share: a colleague in the same workspace still starts a review', async () => {
    h = await startHarness({ env: { REVIEWS_PER_MINUTE_PER_TEAM: '8' } });
    const harness = h;
    const seq = harness.slack.world.seq;
    await Promise.all(Array.from({ length: 12 }, (_, n) => harness.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: `--flow quick-check Alice flood ${n}` })));
    await harness.slack.settled();
    await waitUntil(() => refusals(harness, seq, /You have started 2 reviews/).length === 10 || undefined, 'Alice’s refusals');
    const bob = await startReview(harness, '--flow quick-check Bob still starts', BOB);
    expect(bob.reviewId).toMatch(/^R/);
    expect(rootsSince(harness, seq).filter((message) => message.text.includes('Alice flood'))).toHaveLength(2);
    recordFigure('flood-person', { attempts: 12, started: 2, colleagueStarted: 1 });
  });
});

describe('replies', () => {
  it('one person flooding a review is cut off with one private note; others go on, in that review and another', async () => {
    h = await startHarness();
    const harness = h;
    const flooded = await startReview(harness, '--flow alignment-review Flooded review', ALICE);
    const other = await startReview(harness, '--flow quick-check Quiet review', BOB);
    const seq = harness.slack.world.seq;
    const total = INPUTS_PER_MINUTE_PER_PERSON + 15;
    // Alice pastes far too many messages at once (each Slack-acknowledged at once; the app works behind).
    const flood = Promise.all(Array.from({ length: total }, (_, n) => harness.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: flooded.threadTs, text: `status report line ${n}` })));
    // Bob answers his own review meanwhile, and is not held up.
    const question = (await currentQuestionOf(harness, other))!;
    const startedAt = Date.now();
    const { ts } = await harness.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: other.threadTs, text: 'People want honest answers quickly.' });
    await waitForVersion(harness, other, (state) => state.answers[question.id]?.messageTs === ts, 'Bob’s answer');
    const bobMs = Date.now() - startedAt;
    await flood;
    await harness.slack.settled();
    await waitUntil(async () => (await harness.store.peek(TEAM, flooded.reviewId)) === null, 'the flooded review’s inbox to empty', 20_000);
    const notes = refusals(harness, seq, /more than \d+ messages to this review in a minute/);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.userId).toBe(ALICE);
    const applied = harness.logs.filter((line) => line.msg === 'Input applied' && line.reviewId === flooded.reviewId).length;
    expect(applied).toBe(INPUTS_PER_MINUTE_PER_PERSON);
    // Bob can still answer in the flooded review: the cut-off is Alice's alone.
    const floodedQuestion = (await currentQuestionOf(harness, flooded))!;
    const bobInFlooded = await harness.slack.sendMessage({ userId: BOB, channelId: CHANNEL, threadTs: flooded.threadTs, text: 'skip' });
    await waitForVersion(harness, flooded, (state) => state.history.some((entry) => entry.by === BOB) || state.currentQuestionId !== floodedQuestion.id, 'Bob’s word in the flooded review');
    expect(bobInFlooded.status).toBe(200);
    expect((await stateOf(harness, flooded.reviewId)).history.filter((entry) => entry.by === BOB).length).toBeGreaterThan(0);
    recordFigure('flood-inputs', { sent: total, applied, ignored: total - applied, notes: notes.length, otherReviewAnswerMs: bobMs });
  });
});

