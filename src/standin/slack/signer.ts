/**
 * Slack's request signing (v0): an HMAC-SHA256 of "v0:<timestamp>:<raw body>"
 * keyed with the app's signing secret, sent as X-Slack-Signature next to
 * X-Slack-Request-Timestamp. The app rejects anything else, so the stand-in
 * signs exactly like Slack and can also sign wrongly on purpose.
 */
import { createHmac } from 'node:crypto';

export function slackSignature(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestampSeconds}:${rawBody}`);
  return `v0=${hmac.digest('hex')}`;
}

export function signedHeaders(signingSecret: string, timestampSeconds: number, rawBody: string): Record<string, string> {
  return {
    'X-Slack-Request-Timestamp': String(timestampSeconds),
    'X-Slack-Signature': slackSignature(signingSecret, timestampSeconds, rawBody),
  };
}
