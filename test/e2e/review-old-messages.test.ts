/**
 * The thread's older messages stay consistent with the review: a question
 * posted again leaves no live copy above it, only one copy shows its
 * answer, and a review that ended neither offers buttons nor answers
 * clicks on them in public.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import { ALICE, BOB, BOT_USER, CHANNEL, startHarness, type Harness } from '../support/app-harness.js';
import { currentQuestionOf, stateOf, startReview, waitForVersion, type StartedReview } from '../support/review-driver.js';
import { answerThrough, repliesFrom, suggestionButtons, waitForSuggestionsMessage } from '../support/suggestion-helpers.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

const REPLIES = repliesFrom({
  human_goal: 'Customers want their problem solved quickly and correctly, and to feel someone listened.',
  metric: 'Ticket volume reduction: fewer tickets reaching human agents each week.',
});

/** quick-check's third question, a choice with buttons. */
const GAMING = 'gaming';

/** Reviews at question 3 with the suggestions in, and question 3 posted once, below them (the offline library's are ready at once). */
async function atGaming(name: string): Promise<StartedReview> {
  const review = await startReview(h, `--flow quick-check ${name}`, ALICE);
  await answerThrough(h, review, ALICE, REPLIES, 'metric');
  expect((await currentQuestionOf(h, review))?.id).toBe(GAMING);
  const suggestions = await waitForSuggestionsMessage(h, review);
  await h.slack.waitFor(() => {
    const posted = allCopiesOfQuestion3(review);
    return posted.length === 1 && hasButtons(posted[0]!) && posted[0]!.seq > suggestions.seq ? true : undefined;
  }, { description: 'question 3 posted below the suggestions' });
  return review;
}

async function say(review: StartedReview, text: string): Promise<number> {
  const before = h.slack.world.seq;
  await h.slack.sendMessage({ userId: ALICE, channelId: CHANNEL, threadTs: review.threadTs, text });
  return before;
}

/** Every message the app posted for question 3, oldest first, as it reads now. */
function allCopiesOfQuestion3(review: StartedReview): WorldMessage[] {
  const posted = h.slack.calls
    .filter((call) => call.method === 'chat.postMessage' && call.args.thread_ts === review.threadTs && /^Question 3:/.test(String(call.args.text)))
    .map((call) => String((call.response as { ts?: string }).ts));
  return posted.map((ts) => h.slack.world.messages.find((message) => message.ts === ts)!);
}

/** The copies of question 3, from the one posted below the suggestions on (atGaming). */
function copiesOfQuestion3(review: StartedReview): WorldMessage[] {
  return allCopiesOfQuestion3(review);
}

const hasButtons = (message: WorldMessage) => JSON.stringify(message.blocks ?? []).includes('"type":"actions"');
const showsAnswer = (message: WorldMessage) => JSON.stringify(message.blocks ?? []).includes(':white_check_mark:');

/** Waits until the question's message has no buttons and says `why` (a pause, a cancel and an early finish each say theirs). */
async function withoutButtonsSaying(question: WorldMessage, why: string): Promise<void> {
  await h.slack.waitFor((view) => {
    const current = view.world.messages.find((item) => item.ts === question.ts);
    return current && !hasButtons(current) && JSON.stringify(current.blocks).includes(why) ? true : undefined;
  }, { description: `the waiting question without buttons, saying "${why}"` });
}

async function clickOption(review: StartedReview, message: WorldMessage, index: number): Promise<void> {
  await h.slack.clickButton({ userId: ALICE, channelId: CHANNEL, messageTs: message.ts, actionId: `ar_answer_option_${index}` });
}

/** Bot messages in the thread that appeared after `seq`: public posts, not private notes. */
function publicPostsSince(review: StartedReview, seq: number): WorldMessage[] {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.seq > seq);
}

describe('a question posted again', () => {
  it('after pause and resume, and after back, leaves one live copy and one copy with the answer', async () => {
    const review = await atGaming('Old copies bot');
    await say(review, 'pause');
    await waitForVersion(h, review, (state) => state.status === 'paused', 'pause');
    await say(review, 'resume');
    await waitForVersion(h, review, (state) => state.status === 'active', 'resume');
    const [first, second] = await h.slack.waitFor(() => {
      const copies = copiesOfQuestion3(review);
      return copies.length === 2 && !hasButtons(copies[0]!) ? copies : undefined;
    }, { description: 'the first copy of question 3 without its buttons' });
    expect(JSON.stringify(first!.blocks)).toContain('asked again below');
    expect(hasButtons(second!)).toBe(true);

    // Answer with option 2, go back from question 4, answer again with option 3.
    await clickOption(review, second!, 1);
    await waitForVersion(h, review, (state) => state.currentQuestionId !== GAMING, 'the first answer');
    const acts = (await currentQuestionOf(h, review))!;
    await say(review, 'back');
    await waitForVersion(h, review, (state) => state.currentQuestionId === GAMING, 'back');
    const third = await h.slack.waitFor(() => copiesOfQuestion3(review)[2], { description: 'question 3 asked again' });
    // The copy below is the one that counts: the update of the old one did not land on it.
    expect(hasButtons(third)).toBe(true);
    const afterBack = copiesOfQuestion3(review);
    expect(afterBack.filter(hasButtons)).toEqual([third]);
    // The answer about to be replaced is no longer shown above.
    expect(showsAnswer(afterBack[1]!)).toBe(false);
    expect(JSON.stringify(afterBack[1]!.blocks)).toContain('asked again below');
    await clickOption(review, third, 2);
    const state = await waitForVersion(h, review, (item) => item.currentQuestionId === acts.id && item.answers[GAMING]?.value.kind === 'options' && (item.answers[GAMING].value as { optionIds: string[] }).optionIds[0] === 'not_considered', 'the new answer');
    expect(state.answers[GAMING]?.value).toEqual({ kind: 'options', optionIds: ['not_considered'] });

    const copies = await h.slack.waitFor(() => {
      const now = copiesOfQuestion3(review);
      return now.every((message) => !hasButtons(message)) ? now : undefined;
    }, { description: 'no copy of question 3 with buttons' });
    expect(copies).toHaveLength(3);
    const answered = copies.filter(showsAnswer);
    expect(answered).toHaveLength(1);
    expect(answered[0]!.ts).toBe(third.ts);
    expect(JSON.stringify(answered[0]!.blocks)).toContain('thought it through');
  });
});

