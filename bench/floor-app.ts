/**
 * A second baseline for the benchmark (`npm run bench -- --floor`): the
 * least any review bot must do on top of the bare app, built from the app's
 * own cheapest parts. Per reply it reads the review's state from Redis,
 * adds the answer, posts the next question as the app renders it (text,
 * buttons, hint), updates the answered question as the app does, and writes
 * the state back: one GET, one SET and two Web API calls through the app's
 * lean client.
 *
 * It leaves out everything else the app does: no lock, inbox or dedupe (so
 * it is only correct as one process, where a chain per thread keeps each
 * review's replies in order), no engine (questions are asked in file
 * order, whatever the answers), no outbox, no logs. What the app costs
 * beyond this is the price of doing a review correctly; what this costs
 * beyond the bare app is the price of any stateful review bot.
 *
 *   SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… SLACK_API_URL=… REDIS_URL=… REDIS_PREFIX=… PORT=… [FLOOR_UPDATES=off] npx tsx bench/floor-app.ts
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Answer, Question } from '../src/engine/types.js';
import { loadFlows } from '../src/flows/load.js';
import { answeredQuestionMessage, questionMessage } from '../src/slack/blocks/question.js';
import { chatClientFor } from '../src/slack/chat-client.js';
import { baselineApp } from './baseline-receiver.js';

const env = z
  .object({
    SLACK_BOT_TOKEN: z.string().min(1),
    SLACK_SIGNING_SECRET: z.string().min(1),
    SLACK_API_URL: z.url().optional(),
    REDIS_URL: z.string().min(1),
    REDIS_PREFIX: z.string().min(1),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    /** "off": leave the answered question as it was (what the update costs; the app always updates). */
    FLOOR_UPDATES: z.enum(['on', 'off']).default('on'),
  })
  .parse(process.env);

const RETENTION_SECONDS = 3600;

/** What the floor keeps per review: the answers so far and where its current question is. */
interface FloorState {
  asked: number;
  questionTs: string;
  answers: Answer[];
}

const { flows } = loadFlows({ builtinDir: join(import.meta.dirname, '..', 'flows') });
const questions: Question[] = flows.get('alignment-review')!.questions;
const redis = new Redis(env.REDIS_URL);

const app = baselineApp({ token: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, apiUrl: env.SLACK_API_URL });
const chat = chatClientFor(app.client).chat;

const stateKey = (channel: string, threadTs: string) => `${env.REDIS_PREFIX}:floor:${channel}:${threadTs}`;
const position = (index: number) => ({ number: index + 1, total: { fewest: questions.length, most: questions.length } });

/** Each thread's replies one after another, as the app's lock does across replicas. */
const chains = new Map<string, Promise<void>>();
function inOrder(key: string, work: () => Promise<void>): Promise<void> {
  const run = (chains.get(key) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  chains.set(key, tail);
  void tail.then(() => {
    if (chains.get(key) === tail) chains.delete(key);
  });
  return run;
}

app.command('/alignment-review', async ({ ack, command }) => {
  await ack();
  const root = await chat.postMessage({ channel: command.channel_id, text: `Alignment review of ${command.text}` });
  const key = stateKey(command.channel_id, root.ts!);
  // The first reply can come as soon as the first question is posted: it waits for the state in the thread's chain.
  await inOrder(key, async () => {
    const first = questionMessage('floor', questions[0]!, position(0));
    const asked = await chat.postMessage({ channel: command.channel_id, thread_ts: root.ts!, text: first.text, blocks: first.blocks });
    await redis.set(key, JSON.stringify({ asked: 0, questionTs: asked.ts!, answers: [] } satisfies FloorState), 'EX', RETENTION_SECONDS);
  });
});

app.message(async ({ message }) => {
  const reply = message as { thread_ts?: string; ts: string; bot_id?: string; subtype?: string; channel: string; user?: string; text?: string };
  if (reply.subtype || reply.bot_id || !reply.thread_ts || reply.thread_ts === reply.ts) return;
  const key = stateKey(reply.channel, reply.thread_ts);
  await inOrder(key, async () => {
    const stored = await redis.get(key);
    if (!stored) return;
    const state = JSON.parse(stored) as FloorState;
    const answered = questions[state.asked % questions.length]!;
    const answer: Answer = { questionId: answered.id, value: { kind: 'text', text: reply.text ?? '' }, by: reply.user ?? '', at: new Date().toISOString(), messageTs: reply.ts };
    state.answers.push(answer);
    const next = (state.asked + 1) % questions.length;
    const ask = questionMessage('floor', questions[next]!, position(next));
    const posted = await chat.postMessage({ channel: reply.channel, thread_ts: reply.thread_ts, text: ask.text, blocks: ask.blocks });
    if (env.FLOOR_UPDATES === 'on') {
      const done = answeredQuestionMessage(answered, position(state.asked), answer, reply.text ?? '');
      await chat.update({ channel: reply.channel, ts: state.questionTs, text: done.text, blocks: done.blocks });
    }
    await redis.set(key, JSON.stringify({ asked: next, questionTs: posted.ts!, answers: state.answers } satisfies FloorState), 'EX', RETENTION_SECONDS);
  });
});

await app.start(env.PORT);

const stop = () => {
  void app
    .stop()
    .then(() => redis.quit())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
