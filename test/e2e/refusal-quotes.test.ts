/**
 * Refusals in the thread, through the real app and the Slack stand-in: a
 * written question refuses a reply that says nothing about it ("yes" to
 * "What metric…?") and records nothing, while skip and back still steer the
 * review; and a refusal's quote of a reply full of broadcasts, code fences
 * and mentions pings no one, stays on one line and shows no half of a
 * mention.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { botMessagesInThread, currentQuestionOf, startReview, stateOf, waitForVersion, type StartedReview } from '../support/review-driver.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

function send(review: StartedReview, text: string): Promise<{ ts: string }> {
  return h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
}

/** The section text of the next refusal posted in the thread after `seq`. */
async function nextRefusal(review: StartedReview, seq: number): Promise<string> {
  const note: WorldMessage = await h.slack.waitFor(() => botMessagesInThread(h.slack, CHANNEL, review.threadTs).find((message) => message.seq > seq && message.text.startsWith(':warning:')), {
    description: 'a refusal in the thread',
  });
  const section = (note.blocks as { text?: { text?: string } }[] | undefined)?.[0]?.text?.text;
  if (section === undefined) throw new Error('the refusal has no section text');
  return section;
}

/** A quick check answered up to its metric question. */
async function atTheMetric(): Promise<StartedReview> {
  const review = await startReview(h, '--flow quick-check Product page assistant', ALICE);
  await send(review, 'Shoppers want to find the right product quickly and trust the page.');
  await waitForVersion(h, review, (state) => state.currentQuestionId === 'metric', 'the metric question');
  return review;
}

describe('a reply that says nothing about a written question', () => {
  it('is refused with what an answer looks like, records nothing, and skip, back and a short answer still work', async () => {
    const review = await atTheMetric();
    const before = await stateOf(h, review.reviewId);

    const seq = h.slack.world.seq;
    await send(review, 'yes');
    expect(await nextRefusal(review, seq)).toBe(
      ':warning: "yes" is not an answer to this question. Reply in your own words, for example: "Click-through rate from the product page to the cart."',
    );
    // Not knowing yet is no answer either, but `skip` is offered first.
    const idk = h.slack.world.seq;
    await send(review, 'idk');
    expect(await nextRefusal(review, idk)).toBe(
      ':warning: "idk" is not an answer to this question. If you don\'t know yet, reply `skip`: the question stays open in the summary. Otherwise, reply in your own words, for example: "Click-through rate from the product page to the cart."',
    );
    const after = await stateOf(h, review.reviewId);
    expect(after.answers).toEqual(before.answers);
    expect(after.currentQuestionId).toBe('metric');

    await send(review, 'skip');
    await waitForVersion(h, review, (state) => state.answers.metric?.value.kind === 'skipped', 'the skip');
    await send(review, 'back');
    await waitForVersion(h, review, (state) => state.currentQuestionId === 'metric', 'back to the metric');
    await send(review, 'CTR');
    await waitForVersion(h, review, (state) => state.answers.metric?.value.kind === 'text', 'the short answer');
    expect((await stateOf(h, review.reviewId)).answers.metric?.value).toEqual({ kind: 'text', text: 'CTR' });
  });
});

describe('the quote in a refusal', () => {
  it('pings no one, stays on one line and in its quotes, and never shows half a mention', async () => {
    const review = await atTheMetric();
    await send(review, 'Click-through rate from the product page to the cart');
    await waitForVersion(h, review, (state) => state.currentQuestionId === 'gaming', 'the gaming question');
    // One answer a line, numbered, then what to reply.
    const options =
      "The answers are:\n1. Yes, written down — and a second signal watches for it\n2. Written down, but nothing watches for it yet\n3. We haven't thought it through\nReply with a number, or words from one answer.";

    let seq = h.slack.world.seq;
    await send(review, 'Ping <!channel> <!here> <!everyone>\n```rm -rf``` *now*');
    // Slack shows "@channel" and friends as words (a zero-width space after the @), and the marks as look-alikes that format nothing.
    expect(await nextRefusal(review, seq)).toBe(`:warning: "Ping @\u200Bchannel @\u200Bhere @\u200Beveryone ˋˋˋ…" is not one of the answers. ${options}`);

    seq = h.slack.world.seq;
    await send(review, 'we would have to ask the ops lead, <@U0BOB>, first');
    // Cut at 40 characters: before the mention, not inside it ("&lt;@U0B…" would show as raw markup).
    expect(await nextRefusal(review, seq)).toBe(`:warning: "we would have to ask the ops lead,…" is not one of the answers. ${options}`);

    seq = h.slack.world.seq;
    // A channel as Slack's clients send it (`<#C…|>`), a group and a person with empty labels: ids, never a bare "#" or "@", and no live mention.
    await send(review, 'in <#C0GENERAL|> or <!subteam^S0OPS|>');
    expect(await nextRefusal(review, seq)).toBe(`:warning: "in #C0GENERAL or @\u200BS0OPS" is not one of the answers. ${options}`);

    expect((await currentQuestionOf(h, review))?.id).toBe('gaming');
    await h.slack.settled();
    for (const call of h.slack.calls.filter((call) => call.method === 'chat.postMessage' || call.method === 'chat.update')) {
      const text = JSON.stringify(call.args);
      expect(text).not.toMatch(/<!(channel|here|everyone)>|<!subteam|<#C0GENERAL/);
      expect(text).not.toContain('```');
    }
  });
});
