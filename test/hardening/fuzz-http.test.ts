/**
 * Hostile input through the real endpoint: a few hundred slash commands,
 * thread replies, edits, button payloads and modal submissions, signed and
 * delivered by the stand-in to the app's Bolt HTTP receiver. Afterwards:
 * no unhandled rejection, every delivery answered, nothing the app sent
 * was refused by the stand-in's Block Kit limits or carries a mention or
 * link the app did not put there, no hostile text in the log, and the
 * review still loads and goes on to its summary.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { interpretWord } from '../../src/engine/index.js';
import { interactiveBody } from '../../src/standin/slack/payloads/interactive.js';
import { checkView } from '../../src/standin/slack/blocks/limits.js';
import { ALICE, BOB, BOT_USER, CHANNEL, LEADS, startHarness, TEAM, type Harness } from '../support/app-harness.js';
import { messageProblems, type Allowed } from '../support/fault-checks.js';
import { recordFigure } from '../support/fault-figures.js';
import { hostileText, hostileTextAnySize } from '../support/fault-text.js';
import { answerByTyping, startReview, stateOf, waitForSummaryCard, waitUntil, type StartedReview } from '../support/review-driver.js';

let h: Harness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startHarness({ env: { REVIEWS_PER_MINUTE_PER_TEAM: '30' } });
  // The fuzz sends one person's replies far faster than the flood limit allows (flooding.test.ts
  // tests that limit); raised here so it does not hide what this test looks at.
  h.server.deps.settings.inputsPerMinutePerPerson = 10_000;
  h.server.deps.settings.reviewsPerMinutePerUser = 30;
});

afterAll(async () => {
  await h.close();
  process.off('unhandledRejection', onUnhandled);
});

/** Slack caps a message at 40,000 characters; the rest of the hostility stays. */
const messageText = hostileTextAnySize.map((text) => text.slice(0, 40_000));
/** Words that end a review would stop the rest of the run from reaching it; everything else goes. */
const replyText = messageText.map((text) => (['cancel', 'finish'].includes(interpretWord(text) ?? '') ? `not ${text}` : text));

const request = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('command' as const), text: messageText.map((text) => text.slice(0, 4000)) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('reply' as const), text: replyText }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), text: replyText }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('click' as const),
      actionId: fc.oneof(fc.constantFrom('ar_answer_option_0', 'ar_answer_option_3', 'ar_multi_submit', 'ar_suggestion_relevant', 'ar_suggestion_not_relevant', 'ar_multi_select'), hostileText),
      value: fc.oneof(hostileText, fc.record({ q: hostileText, o: fc.option(hostileText, { nil: undefined }), s: fc.option(hostileText, { nil: undefined }) })),
      selected: fc.array(hostileText, { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('modal' as const), system: messageText.map((text) => text.slice(0, 3000)), flow: fc.oneof(fc.constantFrom('quick-check', 'alignment-review'), hostileText), respondents: fc.uniqueArray(fc.constantFrom(ALICE, BOB), { maxLength: 2 }) }) },
);
type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(review: StartedReview, item: Request, sentTexts: string[]): Promise<number | null> {
  switch (item.kind) {
    case 'command':
      sentTexts.push(item.text);
      return (await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: item.text })).status;
    case 'reply':
      sentTexts.push(item.text);
      return (await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: item.text })).status;
    case 'edit': {
      const mine = h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === ALICE).at(-1);
      if (!mine) return null;
      sentTexts.push(item.text);
      return (await h.slack.editMessage({ userId: ALICE, channelId: CHANNEL, ts: mine.ts, text: item.text })).status;
    }
    case 'click': {
      const question = h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && JSON.stringify(message.blocks ?? []).includes('"type":"actions"')).at(-1);
      const value = typeof item.value === 'string' ? item.value : JSON.stringify({ r: review.reviewId, ...item.value });
      const payload = {
        type: 'block_actions',
        user: { id: ALICE, username: 'alice', name: 'alice', team_id: TEAM },
        api_app_id: 'A0APP',
        token: 'standin-verification-token',
        container: { type: 'message', message_ts: question?.ts ?? review.threadTs, channel_id: CHANNEL, is_ephemeral: false },
        trigger_id: '1.2.fuzz',
        team: { id: TEAM, domain: 'standin' },
        channel: { id: CHANNEL, name: 'ai-reviews' },
        message: { type: 'message', ts: question?.ts ?? review.threadTs, thread_ts: review.threadTs, text: 'question', user: BOT_USER },
        state: { values: { ar_q_multi: { ar_multi_select: { type: 'checkboxes', selected_options: item.selected.map((text) => ({ value: text, text: { type: 'plain_text', text } })) } } } },
        actions: [{ action_id: item.actionId, block_id: 'ar_q_actions', type: 'button', value, action_ts: `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 999_999)).padStart(6, '0')}` }],
      };
      sentTexts.push(...item.selected);
      return (await h.slack.deliverRaw({ contentType: 'application/x-www-form-urlencoded', body: interactiveBody(payload) })).status;
    }
    case 'modal': {
      const opened = await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '' });
      const viewId = await waitUntil(() => h.slack.world.modalStacks[ALICE]?.at(-1), 'the start modal').catch(() => undefined);
      if (!viewId) return opened.status;
      sentTexts.push(item.system);
      const values: Record<string, Record<string, unknown>> = { ar_in_system: { ar_system: item.system }, ar_in_respondents: { ar_respondents: item.respondents } };
      if (item.flow === 'quick-check' || item.flow === 'alignment-review') values.ar_in_flow = { ar_flow: item.flow };
      const result = await h.slack.submitView({ userId: ALICE, viewId, values: values as never });
      if (h.slack.world.modalStacks[ALICE]?.length) await h.slack.closeView({ userId: ALICE, viewId: h.slack.world.modalStacks[ALICE]!.at(-1)! });
      return result.status;
    }
  }
}

