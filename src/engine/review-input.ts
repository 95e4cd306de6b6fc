/**
 * The shape of a review input, checked before it is applied: inputs arrive
 * from a queue as JSON, so a malformed one must be refused, not trusted.
 */
import { z } from 'zod';
import type { ReviewInput } from './types.js';

const by = { by: z.string().min(1), at: z.string().min(1) };
const text = z.string().max(40_000);

const suggestionSchema = z.object({
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(300),
  why: z.string().max(2000),
  safeguard: z.string().max(2000),
  area: z.enum(['reward_misspecification', 'over_optimization']),
  source: z.enum(['model', 'offline']),
  reference: z.string().max(500).optional(),
  afterQuestionId: z.string().min(1),
  forAnswer: z.string().max(100).optional(),
  batch: z.string().max(100).optional(),
});

const redTeamSchema = z.object({
  kind: z.enum(['violates_intent', 'wrong_proxy', 'harmful_shortcut', 'unsafe_under_pressure', 'ignores_context']),
  scenario: z.string().min(1).max(2000),
});

export const reviewInputSchema: z.ZodType<ReviewInput> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), text, messageTs: z.string().min(1).optional(), questionId: z.string().optional(), ...by }),
  z.object({ type: z.literal('choose'), questionId: z.string(), optionIds: z.array(z.string()).max(100), ...by }),
  z.object({ type: z.literal('skip'), ...by }),
  z.object({ type: z.literal('back'), ...by }),
  z.object({ type: z.literal('edit'), messageTs: z.string().min(1), text, ...by }),
  z.object({ type: z.literal('pause'), ...by }),
  z.object({ type: z.literal('resume'), ...by }),
  z.object({ type: z.literal('cancel'), ...by }),
  z.object({ type: z.literal('finish'), ...by }),
  z.object({
    type: z.literal('add_questions'),
    afterQuestionId: z.string(),
    questions: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), prompt: z.string().min(1).max(500), help: z.string().max(1000).optional() }))
      .min(1)
      .max(10),
    ...by,
  }),
  z.object({ type: z.literal('add_suggestions'), suggestions: z.array(suggestionSchema).min(1).max(20), ...by }),
  z.object({ type: z.literal('verdict'), suggestionId: z.string(), relevant: z.boolean(), ...by }),
  z.object({ type: z.literal('add_redteam'), scenarios: z.array(redTeamSchema).min(1).max(20), ...by }),
  z.object({
    type: z.literal('decide'),
    outcome: z.enum(['approved', 'approved_with_conditions', 'changes_needed']),
    conditions: z.string().max(3000).optional(),
    ...by,
  }),
]);
