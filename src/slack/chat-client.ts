/**
 * A lean Web API client for the four methods the app posts with (the review
 * outbox, a start's root message, reminders, answers to words typed in a
 * thread): chat.postMessage, chat.update, chat.postEphemeral, conversations.join,
 * and the two reads that find a review's posts again (conversations.replies
 * and conversations.history, form-encoded as Slack's read methods take them,
 * one attempt each):
 * JSON bodies over a keep-alive agent, with WebClient's error shapes, its
 * rate-limit pause and its retries. Bolt's WebClient (axios, a queue, retry
 * wrappers, form encoding) cost a quarter of the app's CPU on that path.
 *
 * Unlike WebClient, it does not post a message twice when Slack took a post
 * but its answer was lost (a timeout, a connection cut, a 5xx after the
 * work): Slack has no idempotency key, so each post carries a mark of its
 * own in its metadata, and before a post is sent again the client looks for
 * that mark among the channel's or thread's latest messages.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import {
  ErrorCode,
  type ChatPostEphemeralArguments,
  type ChatPostEphemeralResponse,
  type ChatPostMessageArguments,
  type ChatPostMessageResponse,
  type ChatUpdateArguments,
  type ChatUpdateResponse,
  type ConversationsHistoryArguments,
  type ConversationsHistoryResponse,
  type ConversationsJoinArguments,
  type ConversationsJoinResponse,
  type ConversationsRepliesArguments,
  type ConversationsRepliesResponse,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebAPIRequestError,
  type WebClient,
} from '@slack/web-api';

/** The calls the outbox makes; a WebClient is one too, so callers can take either. */
export interface ChatClient {
  chat: {
    postMessage(args: ChatPostMessageArguments): Promise<ChatPostMessageResponse>;
    update(args: ChatUpdateArguments): Promise<ChatUpdateResponse>;
    postEphemeral(args: ChatPostEphemeralArguments): Promise<ChatPostEphemeralResponse>;
  };
  conversations: {
    join(args: ConversationsJoinArguments): Promise<ConversationsJoinResponse>;
    /** For the look after a takeover (src/reviews/posted-look.ts). */
    replies(args: ConversationsRepliesArguments): Promise<ConversationsRepliesResponse>;
    history(args: ConversationsHistoryArguments): Promise<ConversationsHistoryResponse>;
  };
}

/** The `retry` package's options as WebClient reads them (no randomizing). */
export interface ChatRetryConfig {
  retries: number;
  factor: number;
  minTimeout: number;
  maxTimeout: number;
  maxRetryTime: number;
}

export interface ChatClientOptions {
  token: string;
  /** Default https://slack.com/api/. */
  apiUrl?: string;
  /** Per attempt, as socket inactivity (axios's `timeout` in WebClient); default 10 s. */
  timeoutMs?: number;
  retryConfig?: Partial<ChatRetryConfig>;
  /** Default: a keep-alive agent of this client's own. */
  agent?: http.Agent;
}

/** The app's retries and timeout for every Web API call, here and in Bolt's WebClient (webClientOptions in app.ts), so both give up alike. */
export const SLACK_RETRY: ChatRetryConfig = { retries: 4, factor: 2, minTimeout: 300, maxTimeout: 5_000, maxRetryTime: 30_000 };
export const SLACK_TIMEOUT_MS = 10_000;
const DEFAULT_API_URL = 'https://slack.com/api/';
const JSON_TYPE = 'application/json; charset=utf-8';
const FORM_TYPE = 'application/x-www-form-urlencoded';
// WebClient's queue runs at most 100 requests at once; the agent's socket limit does the same here.
const MAX_SOCKETS = 100;

type Args = Record<string, unknown>;

interface Answer {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/** The waits between attempts, as the `retry` package computes them for WebClient. */
function backoffs(config: ChatRetryConfig): number[] {
  const waits: number[] = [];
  for (let attempt = 0; attempt < config.retries; attempt += 1) {
    waits.push(Math.min(Math.round(Math.max(config.minTimeout, 1) * config.factor ** attempt), config.maxTimeout));
  }
  return waits.sort((a, b) => a - b);
}

/** Whole seconds from Retry-After, or undefined when it holds none (WebClient's parseInt rule). */
function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string') return undefined;
  const seconds = Number.parseInt(header, 10);
  return Number.isNaN(seconds) ? undefined : Math.max(0, seconds);
}

