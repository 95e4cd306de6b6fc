/**
 * Requests Slack would never send, correctly signed: bodies that are not
 * JSON, a payload= that is not JSON, missing fields, unknown types, wrong
 * shapes. Each is answered 200 or 400 (never a 5xx, never left to time
 * out), logged at most once, and changes nothing: no review moves, nothing
 * is posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactiveBody } from '../../src/standin/slack/payloads/interactive.js';
import { ALICE, BOT_USER, CHANNEL, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { startReview, stateOf, type StartedReview } from '../support/review-driver.js';

let h: Harness;
let review: StartedReview;

beforeAll(async () => {
  h = await startHarness();
  review = await startReview(h, '--flow quick-check Payload target', ALICE);
});

afterAll(async () => {
  await h.close();
});

const JSON_TYPE = 'application/json';
const FORM = 'application/x-www-form-urlencoded';
const now = () => Math.floor(Date.now() / 1000);

function event(inner: unknown, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ type: 'event_callback', team_id: TEAM, api_app_id: 'A0APP', event_id: `Ev${Math.random().toString(36).slice(2, 10).toUpperCase()}`, event_time: now(), event: inner, ...extra });
}

function threadReply(fields: Record<string, unknown>) {
  return { type: 'message', channel: CHANNEL, user: ALICE, text: 'An answer in a strange envelope', ts: `${now()}.000300`, thread_ts: review.threadTs, ...fields };
}

function blockActions(fields: Record<string, unknown>) {
  return {
    type: 'block_actions',
    user: { id: ALICE, team_id: TEAM },
    team: { id: TEAM },
    channel: { id: CHANNEL },
    message: { ts: review.threadTs, thread_ts: review.threadTs },
    actions: [{ action_id: 'ar_answer_option_0', type: 'button', value: JSON.stringify({ r: review.reviewId, q: 'gaming', o: 'guarded' }), action_ts: `${now()}.000400` }],
    ...fields,
  };
}

interface Case {
  name: string;
  contentType: string;
  body: string;
  /** The status that fits: 400 for what cannot be read or routed, 200 for what can be read and ignored. */
  expected: number[];
}

