/**
 * Comparing what the stand-in sends with Slack's own payload fixtures: every
 * key a fixture has must be present (recursively) in ours. Blocks are the
 * app's content, not Slack's shape, so they are not descended into.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function loadFixture(name: string): Record<string, unknown> {
  const path = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Paths present in `expected` but absent from `actual`; `ignore` lists paths to skip, with a reason in the test. */
export function missingKeys(expected: unknown, actual: unknown, ignore: string[] = [], path = ''): string[] {
  if (!isObject(expected)) {
    if (Array.isArray(expected) && isObject(expected[0]) && Array.isArray(actual) && actual.length > 0) {
      return missingKeys(expected[0], actual[0], ignore, `${path}[0]`);
    }
    return [];
  }
  if (!isObject(actual)) return [path || '(root)'];
  const missing: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (ignore.includes(keyPath)) continue;
    if (!(key in actual)) {
      missing.push(keyPath);
      continue;
    }
    if (key === 'blocks') continue;
    missing.push(...missingKeys(value, actual[key], ignore, keyPath));
  }
  return missing;
}