/** The metadata event type of the mark each post carries (see findPosted). */
export const POST_MARK_EVENT = 'alignment_review_post';

/** A post's metadata carrying the caller's mark: an outbox item's id, so a later drain can find the post (src/reviews/posted-look.ts). */
export function postMarkOf(mark: string): { event_type: string; event_payload: { post: string } } {
  return { event_type: POST_MARK_EVENT, event_payload: { post: mark } };
}

/** The mark a message carries, as read back with include_all_metadata; undefined for messages without one. */
export function markOf(message: { metadata?: unknown }): string | undefined {
  const metadata = message.metadata as { event_type?: unknown; event_payload?: { post?: unknown } } | undefined;
  const mark = metadata?.event_type === POST_MARK_EVENT ? metadata.event_payload?.post : undefined;
  return typeof mark === 'string' ? mark : undefined;
}
/** How far back from a post's first attempt its mark is looked for: Slack's clock and this machine's may differ a little. */
const MARK_LOOKBACK_SECONDS = 120;
/** Marks are this process's random prefix and a counter: unique across replicas without a random draw per post. */
const MARK_PREFIX = randomBytes(6).toString('hex');
let marks = 0;

function postMark(): { event_type: string; event_payload: { post: string } } {
  marks += 1;
  return postMarkOf(`${MARK_PREFIX}${marks.toString(36)}`);
}

/** Node's codes for a request that never reached the server: sending it again cannot make a second post. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Whether a failed attempt may have been carried out by Slack all the same (its answer lost or a 5xx after the work). */
function mayHaveArrived(outcome: WebAPIRequestError | Answer): boolean {
  if (!(outcome instanceof Error)) return outcome.status >= 500;
  const code = (outcome.original as { code?: unknown }).code;
  return !(typeof code === 'string' && NEVER_SENT.has(code));
}

/** A form body, as Slack's read methods take their arguments: the token goes in the header, nulls and undefined are left out. */
function formOf(args: Args): string {
  const form = new URLSearchParams();
  for (const key in args) {
    const value = args[key];
    if (key === 'token' || value === null || value === undefined) continue;
    form.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form.toString();
}

/** The JSON body: the token goes in the header, and top-level nulls are left out as WebClient's form encoding does. */
function bodyOf(args: Args): string {
  let clean = true;
  for (const key in args) {
    const value = args[key];
    if (value === null || (key === 'token' && value !== undefined)) {
      clean = false;
      break;
    }
  }
  // Copying only when needed: most calls are stringified as given.
  if (clean) return JSON.stringify(args);
  const copy: Args = {};
  for (const key in args) {
    const value = args[key];
    if (key !== 'token' && value !== null && value !== undefined) copy[key] = value;
  }
  return JSON.stringify(copy);
}

function platformError(result: Args): WebAPIPlatformError {
  const error = new Error(`An API error occurred: ${String(result.error)}`) as WebAPIPlatformError;
  error.code = ErrorCode.PlatformError;
  error.data = result as unknown as WebAPIPlatformError['data'];
  return error;
}

function httpError(answer: Answer): WebAPIHTTPError {
  const error = new Error(`An HTTP protocol error occurred: statusCode = ${answer.status}`) as WebAPIHTTPError;
  error.code = ErrorCode.HTTPError;
  error.statusCode = answer.status;
  error.statusMessage = answer.statusMessage;
  error.headers = answer.headers;
  error.body = parseBody(answer.text);
  return error;
}

function requestError(original: unknown): WebAPIRequestError {
  const cause = original instanceof Error ? original : new Error(String(original));
  const error = new Error(`A request error occurred: ${cause.message}`) as WebAPIRequestError;
  error.code = ErrorCode.RequestError;
  error.original = cause;
  return error;
}

function rateLimitedError(url: string, seconds: number): WebAPIRateLimitedError {
  const error = new Error(`A rate limit was exceeded (url: ${url}, retry-after: ${seconds})`) as WebAPIRateLimitedError;
  error.code = ErrorCode.RateLimitedError;
  error.retryAfter = seconds;
  return error;
}

/** The answer as WebClient reads it: a body that is not a JSON object becomes `{ ok: false, error: <text> }`. */
function parseBody(text: string): Args {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Args;
  } catch {
    // Not JSON: reported below as WebClient reports it.
  }
  return { ok: false, error: text };
}

