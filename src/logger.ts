/**
 * Structured JSON logs (pino). Fields that could carry secrets or people's
 * answers are redacted whatever the level: a log line names the review, team
 * and channel, never what someone wrote.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

const REDACT = [
  'token',
  'botToken',
  'signingSecret',
  'appToken',
  'apiKey',
  'authorization',
  'headers.authorization',
  'text',
  'answer',
  '*.token',
  '*.text',
  '*.answer',
  '*.apiKey',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'alignment-review' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** What a log line says of a failure: its message, never its stack or its fields (a Slack error can echo a request's arguments). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
