/**
 * Drives reviews through the stand-in as people would: the slash command,
 * replies in the thread, buttons. It reads the review's state from the store
 * only to know which question is current and what a sensible reply is.
 */
import { optionConflict } from '../../src/engine/option-rules.js';
import { expect } from 'vitest';
import type { Question, ReviewState } from '../../src/engine/types.js';
import { findQuestion } from '../../src/engine/index.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import { BOT_USER, CHANNEL, TEAM, type Harness, type Standin } from './app-harness.js';

export interface StartedReview {
  reviewId: string;
  threadTs: string;
  channelId: string;
}

export function botMessagesInThread(slack: Standin, channelId: string, threadTs: string): WorldMessage[] {
  return slack.world.messages.filter((message) => message.channel === channelId && message.threadTs === threadTs && message.user === BOT_USER);
}

export async function startReview(h: Harness, text: string, userId: string, channelId = CHANNEL): Promise<StartedReview> {
  const before = h.slack.world.seq;
  await h.slack.slashCommand({ userId, channelId, command: '/alignment-review', text });
  const root = await h.slack.waitFor(
    (view) => view.world.messages.find((message) => message.channel === channelId && message.user === BOT_USER && !message.threadTs && message.seq > before),
    { description: 'the root message of the review' },
  );
  const reviewId = await waitUntil(() => h.store.findByThread(TEAM, channelId, root.ts), 'the review stored');
  await h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === root.ts && message.user === BOT_USER && /^Question 1:/.test(message.text)), {
    description: 'the first question in the thread',
  });
  return { reviewId: reviewId!, threadTs: root.ts, channelId };
}

export async function waitUntil<T>(probe: () => Promise<T | null | undefined> | T | null | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The review's state once its drain here has finished: the app posts a
 * step's messages before it commits the step, so a message seen in the
 * stand-in may be a moment ahead of the store.
 */
export async function stateOf(h: Harness, reviewId: string): Promise<ReviewState> {
  await waitUntil(() => !h.server.inbox.isDraining(TEAM, reviewId), `the drain of ${reviewId} to finish`);
  const record = await h.store.get(TEAM, reviewId);
  if (!record) throw new Error(`review ${reviewId} not found`);
  return record.state;
}

export async function currentQuestionOf(h: Harness, review: StartedReview): Promise<Question | null> {
  const state = await stateOf(h, review.reviewId);
  if (!state.currentQuestionId) return null;
  const flow = h.server.deps.flows.get(state.flowId)!;
  return findQuestion(flow, state, state.currentQuestionId) ?? null;
}

/** A reply a person might type: the first option by number, or a sentence for text questions. */
export function typicalReply(question: Question, index: number): string {
  switch (question.kind) {
    case 'text':
      return `Answer ${index}: ${'a considered reply about the system and its goal. '.repeat(2).slice(0, Math.max(question.minLength, 60))}`;
    case 'multi':
      // Two answers, unless they rule each other out ("Only suggests or drafts" and what acts).
      return question.options.length > 1 && !optionConflict(question.options.slice(0, 2)) ? '1, 2' : '1';
    default:
      return '1';
  }
}

/** Waits until the review has applied `count` more history entries than before, or moved on. */
export async function waitForVersion(h: Harness, review: StartedReview, predicate: (state: ReviewState) => boolean, what: string): Promise<ReviewState> {
  return waitUntil(async () => {
    const state = await stateOf(h, review.reviewId);
    return predicate(state) ? state : null;
  }, what);
}

/** Answers every question by typing, as `replyFor` says, until the review completes. Returns the replies sent. */
export async function answerByTyping(
  h: Harness,
  review: StartedReview,
  userId: string,
  replyFor: (question: Question, index: number) => string = typicalReply,
): Promise<Record<string, string>> {
  const sent: Record<string, string> = {};
  for (let index = 1; index < 80; index++) {
    const question = await currentQuestionOf(h, review);
    if (!question) return sent;
    const reply = replyFor(question, index);
    sent[question.id] = reply;
    const { ts } = await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text: reply });
    await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
  }
  throw new Error('the review never completed');
}

export async function waitForSummaryCard(h: Harness, review: StartedReview): Promise<WorldMessage> {
  return h.slack.waitFor(
    (view) => view.world.messages.find((message) => message.threadTs === review.threadTs && message.user === BOT_USER && /Alignment review summary/.test(message.text)),
    { description: 'the summary card in the thread' },
  );
}

export function expectNoMentionsOrLinks(text: string): void {
  expect(text).not.toMatch(/<!(channel|here|everyone)>/);
  expect(text).not.toMatch(/<!subteam\^/);
  expect(text).not.toMatch(/<https?:[^>]*\|/);
}
