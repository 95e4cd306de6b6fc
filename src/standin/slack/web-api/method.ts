/**
 * The shape of one Web API method and the helpers they share for reading
 * arguments the way Slack does: JSON bodies carry objects, form bodies carry
 * objects as JSON strings (blocks, view, files), numbers and booleans as text.
 */
import type { Json } from '../payloads/message-json.js';
import type { Runtime } from '../runtime.js';

export type Args = Record<string, unknown>;

export interface MethodAnswer {
  body: Json;
  /** HTTP status; Slack answers 200 for everything but rate limits. */
  status?: number;
  headers?: Record<string, string>;
  /** Things noticed and let pass, recorded with the call. */
  notes?: string[];
  /** No answer goes back: the connection is cut (an injected failure). */
  cut?: true;
}

export type MethodHandler = (runtime: Runtime, args: Args) => MethodAnswer;

export function ok(body: Json = {}, notes?: string[]): MethodAnswer {
  return { body: { ok: true, ...body }, ...(notes && notes.length > 0 ? { notes } : {}) };
}

export function fail(error: string, extra: Json = {}): MethodAnswer {
  return { body: { ok: false, error, ...extra } };
}

/** A refusal with Slack's explanatory messages (block and view problems). */
export function failWithMessages(error: string, messages: string[]): MethodAnswer {
  return fail(error, { response_metadata: { messages } });
}

export function stringArg(args: Args, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function boolArg(args: Args, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function numberArg(args: Args, name: string, fallback: number): number {
  const value = Number(args[name]);
  return Number.isFinite(value) && args[name] !== undefined && args[name] !== '' ? value : fallback;
}

/**
 * An argument that carries JSON: an object/array in a JSON body, a JSON
 * string in a form body. `undefined` when absent; `{ invalid: true }` when
 * the text is not JSON.
 */
export function jsonArg(args: Args, name: string): { value: unknown } | { invalid: true } | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return { value };
  try {
    return { value: JSON.parse(value) as unknown };
  } catch {
    return { invalid: true };
  }
}

/** Simple offset cursors, opaque to the caller like Slack's. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : 0;
}

/** A page of items with Slack's response_metadata.next_cursor. */
export function page<T>(items: T[], args: Args, defaultLimit: number): { items: T[]; hasMore: boolean; nextCursor: string } {
  const offset = decodeCursor(stringArg(args, 'cursor'));
  const limit = Math.max(1, numberArg(args, 'limit', defaultLimit));
  const slice = items.slice(offset, offset + limit);
  const hasMore = offset + limit < items.length;
  return { items: slice, hasMore, nextCursor: hasMore ? encodeCursor(offset + limit) : '' };
}