function keepAliveAgent(secure: boolean): http.Agent {
  return secure ? new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }) : new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createChatClient(options: ChatClientOptions): ChatClient {
  const base = new URL(options.apiUrl ?? DEFAULT_API_URL);
  const secure = base.protocol === 'https:';
  const transport = secure ? https : http;
  const agent = options.agent ?? keepAliveAgent(secure);
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const hostname = base.hostname.startsWith('[') ? base.hostname.slice(1, -1) : base.hostname;
  const port = base.port === '' ? undefined : Number(base.port);
  const authorization = `Bearer ${options.token}`;
  const timeoutMs = options.timeoutMs ?? SLACK_TIMEOUT_MS;
  const retry = { ...SLACK_RETRY, ...options.retryConfig };
  const waits = backoffs(retry);

  // The rate-limit pause: no call of this client starts before `pausedUntil`, nor while a call that hit the limit is retrying.
  let pausedUntil = 0;
  let probes = 0;
  let waiting: Array<() => void> = [];
  let wakeTimer: NodeJS.Timeout | undefined;

  const isOpen = () => probes === 0 && Date.now() >= pausedUntil;

  function wake(): void {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (waiting.length === 0 || probes > 0) return;
    const rest = pausedUntil - Date.now();
    if (rest > 0) {
      wakeTimer = setTimeout(wake, rest);
      return;
    }
    const ready = waiting;
    waiting = [];
    for (const resume of ready) resume();
  }

  async function whenOpen(): Promise<void> {
    while (!isOpen()) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        wake();
      });
    }
  }

  function send(path: string, body: string, auth: string, contentType: string = JSON_TYPE): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const request = transport.request(
        {
          method: 'POST',
          hostname,
          port,
          path,
          agent,
          timeout: timeoutMs,
          headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), Authorization: auth },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, statusMessage: response.statusMessage ?? '', headers: response.headers, text }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => {
        const error = new Error(`timeout of ${timeoutMs}ms exceeded`) as Error & { code: string };
        error.code = 'ETIMEDOUT';
        request.destroy(error);
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  function endProbe(): void {
    probes -= 1;
    wake();
  }

  /**
   * One attempt at a read method (conversations.replies or history),
   * form-encoded as Slack's read methods take their arguments. No retries and
   * no part in the rate-limit pause: reads run only to find a post again, and
   * a read that is refused (Slack limits these two methods hard for some
   * apps: 1 a minute for commercially distributed apps outside the
   * Marketplace) must not hold up the posts. Throws WebClient's error shapes.
   */
  async function read<Result>(method: string, args: Args, auth: string = typeof args.token === 'string' ? `Bearer ${args.token}` : authorization): Promise<Result> {
    const outcome = await send(basePath + method, formOf(args), auth, FORM_TYPE).catch(requestError);
    if (outcome instanceof Error) throw outcome;
    if (outcome.status === 429) throw rateLimitedError(`${base.href}${method}`, retryAfterSeconds(outcome.headers['retry-after']) ?? 0);
    if (outcome.status !== 200) throw httpError(outcome);
    const result = parseBody(outcome.text);
    if (!result.ok) throw platformError(result);
    return result as Result;
  }

  /**
   * The message a post made, when its mark is among the latest messages of its
   * thread (conversations.replies) or channel (conversations.history), as a
   * chat.postMessage answer; undefined when it is not there or the look itself
   * failed (then the post is sent again, as before). Runs only on the way to a
   * retry.
   */
  async function findPosted(args: Args, startedMs: number, auth: string): Promise<Args | undefined> {
    const mark = (args.metadata as { event_payload?: { post?: unknown } } | undefined)?.event_payload?.post;
    const channel = args.channel;
    if (typeof mark !== 'string' || typeof channel !== 'string') return undefined;
    const thread = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    const query: Args = { channel, oldest: (startedMs / 1000 - MARK_LOOKBACK_SECONDS).toFixed(6), inclusive: true, include_all_metadata: true, limit: 200, ...(thread ? { ts: thread } : {}) };
    const result = await read<Args>(thread ? 'conversations.replies' : 'conversations.history', query, auth).catch(() => undefined);
    if (!result || !Array.isArray(result.messages)) return undefined;
    const message = (result.messages as Args[]).find((item) => markOf(item) === mark);
    return message && typeof message.ts === 'string' ? { ok: true, channel, ts: message.ts, message } : undefined;
  }

  async function call<Result>(method: string, args: object): Promise<Result> {
    const path = basePath + method;
    const body = bodyOf(args as Args);
    const token = (args as { token?: unknown }).token;
    const auth = typeof token === 'string' ? `Bearer ${token}` : authorization;
    const marked = method === 'chat.postMessage';
    const started = Date.now();
    let attempt = 0;
    let probing = false;
    try {
      for (;;) {
        if (!probing && !isOpen()) await whenOpen();
        const outcome = await send(path, body, auth).catch(requestError);
        if (!(outcome instanceof Error) && outcome.status === 429) {
          const header = outcome.headers['retry-after'];
          const seconds = retryAfterSeconds(header);
          if (seconds === undefined) throw new Error(`Retry header did not contain a valid timeout (url: ${base.href}${method}, retry-after header: ${String(header)})`);
          pausedUntil = Math.max(pausedUntil, Date.now() + seconds * 1000);
          // Out of retries or time: say so now rather than after a wait that ends in the same refusal.
          if (attempt >= waits.length || Date.now() - started + seconds * 1000 >= retry.maxRetryTime) throw rateLimitedError(`${base.href}${method}`, seconds);
          // This call goes first when the pause ends; the others follow once it has its answer, so a still-limited API sees one request, not a burst.
          if (!probing) probes += 1;
          probing = true;
          await sleep(pausedUntil - Date.now());
          attempt += 1;
          continue;
        }
        if (probing) {
          probing = false;
          endProbe();
        }
        if (!(outcome instanceof Error) && outcome.status === 200) {
          const result = parseBody(outcome.text);
          if (!result.ok) throw platformError(result);
          return result as Result;
        }
        // Slack answers 200 or 429; any other status, like a network error, is a failure on the way there, worth another try.
        const failure = outcome instanceof Error ? outcome : httpError(outcome);
        // Unless it was a post that Slack made after all: then it is done.
        if (marked && mayHaveArrived(outcome)) {
          const found = await findPosted(args as Args, started, auth);
          if (found) return found as Result;
        }
        if (attempt >= waits.length || Date.now() - started >= retry.maxRetryTime) throw failure;
        await sleep(waits[attempt] ?? 0);
        attempt += 1;
      }
    } finally {
      if (probing) endProbe();
    }
  }

  return {
    chat: {
      // Marked, unless the caller brought metadata of its own (then a lost answer means a second post, as with WebClient).
      postMessage: (args) => call<ChatPostMessageResponse>('chat.postMessage', args.metadata ? args : { ...args, metadata: postMark() }),
      update: (args) => call<ChatUpdateResponse>('chat.update', args),
      postEphemeral: (args) => call<ChatPostEphemeralResponse>('chat.postEphemeral', args),
    },
    conversations: {
      join: (args) => call<ConversationsJoinResponse>('conversations.join', args),
      replies: (args) => read<ConversationsRepliesResponse>('conversations.replies', args as unknown as Args),
      history: (args) => read<ConversationsHistoryResponse>('conversations.history', args as unknown as Args),
    },
  };
}