const LIMIT_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long', 'msg_too_long', 'invalid_arguments']);

describe('hostile input through the HTTP endpoint', () => {
  it('is answered, stays within Slack’s limits, pings nobody, stays out of the log, and the review goes on', async () => {
    // A failure explains itself with the app's warnings and errors.
    onTestFailed(() => console.error(h.logs.filter((line) => line.level !== 'info').slice(-15).map((line) => JSON.stringify(line).slice(0, 400)).join('\n')));
    const review = await startReview(h, '--flow alignment-review Fuzzed system', ALICE);
    const sentTexts: string[] = [];
    const statuses: (number | null)[] = [];
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(request, async (item) => {
        cases += 1;
        statuses.push(await send(review, item, sentTexts));
      }),
      { numRuns: 300 },
    );
    await h.slack.settled();
    await waitUntil(async () => (await h.store.peek(TEAM, review.reviewId)) === null, 'the review’s inbox to empty', 15_000);
    await h.slack.settled();

    expect(unhandled).toEqual([]);
    expect(statuses.filter((status) => status !== null && status !== 200)).toEqual([]);

    // The app names who acted (Alice) and the respondents chosen in the modal's user picker (Alice, Bob);
    // the hostile text mentions only Carol, who never acts.
    const allowed: Allowed = {
      users: new Set([ALICE, BOB]),
      channels: new Set([CHANNEL, LEADS]),
      links: new Set(),
      linkPrefixes: [{ url: `${h.slack.url}/archives/`, label: 'Open the review thread' }],
      anyChannel: true,
    };
    const refused = h.slack.calls.filter((call) => call.response.ok === false && LIMIT_ERRORS.has(String(call.response.error)));
    expect(refused.map((call) => `${call.method}: ${String(call.response.error)}`)).toEqual([]);
    let messages = 0;
    for (const call of h.slack.calls) {
      if (['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url'].includes(call.method)) {
        messages += 1;
        expect(messageProblems(call.args, allowed), `${call.method} ${JSON.stringify(call.args).slice(0, 200)}`).toEqual([]);
      }
      if (call.method === 'views.open' || call.method === 'views.update' || call.method === 'views.push') {
        const view = typeof call.args.view === 'string' ? (JSON.parse(call.args.view) as unknown) : call.args.view;
        expect(checkView(view, 'modal').messages).toEqual([]);
      }
    }

    // People's words never reach the log (the run's log is at info level).
    const distinctive = sentTexts.map((text) => text.trim()).filter((text) => text.length >= 24 && /[a-z]{4,}/i.test(text));
    for (const text of distinctive) {
      const needle = JSON.stringify(text).slice(1, -1);
      expect(h.logs.find((line) => JSON.stringify(line).includes(needle)), 'a log line with a person’s text').toBeUndefined();
    }

    // The review still loads and goes on to its summary.
    const state = await stateOf(h, review.reviewId);
    expect(state.id).toBe(review.reviewId);
    if (state.status === 'paused') await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: 'resume' });
    await waitUntil(async () => (await stateOf(h, review.reviewId)).status !== 'paused', 'the review resumed');
    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    expect((await stateOf(h, review.reviewId)).status).toBe('completed');
    recordFigure('fuzz-http', { cases, messagesChecked: messages, refusedByLimits: refused.length, unhandledRejections: unhandled.length, textsCheckedInLog: distinctive.length });
  });
});
