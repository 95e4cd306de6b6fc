/**
 * Suggestions during a review: ways the team's metric could be gamed
 * (proxy failures), clarifying follow-up questions, and red-team scenarios.
 * With a model configured they come from it; proxy failures always have the
 * offline library to fall back on, so that call never fails. Every model
 * call counts against the review's budget (callCounter, shared across
 * replicas), and its token use is logged per review, never the text.
 */
import { matchProxyFailures, type OfflineLibrary } from './offline-library.js';
import { createModelClient, ModelCallError, type ModelFailureReason } from './model-client.js';
import { clarifyingOutput, parseReply, proxyFailureOutput, redTeamOutput, type OutputSpec } from './output-schemas.js';
import { clarifyingPrompt, proxyFailurePrompt, redTeamPrompt, type AnsweredQuestion, type PromptPair } from './prompts.js';

export interface SuggestionContext {
  reviewId: string;
  systemName: string;
  systemDescription?: string;
  humanGoal?: string;
  objective?: string;
  /** The team's answer to the metric question. */
  metric: string;
}

export interface ProxyFailureDraft {
  title: string;
  why: string;
  safeguard: string;
  area: 'reward_misspecification' | 'over_optimization';
  reference?: string;
}

export interface SuggestionResult<T> {
  items: T[];
  source: 'model' | 'offline';
  /** One line saying why these came from the offline library, when they did. */
  note?: string;
}

export type RedTeamKind = 'violates_intent' | 'wrong_proxy' | 'harmful_shortcut' | 'unsafe_under_pressure' | 'ignores_context';

export interface ClarifyingQuestion {
  prompt: string;
  help?: string;
}

export interface RedTeamDraft {
  kind: RedTeamKind;
  scenario: string;
}

export type ContextWithAnswers = SuggestionContext & { answers: AnsweredQuestion[] };

export interface Suggester {
  readonly modelConfigured: boolean;
  /** Never rejects: falls back to the offline library. */
  proxyFailures(ctx: SuggestionContext): Promise<SuggestionResult<ProxyFailureDraft>>;
  /** [] without a model or on failure; at most 3. */
  clarifyingQuestions(ctx: ContextWithAnswers): Promise<ClarifyingQuestion[]>;
  /** [] without a model or on failure; at most 5. */
  redTeam(ctx: ContextWithAnswers): Promise<RedTeamDraft[]>;
}

/** The pino methods used here (pino's Logger fits). */
export interface SuggesterLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
}

export interface SuggesterOptions {
  apiKey?: string;
  baseUrl?: string;
  /** Default gpt-4o-mini. */
  model?: string;
  enabled: boolean;
  /** Per attempt; default 20000. */
  timeoutMs?: number;
  /** Default 3. */
  maxCallsPerReview?: number;
  logger: SuggesterLogger;
  library: OfflineLibrary;
  /** Returns the review's model-call count after incrementing it (Redis-backed by the caller). */
  callCounter: (reviewId: string) => Promise<number>;
}

type Fallback = ModelFailureReason | 'no_model' | 'budget';

export const FALLBACK_NOTES: Readonly<Record<Fallback, string>> = {
  no_model: 'From the offline library (no model configured).',
  budget: 'This review has used its model calls; these come from the offline library.',
  timeout: 'The model did not answer in time; these come from the offline library.',
  unavailable: 'The model could not be reached; these come from the offline library.',
  unusable: "The model's answer could not be used; these come from the offline library.",
};

const OFFLINE_LIMIT = 5;

type Outcome<T> = { ok: true; items: T[] } | { ok: false; reason: Fallback };

