/**
 * The look a drain makes after taking a review over (src/reviews/posted-look.ts),
 * against the Slack stand-in through the lean client: marked posts are found in a
 * thread across pages and in a channel, with one read per thread, and a failed read
 * finds nothing (so the post is sent again rather than lost).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { latestRefTs, PostedLook } from '../../src/reviews/posted-look.js';
import { createChatClient, postMarkOf, type ChatClient } from '../../src/slack/chat-client.js';
import { startSlackStandin, type SlackStandin } from '../../src/standin/slack/index.js';

const REVIEWS = 'C0REVIEWS';
const LEADS = 'C0RANDOM';

let slack: SlackStandin;
let client: ChatClient;

beforeEach(async () => {
  slack = await startSlackStandin({ signingSecret: 'posted-look-test-secret', echoBotEvents: false });
  client = createChatClient({ token: slack.botToken, apiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await slack.close();
});

const lookFor = () => new PostedLook(client, createLogger('silent'), { reviewId: 'r-1', teamId: 'T1' });
const reads = () => slack.calls.filter((call) => call.method === 'conversations.replies' || call.method === 'conversations.history');

describe('the look for what a review’s last holder posted', () => {
  it('finds a marked post in a long thread, past the first page, with one read of the thread for every mark', async () => {
    const root = await client.chat.postMessage({ channel: REVIEWS, text: 'Alignment review: Resume screener' });
    let last = '';
    for (let index = 0; index < 230; index++) {
      const posted = await client.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: `Question ${index}`, metadata: postMarkOf(`7:m:1.${index}:0`) });
      last = posted.ts!;
    }
    // Unmarked messages (a person's replies) and other event types are passed over.
    await client.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: 'other', metadata: { event_type: 'something_else', event_payload: { post: 'other' } } });
    const look = lookFor();
    expect(await look.find(REVIEWS, root.ts, '7:m:1.229:0')).toBe(last);
    expect(await look.find(REVIEWS, root.ts, '7:m:1.0:0')).toBeDefined();
    expect(await look.find(REVIEWS, root.ts, 'other')).toBeUndefined();
    expect(await look.find(REVIEWS, root.ts, 'never-posted')).toBeUndefined();
    // Two pages of one read (232 messages with the parent), shared by the four finds.
    expect(reads()).toHaveLength(2);
    expect(reads().every((call) => call.method === 'conversations.replies' && String(call.args.include_all_metadata) === 'true')).toBe(true);
  });

  it('reads only from the review’s latest ref on: one short page, as Slack allows some apps a minute', async () => {
    const root = await client.chat.postMessage({ channel: REVIEWS, text: 'Alignment review: Resume screener' });
    const refs: Record<string, string> = { root: root.ts! };
    for (let index = 0; index < 40; index++) {
      const question = await client.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: `Question ${index}`, metadata: postMarkOf(`q${index}`) });
      refs[`q:${index}`] = question.ts!;
    }
    // A ref in another channel is written channel/ts.
    refs['leads'] = `${LEADS}/1.000000`;
    // Posted by the holder that died: after every stored ref.
    const unconfirmed = await client.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: 'Question 40', metadata: postMarkOf('q40') });
    const since = latestRefTs(refs);
    expect(since).toBe(refs['q:39']);
    const look = new PostedLook(client, createLogger('silent'), { reviewId: 'r-1', teamId: 'T1' }, since);
    expect(await look.find(REVIEWS, root.ts, 'q40')).toBe(unconfirmed.ts);
    const [read] = reads();
    expect(reads()).toHaveLength(1);
    expect(read!.args).toMatchObject({ oldest: since, inclusive: 'true' });
  });

  it('takes the latest ts among refs in the review’s channel and in others', () => {
    expect(latestRefTs({})).toBeUndefined();
    expect(latestRefTs({ root: '1700000000.000100', 'q:goal': '1700000005.000200', leads: 'C0LEADS/1700000009.000300' })).toBe('1700000009.000300');
    expect(latestRefTs({ root: '1700000000.000100', leads: 'C0LEADS/1600000000.000000' })).toBe('1700000000.000100');
  });

  it('finds a marked post among a channel’s latest messages', async () => {
    await client.conversations.join({ channel: LEADS });
    const card = await client.chat.postMessage({ channel: LEADS, text: 'Review finished', metadata: postMarkOf('card-item') });
    await client.chat.postMessage({ channel: LEADS, text: 'Something else' });
    const look = lookFor();
    expect(await look.find(LEADS, undefined, 'card-item')).toBe(card.ts);
    expect(await look.find(LEADS, undefined, 'another')).toBeUndefined();
    expect(reads().map((call) => call.method)).toEqual(['conversations.history']);
  });

  it('keeps what the pages before a refused page found', async () => {
    const root = await client.chat.postMessage({ channel: REVIEWS, text: 'Alignment review: Resume screener' });
    for (let index = 0; index < 210; index++) await client.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: `Question ${index}`, metadata: postMarkOf(`q${index}`) });
    // The second page is refused, as Slack refuses a second read within the minute for a rate-limited app.
    slack.failNext('conversations.replies', { error: 'ratelimited', retryAfter: 60, onlyIf: (args) => Boolean(args.cursor) });
    const look = lookFor();
    expect(await look.find(REVIEWS, root.ts, 'q5')).toBeDefined();
    expect(await look.find(REVIEWS, root.ts, 'q205')).toBeUndefined();
    expect(reads()).toHaveLength(2);
  });

  it('a read Slack rate-limits finds nothing at once, without holding up the client’s posts', async () => {
    const root = await client.chat.postMessage({ channel: REVIEWS, text: 'Alignment review: Resume screener' });
    // As Slack limits these reads for commercially distributed apps outside the Marketplace: one a minute.
    slack.failNext('conversations.replies', { error: 'ratelimited', retryAfter: 60 });
    const started = Date.now();
    expect(await lookFor().find(REVIEWS, root.ts, 'q1')).toBeUndefined();
    const posted = await client.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: 'Question 1', metadata: postMarkOf('q1') });
    expect(posted.ts).toBeDefined();
    // Neither the read nor the post waited out the minute (the client's posts pause for a 429 on a post).
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(reads()).toHaveLength(1);
  });

  it('finds nothing when the read fails, so the post is sent again rather than skipped', async () => {
    const root = await client.chat.postMessage({ channel: REVIEWS, text: 'Alignment review: Resume screener' });
    await client.chat.postMessage({ channel: REVIEWS, thread_ts: root.ts, text: 'Question 1', metadata: postMarkOf('q1') });
    slack.failNext('conversations.replies', { status: 503 });
    expect(await lookFor().find(REVIEWS, root.ts, 'q1')).toBeUndefined();
    // A look that works finds it.
    expect(await lookFor().find(REVIEWS, root.ts, 'q1')).toBeDefined();
  });
});