describe('a review that ended', () => {
  it('loses the buttons of the question it waited on, and refuses clicks privately: paused, cancelled, and a verdict on a cancelled review', async () => {
    const review = await atGaming('Cancelled bot');
    const suggestions = await waitForSuggestionsMessage(h, review);
    const [question] = copiesOfQuestion3(review);

    // A real click on question 3 of another review, replayed below as a client still showing this review's old buttons would send it.
    const other = await atGaming('Other bot');
    await clickOption(other, copiesOfQuestion3(other)[0]!, 0);
    await waitForVersion(h, other, (state) => state.answers[GAMING] !== undefined, 'the other review’s click');
    const click = h.slack.deliveries.filter((delivery) => delivery.description === 'block_actions').at(-1)!;
    const staleClick = (actionTs: string) => {
      const payload = JSON.parse(new URLSearchParams(click.body).get('payload')!) as {
        actions: { action_ts: string; value: string }[];
        container: { message_ts: string; thread_ts?: string };
        message: { ts: string; thread_ts?: string };
      };
      payload.actions[0]!.action_ts = actionTs;
      payload.actions[0]!.value = JSON.stringify({ ...(JSON.parse(payload.actions[0]!.value) as object), r: review.reviewId });
      payload.container.message_ts = question!.ts;
      payload.container.thread_ts = review.threadTs;
      payload.message.ts = question!.ts;
      payload.message.thread_ts = review.threadTs;
      return h.slack.deliverRaw({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() });
    };

    await say(review, 'pause');
    await waitForVersion(h, review, (state) => state.status === 'paused', 'pause');
    // Pausing takes the buttons off the question, as cancelling does; resume asks it again.
    await withoutButtonsSaying(question!, 'asked again when it is resumed');
    await h.slack.settled();
    // A click from a client still showing the old buttons: told privately, once, and nothing in the thread.
    const pausedSeq = h.slack.world.seq;
    expect((await staleClick('1800000000.000100')).status).toBe(200);
    const pausedNote = await h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.seq > pausedSeq && item.userId === ALICE), { description: 'the private note on a paused review' });
    expect(pausedNote.text).toMatch(/paused/);
    await h.slack.settled();
    expect(publicPostsSince(review, pausedSeq)).toEqual([]);

    await say(review, 'cancel');
    // Not cancelled yet: the review stays paused until the cancel is confirmed.
    expect(await waitForVersion(h, review, (state) => state.cancelRequest?.by === ALICE, 'the cancel waiting to be confirmed')).toMatchObject({ status: 'paused' });
    await say(review, 'cancel');
    await waitForVersion(h, review, (state) => state.status === 'cancelled', 'cancel');
    // As answering does, cancelling takes the buttons off the question.
    await withoutButtonsSaying(question!, 'cancelled');
    await h.slack.settled();

    // A client still showing the old buttons clicks twice: private notes only, no post in the thread.
    const cancelledSeq = h.slack.world.seq;
    for (const actionTs of ['1800000001.000100', '1800000002.000100']) expect((await staleClick(actionTs)).status).toBe(200);
    await h.slack.waitFor((view) => (view.world.ephemerals.filter((item) => item.seq > cancelledSeq && item.userId === ALICE && /cancelled/.test(item.text)).length === 2 ? true : undefined), {
      description: 'two private notes on the cancelled review',
    });

    // A verdict on a cancelled review is refused privately too, and not recorded.
    const relevant = suggestionButtons(suggestions).find((button) => button.actionId === 'ar_suggestion_relevant')!;
    const verdictSeq = h.slack.world.seq;
    await h.slack.clickButton({ userId: BOB, channelId: CHANNEL, messageTs: suggestions.ts, actionId: relevant.actionId, value: relevant.value });
    const refusal = await h.slack.waitFor((view) => view.world.ephemerals.find((item) => item.seq > verdictSeq && item.userId === BOB), { description: 'the private refusal of the verdict' });
    expect(refusal.text).toMatch(/cancelled/);
    await h.slack.settled();
    const state = await stateOf(h, review.reviewId);
    expect(state.suggestions.every((item) => !item.verdict)).toBe(true);
    expect(JSON.stringify(h.slack.world.messages.find((item) => item.ts === suggestions.ts)!.blocks)).not.toContain(`<@${BOB}>`);
    expect(publicPostsSince(review, cancelledSeq)).toEqual([]);
  });

  it('finished early, loses the buttons of the question it waited on', async () => {
    const review = await atGaming('Finished bot');
    const [question] = copiesOfQuestion3(review);
    await say(review, 'finish');
    await waitForVersion(h, review, (state) => state.status === 'completed', 'finish');
    await withoutButtonsSaying(question!, 'finished before this question was answered');
  });
});