export function createSuggester(options: SuggesterOptions): Suggester {
  const { logger, library, callCounter } = options;
  const model = options.model ?? 'gpt-4o-mini';
  const maxCalls = options.maxCallsPerReview ?? 3;
  const modelConfigured = options.enabled && Boolean(options.apiKey || options.baseUrl);
  // Without a model nothing is built, so nothing can be sent anywhere.
  const client = modelConfigured
    ? createModelClient({ apiKey: options.apiKey, baseUrl: options.baseUrl, model, timeoutMs: options.timeoutMs ?? 20_000 })
    : undefined;

  async function ask<T>(reviewId: string, spec: OutputSpec<T>, prompt: PromptPair): Promise<Outcome<T>> {
    if (!client) return { ok: false, reason: 'no_model' };
    const kind = spec.name;

    let count: number;
    try {
      count = await callCounter(reviewId);
    } catch (error) {
      // Without a count the budget cannot hold, so no call is made.
      logger.warn({ reviewId, kind, err: (error as Error).message }, 'Model call budget could not be checked; not calling the model');
      return { ok: false, reason: 'unavailable' };
    }
    if (count > maxCalls) {
      logger.info({ reviewId, kind, calls: count, maxCalls }, 'Model call budget for this review is used up');
      return { ok: false, reason: 'budget' };
    }

    const started = Date.now();
    let content: string;
    try {
      const reply = await client.complete({
        system: prompt.system,
        user: prompt.user,
        schemaName: spec.name,
        schema: spec.jsonSchema,
        maxTokens: spec.maxTokens,
      });
      content = reply.content;
      logger.info(
        {
          reviewId,
          kind,
          model: client.model,
          promptTokens: reply.usage?.promptTokens,
          completionTokens: reply.usage?.completionTokens,
          ms: Date.now() - started,
        },
        'Model call tokens used',
      );
    } catch (error) {
      const failure = error instanceof ModelCallError ? error : new ModelCallError('unavailable', 'The model call failed');
      logger.warn({ reviewId, kind, reason: failure.reason, status: failure.status, ms: Date.now() - started }, failure.message);
      return { ok: false, reason: failure.reason };
    }

    const parsed = parseReply(spec, content);
    if (!parsed) {
      logger.warn({ reviewId, kind }, 'Model reply was not JSON of the expected shape');
      return { ok: false, reason: 'unusable' };
    }
    if (parsed.dropped > 0) {
      logger.warn({ reviewId, kind, kept: parsed.items.length, dropped: parsed.dropped }, 'Dropped model items that did not fit the schema');
    }
    if (parsed.items.length === 0) return { ok: false, reason: 'unusable' };
    return { ok: true, items: parsed.items };
  }

  function offline(ctx: SuggestionContext, reason: Fallback): SuggestionResult<ProxyFailureDraft> {
    const matches = matchProxyFailures(library, ctx, OFFLINE_LIMIT);
    return {
      source: 'offline',
      note: FALLBACK_NOTES[reason],
      items: matches.map(({ entry }) => ({
        title: entry.title,
        why: entry.why,
        safeguard: entry.safeguard,
        area: entry.area,
        reference: entry.source,
      })),
    };
  }

  return {
    modelConfigured,

    async proxyFailures(ctx) {
      try {
        const outcome = await ask(ctx.reviewId, proxyFailureOutput, proxyFailurePrompt(ctx));
        if (outcome.ok) return { source: 'model', items: outcome.items };
        return offline(ctx, outcome.reason);
      } catch (error) {
        // The promise: never reject. Anything unforeseen still gets the library.
        logger.warn({ reviewId: ctx.reviewId, err: (error as Error)?.message }, 'Proxy-failure suggestions failed unexpectedly');
        return offline(ctx, 'unavailable');
      }
    },

    async clarifyingQuestions(ctx) {
      try {
        const outcome = await ask(ctx.reviewId, clarifyingOutput, clarifyingPrompt(ctx, ctx.answers));
        return outcome.ok ? outcome.items : [];
      } catch (error) {
        logger.warn({ reviewId: ctx.reviewId, err: (error as Error)?.message }, 'Clarifying questions failed unexpectedly');
        return [];
      }
    },

    async redTeam(ctx) {
      try {
        const outcome = await ask(ctx.reviewId, redTeamOutput, redTeamPrompt(ctx, ctx.answers));
        return outcome.ok ? outcome.items : [];
      } catch (error) {
        logger.warn({ reviewId: ctx.reviewId, err: (error as Error)?.message }, 'Red-team scenarios failed unexpectedly');
        return [];
      }
    },
  };
}
