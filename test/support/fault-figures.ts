/**
 * Figures from the hardening tests (cases tried, faults survived, answers
 * lost, how long a notice took), written to .tmp/hardening-figures.json so
 * the README's reliability section can quote the last run. Each test file
 * runs in its own process, so every call reads, merges and rewrites the file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.tmp', 'hardening-figures.json');

export type Figures = Record<string, Record<string, number | string> & { at?: string }>;

export function readFigures(): Figures {
  try {
    return JSON.parse(readFileSync(FILE, 'utf8')) as Figures;
  } catch {
    return {};
  }
}

export function recordFigure(name: string, figures: Record<string, number | string>): void {
  const all = readFigures();
  all[name] = { ...figures, at: new Date().toISOString() };
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
}
