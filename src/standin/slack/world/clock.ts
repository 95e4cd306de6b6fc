/**
 * Slack-style message timestamps ("1700000000.000100": seconds, a dot, six
 * digits) that never repeat and never go backwards, even when many messages
 * are made within one millisecond, plus the other ids Slack hands out.
 */

export interface TsClock {
  /** The next unique message ts. */
  nextTs(): string;
  /** The clock in ms. */
  nowMs(): number;
  /** The clock in whole Unix seconds. */
  nowSeconds(): number;
}

export function createTsClock(now: () => number): TsClock {
  let lastMicros = 0;
  return {
    nextTs() {
      // Slack's ts has microsecond digits; stepping by 100 µs keeps the look of
      // real values ("…000100") while staying strictly increasing.
      const micros = Math.max(now() * 1000, lastMicros + 100);
      lastMicros = micros;
      const seconds = Math.floor(micros / 1_000_000);
      const fraction = Math.floor(micros % 1_000_000);
      return `${seconds}.${String(fraction).padStart(6, '0')}`;
    },
    nowMs: () => now(),
    nowSeconds: () => Math.floor(now() / 1000),
  };
}

/** Counters behind the ids the stand-in hands out (V…, F…, Ev…, trigger ids). */
export interface IdMaker {
  next(prefix: string): string;
}

export function createIdMaker(): IdMaker {
  const counters = new Map<string, number>();
  return {
    next(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}${String(n).padStart(6, '0')}`;
    },
  };
}

/** A 12-digit-ish random token in the style of Slack's hashes and trigger ids. */
export function randomToken(length = 10): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

/** Seconds part of a ts, for event_time. */
export function tsSeconds(ts: string): number {
  return Number.parseInt(ts.split('.')[0] ?? '0', 10);
}
