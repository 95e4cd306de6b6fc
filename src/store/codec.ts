/**
 * How records are written to and read back from storage. Everything read back
 * is checked with zod: a key may hold data from another version of the app.
 * The engine state itself is checked only for its envelope (an object with a
 * schema number and an id); its detailed shape is the engine's business.
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import { z } from 'zod';
import type { Decision, ReviewState } from '../engine/types.js';
import type { OutboxItem, PendingStart, QueuedInput, ReviewPlacement } from './types.js';
import { StoreDataError } from './errors.js';
import { stateJson } from './state-json.js';

/**
 * First byte of a packed state: how the rest is stored. Another format would
 * get another byte; every format ever written stays readable.
 */
const FORMAT_DEFLATE_JSON = 1;
const FORMAT_JSON = 2;

/**
 * An ended review's state is written once or twice more and then kept for
 * the retention period, so it is stored small: raw deflate turns the 12.6 KB
 * JSON of a finished 25-question review into 3.4 KB (bench/store-memory.ts).
 * Brotli saves 7% at quality 9 for 80 times the time, or 20% at quality 11
 * for 9 ms a commit: not worth it.
 *
 * A 16 KB window and a smaller hash (windowBits 14, memLevel 7) compress a
 * state the same (they are about 13 KB of JSON) for a third less time than
 * the defaults: most of a call is setting up zlib's tables, and every
 * call sets them up anew. Inflate's default window reads them back.
 */
const DEFLATE_OPTIONS = { level: constants.Z_BEST_COMPRESSION, windowBits: 14, memLevel: 7 } as const;

/**
 * An open review's state is rewritten on every reply, so it is stored as
 * plain JSON: deflating was the largest part of a commit's CPU (about
 * 0.1 ms per reply, where the JSON itself costs a third of that). An open
 * review so takes three to four times the memory for its state; the
 * commit that ends it deflates it.
 */
function storedSmall(state: ReviewState): boolean {
  return state.status === 'completed' || state.status === 'cancelled';
}

export function packState(state: ReviewState): Buffer {
  const json = stateJson(state);
  if (!storedSmall(state)) {
    const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(json, 'utf8'));
    bytes[0] = FORMAT_JSON;
    bytes.write(json, 1, 'utf8');
    return bytes;
  }
  const body = deflateRawSync(Buffer.from(json, 'utf8'), DEFLATE_OPTIONS);
  return Buffer.concat([Buffer.from([FORMAT_DEFLATE_JSON]), body]);
}

const stateEnvelope = z.looseObject({ schema: z.number(), id: z.string() });

export function unpackState(bytes: Buffer): ReviewState {
  const format = bytes[0];
  if (format !== FORMAT_DEFLATE_JSON && format !== FORMAT_JSON) {
    throw new StoreDataError(`Unknown state format byte ${String(format)}`);
  }
  let value: unknown;
  try {
    const json = format === FORMAT_JSON ? bytes.toString('utf8', 1) : inflateRawSync(bytes.subarray(1)).toString('utf8');
    value = JSON.parse(json);
  } catch (cause) {
    throw new StoreDataError('Stored state could not be decompressed or parsed', { cause });
  }
  return parse(stateEnvelope, value, 'review state') as unknown as ReviewState;
}

export const placementSchema = z.object({
  teamId: z.string().min(1),
  enterpriseId: z.string().optional(),
  channelId: z.string().min(1),
  threadTs: z.string().min(1),
  leadsChannel: z.string().optional(),
  respondents: z.array(z.string()).optional(),
});

export const queuedInputSchema = z.object({ id: z.string().min(1), seq: z.string(), payload: z.unknown() });

export const outboxItemSchema = z.object({ id: z.string().min(1), payload: z.unknown() });

export const pendingStartSchema = z.object({
  channelId: z.string().min(1),
  userId: z.string().min(1),
  systemName: z.string(),
  enterpriseId: z.string().optional(),
  responseUrl: z.string().optional(),
  notedAt: z.number(),
  rootTs: z.string().optional(),
});

/** The list fields kept next to the state so lists need not load every state. */
export const listFieldsSchema = z.object({
  systemName: z.string(),
  flowId: z.string(),
  status: z.enum(['active', 'paused', 'completed', 'cancelled']),
  startedAt: z.string(),
  updatedAt: z.string(),
});
export type ListFields = z.infer<typeof listFieldsSchema>;

export function listFieldsOf(state: ReviewState, updatedAt: string): ListFields {
  return {
    systemName: state.systemName,
    flowId: state.flowId,
    status: state.status,
    startedAt: state.startedAt,
    updatedAt,
  };
}

/**
 * A decision as a deletion's premise compares it (delete.lua, against the
 * state hash's `d`, which every commit writes): who decided what, when; ''
 * for no decision. An edit after the decision does not change it: the
 * decision still stands, only flagged.
 */
export function decisionMark(decision: Decision | null | undefined): string {
  return decision ? JSON.stringify([decision.by, decision.at, decision.outcome]) : '';
}

/** A deletion's by and at as its note keeps them. */
export const deletionNoteSchema = z.object({ by: z.string(), at: z.string() });

export const refsSchema = z.record(z.string(), z.string());

export function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new StoreDataError(`Stored ${what} has an unexpected shape: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new StoreDataError(`Stored ${what} is not JSON`, { cause });
  }
  return parse(schema, value, what);
}

export function parsePlacement(text: string): ReviewPlacement {
  return parseJson(placementSchema, text, 'placement');
}

export function parseQueuedInput(text: string): QueuedInput {
  return parseJson(queuedInputSchema, text, 'queued input');
}

export function parsePendingStart(text: string): PendingStart {
  return parseJson(pendingStartSchema, text, 'start in progress');
}

export function parseOutboxItem(text: string): OutboxItem {
  return parseJson(outboxItemSchema, text, 'outbox item');
}

/**
 * Inbox order: a Slack ts ("1700000000.000100") read as a number. Doubles hold
 * every microsecond of such a ts exactly (about 1.7e15 < 2^53).
 */
export function seqScore(seq: string): number {
  if (!/^\d{1,16}(\.\d{1,6})?$/.test(seq)) {
    throw new Error(`Invalid input seq ${JSON.stringify(seq)}: expected a Slack ts such as "1700000000.000100"`);
  }
  return Number(seq);
}

/** Start time in ms for list order; a state with an unreadable startedAt sorts as "now". */
export function startScore(state: ReviewState, nowMs: number): number {
  const ms = Date.parse(state.startedAt);
  return Number.isFinite(ms) ? ms : nowMs;
}

/**
 * A JSON round trip, so that both stores hand back exactly what Redis would:
 * dates become strings, undefined fields vanish, and callers get their own copy.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
