/**
 * What a committed step asks Slack to show, stored in the review's outbox in
 * the same atomic step as the state. Performing them is outbox.ts's job; the
 * refs let a later step update a message it did not post itself.
 */
import { z } from 'zod';

const block = z.record(z.string(), z.unknown());

export const outboxOpSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('post'),
    /** Remember the posted ts under this name (e.g. "q:<questionId>", "summary"). */
    ref: z.string().optional(),
    /** Post in the review's thread (default) or as a new message in another channel. */
    channel: z.string().optional(),
    inThread: z.boolean().default(true),
    text: z.string(),
    blocks: z.array(block).optional(),
    /** Skipped when `ref` is already known: a question held back for suggestions that may or may not have gone out (render-step.ts). */
    unlessPosted: z.boolean().optional(),
  }),
  z.object({
    op: z.literal('update'),
    /** The ref of the message to update; skipped when it was never posted. */
    ref: z.string(),
    text: z.string(),
    blocks: z.array(block).optional(),
  }),
  z.object({
    op: z.literal('ephemeral'),
    user: z.string(),
    text: z.string(),
    blocks: z.array(block).optional(),
  }),
  /** Not a Slack call: start a background job once everything before it is posted. */
  z.object({
    op: z.literal('job'),
    job: z.enum(['proxy-failures', 'clarify', 'redteam']),
    afterQuestionId: z.string().optional(),
    /** Proxy failures: the fingerprint of the answer they are for; a job whose answer has changed since leaves it to the new answer's job. */
    forAnswer: z.string().optional(),
    user: z.string().optional(),
  }),
  /**
   * A post in the review's thread that first waits, at most
   * SUGGESTIONS_WAIT_MS (outbox.ts), for the job performed just before it to
   * hand in its result. When it does, this post is left to the step that
   * applies that result, which posts it below the result; otherwise it is
   * posted as a 'post' would be. The next question after the metric, so that
   * quick suggestions come above it rather than push it out of sight.
   */
  z.object({
    op: z.literal('post_after_job'),
    ref: z.string().optional(),
    text: z.string(),
    blocks: z.array(block).optional(),
  }),
]);

export type OutboxOp = z.infer<typeof outboxOpSchema>;
export type OutboxOpInput = z.input<typeof outboxOpSchema>;
