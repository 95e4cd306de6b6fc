/**
 * Reading a review's thread around the proxy-failure suggestions: how often
 * a question was posted, and the cards in the order they were posted.
 */
import type { WorldMessage } from '../../src/standin/slack/index.js';
import type { Harness } from './app-harness.js';
import type { StartedReview } from './review-driver.js';
import { readableText, suggestionsMessages } from './suggestion-helpers.js';

function namesQuestion(blocks: unknown, questionId: string): boolean {
  const text = JSON.stringify(blocks ?? []);
  return text.includes(`"q":"${questionId}"`) || text.includes(`\\"q\\":\\"${questionId}\\"`);
}

/** Every post of this question in the thread, as the app sent them (later updates do not hide one). */
export function questionPosts(h: Harness, review: StartedReview, questionId: string): WorldMessage[] {
  return h.slack.calls
    .filter((call) => call.method === 'chat.postMessage' && call.args.thread_ts === review.threadTs && namesQuestion(call.args.blocks, questionId))
    .map((call) => h.slack.world.messages.find((message) => message.ts === (call.response as { ts?: string } | undefined)?.ts))
    .filter((message): message is WorldMessage => message !== undefined);
}

/** The suggestion cards of the thread, oldest first, as they read now. */
export function suggestionCards(h: Harness, review: StartedReview): WorldMessage[] {
  return [...suggestionsMessages(h, review)].sort((one, other) => one.seq - other.seq);
}

/** Messages of the thread that read "asked again below": a question's copy struck through because it was posted again. */
export function struckCopies(h: Harness, review: StartedReview): WorldMessage[] {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && readableText(message).includes('asked again below'));
}
