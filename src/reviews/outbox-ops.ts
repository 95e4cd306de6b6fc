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
    user: z.string().optional(),
  }),
]);

export type OutboxOp = z.infer<typeof outboxOpSchema>;
export type OutboxOpInput = z.input<typeof outboxOpSchema>;
