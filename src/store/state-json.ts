/**
 * The JSON of a review state, written on every reply, reusing the JSON of
 * the answers and history entries it wrote before.
 *
 * Why: an open review's state is rewritten whole on every commit, and by its
 * last questions it is about 13 KB, nearly all of it answers and history that
 * did not change. JSON.stringify of the whole state was the largest single
 * cost of a commit (about 6 % of the app's CPU under `npm run bench`).
 *
 * This is safe because the engine never changes a state's objects in place:
 * every step returns new objects for what it changed (review-step.ts,
 * review-edit.ts), so an answer or history entry seen before still has the
 * JSON it had. Under NODE_ENV=test each reused piece is checked against a
 * fresh JSON.stringify, so a change in place anywhere in the tests fails
 * loudly instead of storing an old answer.
 *
 * The result parses to the same value as JSON.stringify(state); only the
 * order of the top-level keys differs (answers and history come last).
 */
import type { ReviewState } from '../engine/types.js';

const CHECK_REUSE = process.env.NODE_ENV === 'test';

const written = new WeakMap<object, string>();

function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  const known = written.get(value);
  if (known !== undefined) {
    if (CHECK_REUSE && known !== JSON.stringify(value)) throw new Error('A stored state object was changed in place after it was written');
    return known;
  }
  const json = JSON.stringify(value);
  written.set(value, json);
  return json;
}

function recordJson(record: Readonly<Record<string, unknown>>): string {
  let json = '';
  for (const key in record) {
    const value = record[key];
    // As JSON.stringify does: a key whose value has no JSON is left out.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    json += `${json === '' ? '' : ','}${JSON.stringify(key)}:${jsonOf(value)}`;
  }
  return `{${json}}`;
}

function listJson(list: readonly unknown[]): string {
  let json = '';
  for (let i = 0; i < list.length; i++) json += `${i === 0 ? '' : ','}${jsonOf(list[i])}`;
  return `[${json}]`;
}

export function stateJson(state: ReviewState): string {
  const { answers, history, ...rest } = state;
  // Anything else that is not a plain object and list (a test's odd state) goes the plain way.
  if (typeof answers !== 'object' || answers === null || !Array.isArray(history)) return JSON.stringify(state);
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head === '{}' ? '' : ','}"answers":${recordJson(answers)},"history":${listJson(history)}}`;
}
