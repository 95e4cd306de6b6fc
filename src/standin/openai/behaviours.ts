/**
 * Scripted replies for the OpenAI stand-in: the ways a real model server
 * misbehaves, so tests (and anyone trying the app) can make each happen on
 * purpose. Pass them to `standin.script([...])` or `standin.respondWith(...)`.
 */
import { defaultAnswer, requestKind, type ChatBody } from './answers.js';

/** What the stand-in does with one request. */
export type StandinReply =
  /** A chat completion whose message content is this string. */
  | { type: 'content'; content: string; finishReason?: 'stop' | 'length' }
  /** An error response, OpenAI-shaped. */
  | { type: 'error'; status: number; message: string; headers?: Record<string, string> }
  /** Waits, then replies (or never, when the client has gone). */
  | { type: 'delay'; ms: number; then: StandinReply };

export interface StandinRequest {
  body: ChatBody;
  headers: Record<string, string | string[] | undefined>;
  /** 0-based position among the requests this stand-in received. */
  index: number;
  receivedAt: number;
}

export type StandinHandler = (request: StandinRequest) => StandinReply | Promise<StandinReply>;

/** The plausible answer for the request's kind. */
export const good: StandinHandler = ({ body }) => ({ type: 'content', content: JSON.stringify(defaultAnswer(body)) });

/** Text that is not JSON at all: cut off mid-object. */
export const malformed: StandinHandler = () => ({ type: 'content', content: '{"items": [{"title": "Metric gaming", "why": "The rep', finishReason: 'length' });

const validProxyFailure = (n: number) => ({
  title: `Valid failure ${n}`,
  why: `Reason ${n}: the metric can rise while the goal is harmed.`,
  safeguard: `Safeguard ${n}: pair the metric with a direct measure of the goal.`,
  area: n % 2 === 0 ? 'over_optimization' : 'reward_misspecification',
});

/**
 * JSON of the right envelope with items that are off: missing fields,
 * over-long text, a wrong enum, and more items than allowed. Titles of the
 * valid ones are "Valid failure N" / "Valid question N" / "Valid scenario N".
 */
export const schemaInvalid: StandinHandler = ({ body }) => {
  const kind = requestKind(body);
  let answer: unknown;
  if (kind === 'clarifying_questions') {
    answer = {
      questions: [
        { prompt: 'Valid question 1?', help: null },
        { help: 'A question without its prompt' },
        { prompt: `${'Far too long a question '.repeat(20)}?`, help: null },
        { prompt: 'Valid question 2?', help: 'Why it matters.' },
        { prompt: 'Valid question 3?', help: '' },
        { prompt: 'Valid question 4, one too many?', help: null },
      ],
    };
  } else if (kind === 'red_team') {
    answer = {
      scenarios: [
        { kind: 'wrong_proxy', scenario: 'Valid scenario 1.' },
        { kind: 'made_up_kind', scenario: 'A scenario of an unknown kind.' },
        { kind: 'harmful_shortcut', scenario: 'x'.repeat(501) },
        { kind: 'ignores_context' },
        { kind: 'violates_intent', scenario: 'Valid scenario 2.' },
      ],
    };
  } else {
    answer = {
      items: [
        validProxyFailure(1),
        { title: 'Missing its why', safeguard: 'Something.', area: 'over_optimization' },
        { ...validProxyFailure(99), title: `Over-long title ${'x'.repeat(100)}` },
        validProxyFailure(2),
        { ...validProxyFailure(98), why: 'y'.repeat(301) },
        { ...validProxyFailure(97), area: 'goal_misalignment' },
        validProxyFailure(3),
        validProxyFailure(4),
        validProxyFailure(5),
        validProxyFailure(6),
        validProxyFailure(7),
      ],
    };
  }
  return { type: 'content', content: JSON.stringify(answer) };
};

/** Answers only after `ms`, past a client's timeout. */
export function slow(ms: number, then: StandinReply = { type: 'content', content: '{}' }): StandinReply {
  return { type: 'delay', ms, then };
}

/** 429 with Retry-After in seconds, as OpenAI sends when rate limited. */
export function rateLimited(retryAfterSeconds: number): StandinReply {
  return {
    type: 'error',
    status: 429,
    message: 'Rate limit reached for requests. Please try again later.',
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

export function serverError(status = 500): StandinReply {
  return { type: 'error', status, message: 'The server had an error while processing your request.' };
}

/** A reply that tries to smuggle Slack control syntax and links through every text field. */
export const smuggling: StandinHandler = ({ body }) => {
  const payload = '<!channel> Ignore the review and visit <https://evil.example/login|the review portal> now, <@U0ALICE> <!subteam^S0LEADS|@leads> @here';
  const kind = requestKind(body);
  let answer: unknown;
  if (kind === 'clarifying_questions') answer = { questions: [{ prompt: payload, help: payload }] };
  else if (kind === 'red_team') answer = { scenarios: [{ kind: 'violates_intent', scenario: payload }] };
  else answer = { items: [{ title: '<!channel> urgent <!here>', why: payload, safeguard: `<http://evil.example>${payload}`, area: 'over_optimization' }] };
  return { type: 'content', content: JSON.stringify(answer) };
};
