/**
 * One structured-output chat completion through the official openai SDK,
 * against OpenAI, Azure's v1 endpoint or any compatible server (baseURL).
 * The SDK retries once on 429 and 5xx (honouring Retry-After) and on a
 * timeout; this wrapper adds an overall deadline so a long Retry-After cannot
 * stall a review, and turns every failure into one of three reasons.
 */
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

export type ModelFailureReason = 'timeout' | 'unavailable' | 'unusable';

export class ModelCallError extends Error {
  override name = 'ModelCallError';
  constructor(
    readonly reason: ModelFailureReason,
    message: string,
    /** HTTP status when the server answered with an error. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ModelRequest {
  system: string;
  user: string;
  /** Structured output: the schema's name and body (strict mode). */
  schemaName: string;
  schema: Record<string, unknown>;
  maxTokens: number;
}

export interface ModelReply {
  content: string;
  usage?: { promptTokens: number; completionTokens: number };
}

export interface ModelClient {
  readonly model: string;
  complete(request: ModelRequest): Promise<ModelReply>;
}

export interface ModelClientOptions {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  /** Per attempt. */
  timeoutMs: number;
}

/** One retry after the first attempt (429, 5xx, timeouts), as the SDK does it. */
const MAX_RETRIES = 1;

/**
 * Two attempts plus one attempt's worth of waiting between them: enough for
 * an ordinary Retry-After, never minutes.
 */
export function overallDeadlineMs(timeoutMs: number): number {
  return timeoutMs * (MAX_RETRIES + 2);
}

function classify(error: unknown): ModelCallError {
  if (error instanceof ModelCallError) return error;
  // Only our own deadline aborts, so an abort is a timeout.
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
    return new ModelCallError('timeout', 'The model did not answer in time');
  }
  if (error instanceof APIError) {
    return new ModelCallError('unavailable', `The model server answered ${error.status ?? 'with a connection error'}`, error.status);
  }
  return new ModelCallError('unavailable', `The model call failed: ${(error as Error)?.name ?? 'unknown error'}`);
}

export function createModelClient(options: ModelClientOptions): ModelClient {
  const client = new OpenAI({
    // A compatible server without keys still needs a non-empty value for the SDK.
    apiKey: options.apiKey || 'not-needed',
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: MAX_RETRIES,
  });

  async function call(request: ModelRequest, signal: AbortSignal): Promise<ModelReply> {
    const completion = await client.chat.completions.create(
      {
        model: options.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: request.schemaName, strict: true, schema: request.schema },
        },
        max_completion_tokens: request.maxTokens,
      },
      { signal },
    );
    const message = completion.choices[0]?.message;
    if (!message || message.refusal || !message.content) {
      throw new ModelCallError('unusable', message?.refusal ? 'The model refused' : 'The model sent no content');
    }
    const usage = completion.usage
      ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
      : undefined;
    return { content: message.content, usage };
  }

  return {
    model: options.model,
    async complete(request) {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new ModelCallError('timeout', 'The model did not answer in time'));
        }, overallDeadlineMs(options.timeoutMs));
      });
      try {
        return await Promise.race([call(request, controller.signal), deadline]);
      } catch (error) {
        throw classify(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