// Workspaces met by one process (OAuth installs); past this many, the oldest client is dropped and rebuilt on its next use.
const LEAN_CLIENTS_MAX = 1000;
const leanClients = new Map<string, ChatClient>();
// One connection pool per scheme for every cached client: they all talk to the same API host.
const sharedAgents = new Map<boolean, http.Agent>();

function sharedAgentFor(apiUrl: string): http.Agent {
  const secure = apiUrl.startsWith('https:');
  let agent = sharedAgents.get(secure);
  if (!agent) {
    agent = keepAliveAgent(secure);
    sharedAgents.set(secure, agent);
  }
  return agent;
}

/** The lean client for a WebClient's token and API URL; the WebClient itself when it has no token (each call then brings its own). */
export function chatClientFor(client: WebClient): ChatClient {
  const token = client.token;
  if (!token) return client;
  const apiUrl = client.slackApiUrl;
  const key = `${apiUrl} ${token}`;
  let lean = leanClients.get(key);
  if (!lean) {
    lean = createChatClient({ token, apiUrl, agent: sharedAgentFor(apiUrl) });
    if (leanClients.size >= LEAN_CLIENTS_MAX) {
      const oldest = leanClients.keys().next().value;
      if (oldest !== undefined) leanClients.delete(oldest);
    }
    leanClients.set(key, lean);
  }
  return lean;
}
