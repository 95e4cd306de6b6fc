/**
 * What a finished full review keeps in Redis, measured with MEMORY USAGE
 * after a whole review through the app with typical answers: at most 8 KB,
 * dedupe marks included (they expire 15 minutes after the last reply).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CHANNEL, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { measureReviewMemory } from '../support/redis-memory.js';
import { planReview, seededRandom } from '../support/review-plan.js';
import { startReview, waitForSummaryCard, waitForVersion, waitUntil } from '../support/review-driver.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Redis memory of a finished review', () => {
  it('a full alignment review with typical answers keeps at most 8 KB, and one mark per reply against duplicates', async () => {
    h = await startHarness();
    const review = await startReview(h, '--flow alignment-review Support reply assistant', ALICE);
    const plan = planReview(h.server.deps.flows.get('alignment-review')!, 'memory', seededRandom(11));
    for (const [index, reply] of plan.entries()) {
      // Two people answer in turn, as a team would (one alone would pass the per-person input limit).
      const { ts } = await h.slack.sendMessage({ userId: index % 2 ? BOB : ALICE, channelId: CHANNEL, threadTs: review.threadTs, text: reply.text });
      await waitForVersion(h, review, (state) => state.answers[reply.questionId]?.messageTs === ts, reply.questionId);
    }
    await waitForSummaryCard(h, review);
    await h.slack.settled();
    // Measure the review at rest: nothing queued, nothing left to post, no drain holding its lock.
    const lockKey = `${h.prefix}:{${TEAM}:${review.reviewId}}:lock`;
    await waitUntil(
      async () => (await h!.store.peek(TEAM, review.reviewId)) === null && (await h!.store.outbox(TEAM, review.reviewId)).length === 0 && (await h!.redis!.exists(lockKey)) === 0,
      'the review at rest',
    );

    const memory = await measureReviewMemory(h.redis!, h.store, h.prefix, TEAM);
    expect(memory.finished).toBe(1);
    expect(plan.length).toBeGreaterThan(25);
    expect(memory.perReview[0]).toBeLessThanOrEqual(8 * 1024);
    const seenKey = (await h.redis!.keys(`${h.prefix}:{${TEAM}:${review.reviewId}}:seen`))[0]!;
    const marks = await h.redis!.hkeys(seenKey);
    expect(marks.filter((mark) => mark.startsWith('id:m:'))).toHaveLength(plan.length);
    expect(marks.filter((mark) => /^k:(m|e):/.test(mark))).toEqual([]);
  });
});
