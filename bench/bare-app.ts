/**
 * The benchmark's baseline: a bare Bolt app with the same receiver settings
 * as the real one (HTTP, ack before processing) and no state at all. The
 * slash command posts a root message and "Question 1" in its thread; every
 * person's reply in a thread gets one chat.postMessage back in that thread.
 * Whatever the real app costs beyond this is the price of the review.
 *
 *   SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… SLACK_API_URL=… PORT=… npx tsx bench/bare-app.ts
 */
import { z } from 'zod';
import { baselineApp } from './baseline-receiver.js';

const env = z
  .object({
    SLACK_BOT_TOKEN: z.string().min(1),
    SLACK_SIGNING_SECRET: z.string().min(1),
    SLACK_API_URL: z.url().optional(),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  })
  .parse(process.env);

const app = baselineApp({ token: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, apiUrl: env.SLACK_API_URL });

app.command('/alignment-review', async ({ ack, command, client }) => {
  await ack();
  const root = await client.chat.postMessage({ channel: command.channel_id, text: `Alignment review of ${command.text}` });
  await client.chat.postMessage({ channel: command.channel_id, thread_ts: root.ts, text: 'Question 1: what should the system do for people?' });
});

app.message(async ({ message, client }) => {
  const reply = message as { thread_ts?: string; ts: string; bot_id?: string; subtype?: string; channel: string };
  if (reply.subtype || reply.bot_id || !reply.thread_ts || reply.thread_ts === reply.ts) return;
  await client.chat.postMessage({ channel: reply.channel, thread_ts: reply.thread_ts, text: 'Question: the next one.' });
});

await app.start(env.PORT);

const stop = () => {
  void app.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