/** Built once the review exists: several aim at its thread. */
function cases(): Case[] {
  return [
  { name: 'a JSON body that is not JSON', contentType: JSON_TYPE, body: '{"type":"event_callback","event":', expected: [400] },
  { name: 'an empty JSON body', contentType: JSON_TYPE, body: '', expected: [400] },
  { name: 'JSON that is not an object', contentType: JSON_TYPE, body: '[1,2,3]', expected: [400] },
  { name: 'a payload= that is not JSON', contentType: FORM, body: 'payload=%7Bnot%20json', expected: [400] },
  { name: 'a payload= that is JSON but not an object', contentType: FORM, body: 'payload=%22just%20a%20string%22', expected: [400] },
  { name: 'a form with neither payload nor command', contentType: FORM, body: 'hello=world', expected: [200] },
  { name: 'text/plain noise', contentType: 'text/plain', body: '\u0000\u0001 not a request', expected: [400] },
  { name: 'an event_callback without an event', contentType: JSON_TYPE, body: JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'Ev0NOEVENT' }), expected: [400] },
  { name: 'an event of an unknown type', contentType: JSON_TYPE, body: event({ type: 'mystery_event', channel: CHANNEL }), expected: [200] },
  { name: 'an unknown envelope type', contentType: JSON_TYPE, body: JSON.stringify({ type: 'mystery_envelope', team_id: TEAM }), expected: [200] },
  { name: 'a thread reply without a user', contentType: JSON_TYPE, body: event(threadReply({ user: undefined })), expected: [200] },
  { name: 'a thread reply whose text is an object', contentType: JSON_TYPE, body: event(threadReply({ text: { evil: true } })), expected: [200] },
  { name: 'a thread reply with a malformed ts', contentType: JSON_TYPE, body: event(threadReply({ ts: 'yesterday' })), expected: [200] },
  { name: 'a thread reply with a user id that is a mention', contentType: JSON_TYPE, body: event(threadReply({ user: 'U0X>|<!channel' })), expected: [200] },
  { name: 'a thread reply without a team', contentType: JSON_TYPE, body: JSON.stringify({ type: 'event_callback', event_id: 'Ev0NOTEAM', event: threadReply({}) }), expected: [200] },
  { name: 'a message_changed without the message', contentType: JSON_TYPE, body: event({ type: 'message', subtype: 'message_changed', channel: CHANNEL }), expected: [200] },
  { name: 'block_actions without actions', contentType: FORM, body: interactiveBody(blockActions({ actions: undefined })), expected: [400] },
  { name: 'block_actions whose actions is not a list', contentType: FORM, body: interactiveBody(blockActions({ actions: { action_id: 'ar_answer_option_0' } })), expected: [400] },
  { name: 'block_actions without a user', contentType: FORM, body: interactiveBody(blockActions({ user: undefined })), expected: [400] },
  { name: 'block_actions with an unknown action id', contentType: FORM, body: interactiveBody(blockActions({ actions: [{ action_id: 'ar_no_such_button', type: 'button', value: 'x', action_ts: `${now()}.000500` }] })), expected: [200] },
  { name: 'block_actions with a value that is not JSON', contentType: FORM, body: interactiveBody(blockActions({ actions: [{ action_id: 'ar_answer_option_0', type: 'button', value: '{nope', action_ts: `${now()}.000600` }] })), expected: [200] },
  { name: 'block_actions naming a review id with braces', contentType: FORM, body: interactiveBody(blockActions({ actions: [{ action_id: 'ar_answer_option_0', type: 'button', value: JSON.stringify({ r: 'R{x}', q: 'gaming', o: 'guarded' }), action_ts: `${now()}.000700` }] })), expected: [200] },
  { name: 'an interactive payload of an unknown type', contentType: FORM, body: interactiveBody({ type: 'mystery_interaction', team: { id: TEAM }, user: { id: ALICE } }), expected: [200] },
  { name: 'a view_submission of an unknown view', contentType: FORM, body: interactiveBody({ type: 'view_submission', team: { id: TEAM }, user: { id: ALICE, team_id: TEAM }, view: { id: 'V0X', callback_id: 'no_such_view', state: { values: {} }, private_metadata: '' } }), expected: [200] },
  { name: 'a view_submission of the start modal without values', contentType: FORM, body: interactiveBody({ type: 'view_submission', team: { id: TEAM }, user: { id: ALICE, team_id: TEAM }, view: { id: 'V0Y', callback_id: 'ar_start_review', state: {}, private_metadata: '{}' } }), expected: [400] },
  { name: 'a slash command without team, user or channel', contentType: FORM, body: new URLSearchParams({ command: '/alignment-review', text: 'Ghost system' }).toString(), expected: [400] },
  { name: 'a slash command the app does not have', contentType: FORM, body: new URLSearchParams({ command: '/something-else', text: 'x', team_id: TEAM, user_id: ALICE, channel_id: CHANNEL, trigger_id: '1.2.3' }).toString(), expected: [200] },
  ];
}

describe('payloads Slack would never send', () => {
  it('are answered 200 or 400 as fits, logged at most once, and change nothing', async () => {
    const before = await stateOf(h, review.reviewId);
    const botPostsBefore = h.slack.world.messages.filter((message) => message.user === BOT_USER).length;
    const CASES = cases();
    const outcomes: { name: string; status: number | null; ms: number; logLines: number }[] = [];
    for (const item of CASES) {
      const logsBefore = h.logs.length;
      const started = Date.now();
      const result = await h.slack.deliverRaw({ contentType: item.contentType, body: item.body });
      await new Promise((resolve) => setTimeout(resolve, 30));
      outcomes.push({ name: item.name, status: result.status, ms: Date.now() - started, logLines: h.logs.slice(logsBefore).filter((line) => line.level !== 'debug').length });
    }
    await h.slack.settled();
    const unfit = outcomes.filter((outcome, index) => !CASES[index]!.expected.includes(outcome.status ?? 0));
    expect(unfit).toEqual([]);
    // Answered at once, not after Slack's three seconds.
    expect(outcomes.filter((outcome) => outcome.ms > 1500)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.logLines > 1)).toEqual([]);
    const after = await stateOf(h, review.reviewId);
    expect(after.history).toHaveLength(before.history.length);
    expect(after.answers).toEqual(before.answers);
    expect(h.slack.world.messages.filter((message) => message.user === BOT_USER)).toHaveLength(botPostsBefore);
    recordFigure('bad-payloads', { cases: CASES.length, answered400: outcomes.filter((o) => o.status === 400).length, answered200: outcomes.filter((o) => o.status === 200).length, changed: 0 });
  });
});
