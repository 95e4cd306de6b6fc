import { afterEach, describe, expect, it } from 'vitest';
import type { Question } from '../../src/engine/types.js';
import { startOpenAIStandin, type OpenAIStandin } from '../../src/standin/openai/server.js';
import { ALICE, BOB, CHANNEL, TEAM, startHarness, startStandardStandin, type Harness, type Standin } from '../support/app-harness.js';
import { currentQuestionOf, startReview, stateOf, waitForSummaryCard, waitForVersion, type StartedReview } from '../support/review-driver.js';

// Values that must never reach a log line at info level.
const BOT_TOKEN = 'xoxb-logtest-7f3a9c2e51d8';
const SIGNING_SECRET = 'signing-secret-b81e4f0c9d27a6';
const API_KEY = 'sk-logtest-5c0e8b1d7a24f9';
const SYSTEM_NAME = 'Nightjar dispatcher 4410';
const ANSWER_MARK = 'Quokka7731';

let h: Harness | undefined;
let slack: Standin | undefined;
let model: OpenAIStandin | undefined;

afterEach(async () => {
  await h?.close();
  await slack?.close();
  await model?.close();
  h = slack = model = undefined;
});

async function startWithSecrets(logLevel: string): Promise<Harness> {
  slack = await startStandardStandin({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
  model = await startOpenAIStandin();
  const harness = await startHarness({
    slack,
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: model.baseUrl,
      LLM_ENABLED: 'true',
      LOG_LEVEL: logLevel,
    },
  });
  slack.setAppUrl(`http://127.0.0.1:${harness.server.port}/slack/events`);
  return harness;
}

/**
 * Answers until the review completes. Follow-up questions from the model may
 * come first at any moment, so a reply counts once any answer carries its ts.
 */
async function answerAll(h: Harness, review: StartedReview): Promise<number> {
  let sent = 0;
  for (let index = 1; index < 80; index++) {
    const question = await currentQuestionOf(h, review);
    if (!question) return sent;
    // Two people answer in turn, as a team would (one alone would pass the per-person input limit).
    const { ts } = await h.slack.sendMessage({ userId: index % 2 ? BOB : ALICE, channelId: review.channelId, threadTs: review.threadTs, text: markedReply(question, index) });
    sent += question.kind === 'text' ? 1 : 0;
    await waitForVersion(h, review, (state) => Object.values(state.answers).some((answer) => answer.messageTs === ts), `the reply to ${question.id}`);
  }
  throw new Error('the review never completed');
}

/** A reply with the mark in it for text questions; options by number otherwise. */
function markedReply(question: Question, index: number): string {
  if (question.kind === 'text') return `${ANSWER_MARK} answer ${index}: our confidential plan for the system, described at length for the reviewers.`;
  return question.kind === 'multi' ? '2, 3' : '1';
}

describe('structured logs', () => {
  it('a whole review at info: JSON lines naming the review, team and channel, with no answer text, tokens or secrets', async () => {
    h = await startWithSecrets('info');
    const review = await startReview(h, `--flow alignment-review ${SYSTEM_NAME}`, ALICE);
    const markedReplies = await answerAll(h, review);
    await waitForSummaryCard(h, review);
    await h.slack.settled();
    const state = await stateOf(h, review.reviewId);
    expect(state.status).toBe('completed');
    // The answers did carry the mark, and the model saw them: there was something to leak.
    expect(markedReplies).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(state.answers)).toContain(ANSWER_MARK);
    expect(JSON.stringify(model!.requests)).toContain(ANSWER_MARK);
    const answered = Object.keys(state.answers).length;

    expect(h.logs.length).toBeGreaterThan(answered);
    for (const line of h.logs) {
      expect(typeof line.level).toBe('string');
      expect(typeof line.time).toBe('string');
      expect(typeof line.msg).toBe('string');
      const text = JSON.stringify(line);
      for (const secret of [ANSWER_MARK, SYSTEM_NAME, BOT_TOKEN, SIGNING_SECRET, API_KEY]) expect(text).not.toContain(secret);
    }
    const levels = new Set(h.logs.map((line) => line.level));
    expect([...levels].every((level) => ['info', 'warn', 'error'].includes(String(level)))).toBe(true);

    // Every step of this review is traceable by its id, team and channel.
    const started = h.logs.filter((line) => line.msg === 'Review started');
    expect(started).toEqual([expect.objectContaining({ reviewId: review.reviewId, teamId: TEAM, channel: CHANNEL })]);
    const applied = h.logs.filter((line) => line.msg === 'Input applied');
    expect(applied.length).toBeGreaterThanOrEqual(answered);
    for (const line of applied) expect(line).toMatchObject({ reviewId: review.reviewId, teamId: TEAM, channel: CHANNEL });
  });

  it('LOG_LEVEL=warn keeps the info lines out', async () => {
    h = await startWithSecrets('warn');
    const review = await startReview(h, `--flow quick-check ${SYSTEM_NAME}`, ALICE);
    await answerAll(h, review);
    expect((await stateOf(h, review.reviewId)).status).toBe('completed');
    expect(h.logs.filter((line) => line.level === 'info' || line.level === 'debug')).toEqual([]);
    for (const line of h.logs) expect(JSON.stringify(line)).not.toContain(ANSWER_MARK);
  });
});
