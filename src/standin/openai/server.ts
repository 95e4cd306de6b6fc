/**
 * A local server that speaks enough of OpenAI's API for the app: POST
 * /v1/chat/completions (and GET /v1/models). It records every request body,
 * answers each kind of review request plausibly by default, and can be
 * scripted to misbehave (see behaviours.ts). Tests point the real openai SDK
 * at it; the local playground uses it when OPENAI_BASE_URL is set to it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ChatBody } from './answers.js';
import { good, type StandinHandler, type StandinReply, type StandinRequest } from './behaviours.js';

export interface OpenAIStandin {
  /** e.g. http://127.0.0.1:43123/v1 — give it to the SDK as baseURL. */
  baseUrl: string;
  /** Every chat-completion request body received, in order. */
  requests: ChatBody[];
  /** The same requests with headers and arrival times. */
  received: StandinRequest[];
  /** The handler used when no scripted reply is queued (default: plausible answers). */
  respondWith(handler: StandinHandler): void;
  /** Replies for the next requests, one each, in order; then back to respondWith's handler. */
  script(replies: (StandinReply | StandinHandler)[]): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

const chatBodySchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.string(), content: z.unknown() })).min(1),
  response_format: z
    .looseObject({ type: z.string(), json_schema: z.looseObject({ name: z.string().optional() }).optional() })
    .optional(),
});

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(8).toString('hex')}`, ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, headers?: Record<string, string>): void {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param: null, code: null } }, headers);
}

/** Rough token counts (about four characters a token), so usage is plausible. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function completion(body: ChatBody, content: string, finishReason: 'stop' | 'length') {
  const promptText = body.messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join('\n');
  const promptTokens = tokens(promptText);
  const completionTokens = tokens(content);
  return {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    system_fingerprint: 'fp_standin',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startOpenAIStandin(options: { port?: number; host?: string } = {}): Promise<OpenAIStandin> {
  const host = options.host ?? '127.0.0.1';
  const requests: ChatBody[] = [];
  const received: StandinRequest[] = [];
  const queue: (StandinReply | StandinHandler)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let handler: StandinHandler = good;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function perform(res: ServerResponse, body: ChatBody, reply: StandinReply): Promise<void> {
    switch (reply.type) {
      case 'delay':
        await wait(reply.ms);
        return perform(res, body, reply.then);
      case 'error':
        return sendError(res, reply.status, reply.message, reply.headers);
      case 'content':
        return sendJson(res, 200, completion(body, reply.content, reply.finishReason ?? 'stop'));
    }
  }

  async function chatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === null) return sendError(res, 413, 'Request body too large.');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.');
    }
    const parsed = chatBodySchema.safeParse(json);
    if (!parsed.success) return sendError(res, 400, `Invalid request: ${parsed.error.issues[0]?.path.join('.') ?? 'body'}`);
    const body = parsed.data as ChatBody;
    const request: StandinRequest = { body, headers: req.headers, index: received.length, receivedAt: Date.now() };
    requests.push(body);
    received.push(request);

    const next = queue.shift() ?? handler;
    const reply = typeof next === 'function' ? await next(request) : next;
    await perform(res, body, reply);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    let work: Promise<void>;
    if (req.method === 'POST' && path === '/v1/chat/completions') work = chatCompletions(req, res);
    else if (req.method === 'GET' && path === '/v1/models') {
      work = Promise.resolve(sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'standin' }] }));
    } else work = Promise.resolve(sendError(res, 404, `Unknown request: ${req.method} ${path}`));
    work.catch((error: unknown) => sendError(res, 500, `Stand-in failure: ${(error as Error).message}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://${host}:${port}/v1`,
    requests,
    received,
    respondWith(next) {
      handler = next;
    },
    script(replies) {
      queue.push(...replies);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
