/**
 * The shape of a review flow as written in flows/*.yaml, checked by zod when a
 * flow is loaded. Cross-references (duplicate ids, conditions that point at
 * later or unknown questions, safeguards an area does not have) are checked
 * after the shape, in flow-validate.ts, so that every error names its path.
 */
import { z } from 'zod';
import { AREA_IDS, LEVELS, OVERALL_LEVELS } from './areas.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1–64 lowercase letters, digits, "-" or "_"');

export const signalSchema = z.strictObject({
  area: z.enum(AREA_IDS, { error: (issue) => `unknown area ${JSON.stringify(issue.input)}; expected one of ${AREA_IDS.join(', ')}` }),
  /** Positive raises the area's risk, negative lowers it. */
  weight: z.number().int().min(-5).max(5),
  /** A safeguard of this area that the answer shows is present. */
  safeguard: z.string().optional(),
  /** One line on why this answer moves the area, shown as a driver. */
  reason: z.string().max(300).optional(),
});

/**
 * Conditions on earlier answers. `equals`, `includes` and `any_of` name option
 * ids of an earlier option question; `answered` is true once the question has
 * any non-skipped answer.
 */
export type Condition =
  | { question: string; equals: string }
  | { question: string; includes: string }
  | { question: string; any_of: string[] }
  | { question: string; answered: boolean }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ question: id, equals: z.string() }),
    z.strictObject({ question: id, includes: z.string() }),
    z.strictObject({ question: id, any_of: z.array(z.string()).min(1) }),
    z.strictObject({ question: id, answered: z.boolean() }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
  ]),
);

export const optionSchema = z.strictObject({
  id,
  label: z.string().min(1).max(75),
  /** Extra words a person may type for this option ("Y", "nope"). */
  aliases: z.array(z.string().min(1)).optional(),
  signals: z.array(signalSchema).default([]),
  /**
   * How severe or irreversible the harm would be if this answer is true
   * (money, health, rights, people who never use the system). Summed over the
   * review, it raises the overall level; see `impact` on the flow.
   */
  impact: z.number().int().min(0).max(3).optional(),
  /** Multi questions only: an answer that rules out the others ("None of these"), so it must be chosen alone. */
  exclusive: z.boolean().optional(),
  /** Multi questions only: options of the same question this one cannot be chosen with ("Only drafts" and "Runs code"). */
  excludes: z.array(id).optional(),
});

const SUGGEST_KINDS = ['proxy-failures', 'clarify'] as const;

const questionBase = {
  id,
  /** The article's section the question comes from: shown as a small heading. */
  section: z.string().max(60).optional(),
  prompt: z.string().min(1).max(500),
  help: z.string().max(1000).optional(),
  example: z.string().max(500).optional(),
  optional: z.boolean().default(false),
  when: conditionSchema.optional(),
  /** Suggestions to make once this question is answered. */
  suggest: z.enum(SUGGEST_KINDS).optional(),
};

const textQuestion = z.strictObject({
  ...questionBase,
  kind: z.literal('text'),
  min_length: z.number().int().min(0).max(3000).default(1),
  max_length: z.number().int().min(1).max(3000).default(3000),
});

const choiceQuestion = z.strictObject({
  ...questionBase,
  kind: z.literal('choice'),
  options: z.array(optionSchema).min(2, 'needs at least two options'),
});

const multiQuestion = z.strictObject({
  ...questionBase,
  kind: z.literal('multi'),
  options: z.array(optionSchema).min(1, 'needs at least one option'),
});

const scaleQuestion = z.strictObject({
  ...questionBase,
  kind: z.literal('scale'),
  /** Exactly five options, for 1 to 5; their ids are usually "1" … "5". */
  options: z.array(optionSchema).length(5, 'a scale has exactly five options, for 1 to 5'),
});

/** Yes / no / not sure. The options are fixed; the flow gives each one's signals. */
const yesnoQuestion = z.strictObject({
  ...questionBase,
  kind: z.literal('yesno'),
  yes: z.array(signalSchema).default([]),
  no: z.array(signalSchema).default([]),
  yes_impact: z.number().int().min(0).max(3).optional(),
  no_impact: z.number().int().min(0).max(3).optional(),
});

export const questionSchema = z.discriminatedUnion('kind', [
  textQuestion,
  choiceQuestion,
  multiQuestion,
  scaleQuestion,
  yesnoQuestion,
]);

const gateSchema = z.strictObject({
  id,
  when: conditionSchema,
  area: signalSchema.shape.area,
  floor: z.enum(LEVELS),
  reason: z.string().min(1).max(300),
});

const levelAdvice = z.strictObject({
  low: z.array(z.string().max(300)).default([]),
  medium: z.array(z.string().max(300)).default([]),
  high: z.array(z.string().max(300)).default([]),
});

export const flowSchema = z.strictObject({
  id,
  version: z.number().int().min(1),
  title: z.string().min(1).max(150),
  description: z.string().min(1).max(2000),
  /** Which questions' answers fill the summary's headline fields. */
  summary: z
    .strictObject({
      human_goal: id.optional(),
      objective: id.optional(),
      proxy_metrics: z.array(id).default([]),
      system_description: id.optional(),
    })
    .default({ proxy_metrics: [] }),
  scoring: z
    .strictObject({
      /** Share of the reachable risk at which an area is medium / high. */
      medium_at: z.number().min(0).max(1).default(0.25),
      high_at: z.number().min(0).max(1).default(0.5),
    })
    .default({ medium_at: 0.25, high_at: 0.5 }),
  /** Impact points (severity, irreversibility) at which the overall level rises by one, and by two. */
  impact: z
    .strictObject({ raise_one_at: z.number().int().min(1).default(2), raise_two_at: z.number().int().min(1).default(4) })
    .default({ raise_one_at: 2, raise_two_at: 4 }),
  questions: z.array(questionSchema).min(1, 'a flow needs at least one question'),
  gates: z.array(gateSchema).default([]),
  /** Recommended safeguards and next steps per area and level. */
  recommendations: z.partialRecord(signalSchema.shape.area, levelAdvice).default({}),
  /** What each overall level means and what to do next. */
  overall: z
    .partialRecord(
      z.enum(OVERALL_LEVELS),
      z.strictObject({ label: z.string().max(150), next_steps: z.array(z.string().max(300)).default([]) }),
    )
    .default({}),
});

export type FlowFile = z.infer<typeof flowSchema>;
export type SignalSpec = z.infer<typeof signalSchema>;
export type OptionSpec = z.infer<typeof optionSchema>;
export type QuestionSpec = z.infer<typeof questionSchema>;
export type GateSpec = z.infer<typeof gateSchema>;
