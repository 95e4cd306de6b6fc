/** Shared helpers for the LLM tests: a recording logger and an in-memory call counter. */
import type { SuggesterLogger } from '../../src/llm/suggester.js';

export interface LogEntry {
  level: 'info' | 'warn' | 'debug';
  details: Record<string, unknown>;
  message: string;
}

export function recordingLogger(): SuggesterLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (details: object, message: string) => {
    entries.push({ level, details: details as Record<string, unknown>, message });
  };
  return { entries, info: at('info'), warn: at('warn'), debug: at('debug') };
}

export function memoryCounter(): ((reviewId: string) => Promise<number>) & { calls: string[] } {
  const counts = new Map<string, number>();
  const calls: string[] = [];
  const counter = async (reviewId: string) => {
    calls.push(reviewId);
    const next = (counts.get(reviewId) ?? 0) + 1;
    counts.set(reviewId, next);
    return next;
  };
  return Object.assign(counter, { calls });
}
