/**
 * Helpers for the end-to-end tests of suggestions (proxy failures,
 * clarifying follow-ups, red-team scenarios): answering a review up to a
 * point, finding the suggestions message and its buttons, and reading every
 * message the app sent to Slack. They drive the app only as people would.
 */
import type { Question, ReviewState } from '../../src/engine/types.js';
import type { WorldMessage } from '../../src/standin/slack/index.js';
import { BOT_USER, type Harness } from './app-harness.js';
import { currentQuestionOf, stateOf, typicalReply, waitForVersion, waitUntil, type StartedReview } from './review-driver.js';

/** The env that points the app at the OpenAI stand-in, with timeouts in milliseconds. */
export function modelEnv(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { LLM_ENABLED: 'true', OPENAI_API_KEY: 'test', OPENAI_BASE_URL: baseUrl, LLM_TIMEOUT_MS: '2000', ...extra };
}

export type ReplyFor = (question: Question, index: number) => string;

/** Replies by question id where given, else the driver's typical reply. */
export function repliesFrom(byId: Record<string, string>): ReplyFor {
  return (question, index) => byId[question.id] ?? typicalReply(question, index);
}

/**
 * Types one reply to the current question and waits until it is stored.
 * Returns the question it answered.
 */
export async function answerCurrent(h: Harness, review: StartedReview, userId: string, replyFor: ReplyFor, index = 1): Promise<Question> {
  const question = await currentQuestionOf(h, review);
  if (!question) throw new Error('the review is not waiting on a question');
  const { ts } = await h.slack.sendMessage({ userId, channelId: review.channelId, threadTs: review.threadTs, text: replyFor(question, index) });
  await waitForVersion(h, review, (state) => state.answers[question.id]?.messageTs === ts, `the answer to ${question.id}`);
  return question;
}

/** Answers by typing until `stop` says the current question is the place to stop (not answered), or the review ends. */
export async function answerUntil(
  h: Harness,
  review: StartedReview,
  userId: string,
  replyFor: ReplyFor,
  stop: (question: Question, state: ReviewState) => boolean = () => false,
): Promise<void> {
  for (let index = 1; index < 80; index++) {
    const question = await currentQuestionOf(h, review);
    if (!question) return;
    if (stop(question, await stateOf(h, review.reviewId))) return;
    await answerCurrent(h, review, userId, replyFor, index);
  }
  throw new Error('the review never stopped');
}

/** Answers exactly through the question with this id (inclusive). */
export async function answerThrough(h: Harness, review: StartedReview, userId: string, replyFor: ReplyFor, questionId: string): Promise<void> {
  await answerUntil(h, review, userId, replyFor, (_question, state) => Boolean(state.answers[questionId]));
}

export function isSuggestionsMessage(message: WorldMessage): boolean {
  return message.user === BOT_USER && message.text === 'Ways this metric could be gamed';
}

export function suggestionsMessages(h: Harness, review: StartedReview): WorldMessage[] {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && isSuggestionsMessage(message));
}

export async function waitForSuggestionsMessage(h: Harness, review: StartedReview, timeoutMs = 10_000): Promise<WorldMessage> {
  return h.slack.waitFor((view) => view.world.messages.find((message) => message.threadTs === review.threadTs && isSuggestionsMessage(message)), {
    description: 'the suggestions message in the thread',
    timeoutMs,
  });
}

/**
 * The first message posted for a question, as it reads now: when a slow model's suggestions arrive after the
 * question, it is posted again below them and this first copy is struck through, so its blocks no longer name it.
 */
export function firstQuestionPost(h: Harness, review: StartedReview, questionId: string): WorldMessage | undefined {
  const names = (blocks: unknown) => {
    const text = JSON.stringify(blocks ?? []);
    return text.includes(`"q":"${questionId}"`) || text.includes(`\\"q\\":\\"${questionId}\\"`);
  };
  const call = h.slack.calls.find((item) => item.method === 'chat.postMessage' && item.args.thread_ts === review.threadTs && names(item.args.blocks));
  const ts = (call?.response as { ts?: string } | undefined)?.ts;
  return ts ? h.slack.world.messages.find((message) => message.ts === ts) : undefined;
}

export function questionMessage(h: Harness, review: StartedReview, questionId: string): WorldMessage | undefined {
  return h.slack.world.messages
    .filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER)
    .filter((message) => {
      const blocks = JSON.stringify(message.blocks ?? []);
      return blocks.includes(`"q":"${questionId}"`) || blocks.includes(`\\"q\\":\\"${questionId}\\"`);
    })
    .at(-1);
}

/** The bot's message for a text question, found by its prompt (text questions carry no buttons with its id). */
export function messageWithText(h: Harness, review: StartedReview, needle: string): WorldMessage | undefined {
  return h.slack.world.messages.filter((message) => message.threadTs === review.threadTs && message.user === BOT_USER && JSON.stringify(message.blocks ?? []).includes(needle)).at(-1);
}

export interface SuggestionButton {
  suggestionId: string;
  actionId: string;
  value: string;
}

/** The Relevant / Not relevant buttons of a suggestions message, in order. */
export function suggestionButtons(message: WorldMessage): SuggestionButton[] {
  const buttons: SuggestionButton[] = [];
  for (const block of (message.blocks ?? []) as { type?: string; elements?: { type?: string; action_id?: string; value?: string }[] }[]) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) {
      if (element.type !== 'button' || !element.value || !element.action_id) continue;
      const value = JSON.parse(element.value) as { s?: string };
      if (value.s) buttons.push({ suggestionId: value.s, actionId: element.action_id, value: element.value });
    }
  }
  return buttons;
}

/** Every block text of a message, joined: what a person reads. */
export function readableText(message: WorldMessage): string {
  const texts: string[] = [message.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(message.blocks ?? []);
  return texts.join('\n');
}

/** Every chat.postMessage / chat.update the app made, as JSON text. */
export function slackWrites(h: Harness): { method: string; text: string }[] {
  return h.slack.calls
    .filter((call) => call.method === 'chat.postMessage' || call.method === 'chat.update' || call.method === 'chat.postEphemeral')
    .map((call) => ({ method: call.method, text: JSON.stringify(call.args) }));
}

/** Waits for a condition on the stored review. */
export async function waitForState(h: Harness, review: StartedReview, predicate: (state: ReviewState) => boolean, what: string, timeoutMs = 10_000): Promise<ReviewState> {
  return waitUntil(async () => {
    const state = await stateOf(h, review.reviewId);
    return predicate(state) ? state : null;
  }, what, timeoutMs);
}
