/**
 * Saying something privately to the sender of a slash command after its
 * ack, through the command's response_url (valid for 30 minutes, five
 * uses). Used by the error funnel (app.ts) and by the look for lost starts
 * (reviews/lost-starts.ts), neither of which has Bolt's `respond` at hand.
 */
import { SLACK_TIMEOUT_MS } from './chat-client.js';

/** Posts an ephemeral message to a response_url; rejects when it did not get there (network, timeout, a non-2xx answer). */
export async function sayPrivatelyAt(responseUrl: string, text: string): Promise<void> {
  const answer = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ response_type: 'ephemeral', text }),
    signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
  });
  if (!answer.ok) throw new Error(`The response_url answered ${answer.status}`);
}
