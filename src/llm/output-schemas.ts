/**
 * What the model must return for each kind of request: a JSON schema sent as
 * structured output (strict mode), and the zod check applied to the reply
 * regardless, because a compatible server may ignore the schema. Items that
 * fail the check are dropped one by one; the rest are kept up to the limit.
 */
import { z } from 'zod';
import { DRAFT_LIMITS, PROXY_FAILURE_AREAS } from './offline-library.js';
import { toPlainText } from './plain-text.js';

export const RED_TEAM_KINDS = ['violates_intent', 'wrong_proxy', 'harmful_shortcut', 'unsafe_under_pressure', 'ignores_context'] as const;

export const LIMITS = {
  proxyFailures: { min: 1, max: 6 },
  clarifying: { max: 3, prompt: 300, help: 300 },
  redTeam: { max: 5, scenario: 500 },
} as const;

/** Plain text (Slack syntax neutralised, one line), then 1..max characters. */
function plain(max: number) {
  return z.string().transform(toPlainText).pipe(z.string().min(1).max(max));
}

const proxyFailureItem = z.object({
  title: plain(DRAFT_LIMITS.title),
  why: plain(DRAFT_LIMITS.why),
  safeguard: plain(DRAFT_LIMITS.safeguard),
  area: z.enum(PROXY_FAILURE_AREAS),
});

const clarifyingItem = z.object({
  prompt: plain(LIMITS.clarifying.prompt),
  // Strict mode makes every field required, so "no help" comes as null or "".
  help: z
    .string()
    .nullish()
    .transform((help) => (help ? toPlainText(help) : ''))
    .pipe(z.string().max(LIMITS.clarifying.help))
    .transform((help) => (help.length > 0 ? help : undefined)),
});

const redTeamItem = z.object({
  kind: z.enum(RED_TEAM_KINDS),
  scenario: plain(LIMITS.redTeam.scenario),
});

/** A strict structured-output schema: every property required, nothing extra. */
function objectSchema(properties: Record<string, unknown>): Record<string, unknown> {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

const text = (description: string) => ({ type: 'string', description });

export interface OutputSpec<T> {
  /** The structured-output schema's name; also tells the stand-in which kind of request it is. */
  name: string;
  /** The reply's top-level key holding the list. */
  listKey: string;
  jsonSchema: Record<string, unknown>;
  item: z.ZodType<T, unknown>;
  max: number;
  /** Caps the reply's length (and cost); generous for the item limits above. */
  maxTokens: number;
}

export const proxyFailureOutput: OutputSpec<z.output<typeof proxyFailureItem>> = {
  name: 'proxy_failures',
  listKey: 'items',
  max: LIMITS.proxyFailures.max,
  maxTokens: 1500,
  item: proxyFailureItem,
  jsonSchema: objectSchema({
    items: {
      type: 'array',
      description: `${LIMITS.proxyFailures.min} to ${LIMITS.proxyFailures.max} ways the metric could be won while the real goal is harmed`,
      items: objectSchema({
        title: text(`Short name of the failure, at most ${DRAFT_LIMITS.title} characters`),
        why: text(`How the metric improves while the goal is harmed, at most ${DRAFT_LIMITS.why} characters`),
        safeguard: text(`A better metric, constraint or monitoring step, at most ${DRAFT_LIMITS.safeguard} characters`),
        area: { type: 'string', enum: [...PROXY_FAILURE_AREAS] },
      }),
    },
  }),
};

export const clarifyingOutput: OutputSpec<z.output<typeof clarifyingItem>> = {
  name: 'clarifying_questions',
  listKey: 'questions',
  max: LIMITS.clarifying.max,
  maxTokens: 600,
  item: clarifyingItem,
  jsonSchema: objectSchema({
    questions: {
      type: 'array',
      description: `0 to ${LIMITS.clarifying.max} questions to ask the team`,
      items: objectSchema({
        prompt: text(`The question, at most ${LIMITS.clarifying.prompt} characters`),
        help: { type: ['string', 'null'], description: `Why it matters, at most ${LIMITS.clarifying.help} characters, or null` },
      }),
    },
  }),
};

export const redTeamOutput: OutputSpec<z.output<typeof redTeamItem>> = {
  name: 'red_team',
  listKey: 'scenarios',
  max: LIMITS.redTeam.max,
  maxTokens: 1500,
  item: redTeamItem,
  jsonSchema: objectSchema({
    scenarios: {
      type: 'array',
      description: `1 to ${LIMITS.redTeam.max} concrete failure scenarios`,
      items: objectSchema({
        kind: { type: 'string', enum: [...RED_TEAM_KINDS] },
        scenario: text(`The scenario, at most ${LIMITS.redTeam.scenario} characters`),
      }),
    },
  }),
};

export interface ParsedItems<T> {
  items: T[];
  /** Items that failed the check or came past the limit. */
  dropped: number;
}

/**
 * Parses the model's reply. Returns null when it is not JSON or not an object
 * with the expected list; otherwise the valid items (up to the limit).
 */
export function parseReply<T>(spec: OutputSpec<T>, content: string): ParsedItems<T> | null {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    return null;
  }
  const envelope = z.object({ [spec.listKey]: z.array(z.unknown()) }).safeParse(data);
  if (!envelope.success) return null;
  const raw = envelope.data[spec.listKey] as unknown[];
  const valid: T[] = [];
  for (const candidate of raw) {
    const parsed = spec.item.safeParse(candidate);
    if (parsed.success) valid.push(parsed.data);
  }
  const items = valid.slice(0, spec.max);
  return { items, dropped: raw.length - items.length };
}
