/**
 * A slash command whose work failed after its ack (Redis down while a
 * review starts, a setting is saved, a list is read) would otherwise leave
 * the person with nothing: the command was acknowledged, and the failure
 * went to the log. The error funnel (app.ts) tells them privately, through
 * the command's response_url, that it was not done.
 */
import { z } from 'zod';

/** Said privately when a command or a card's button failed after its ack. */
export const REQUEST_FAILED = 'Something went wrong and I could not do that. Please try again in a minute.';

/** Slack's slash command payload, as far as telling its sender goes. */
const commandBody = z.looseObject({ command: z.string().startsWith('/'), response_url: z.url({ protocol: /^https?$/ }) });

/** Where to tell the sender of a failed command, or undefined when the request was not a command. */
export function commandResponseUrl(body: unknown): string | undefined {
  const parsed = commandBody.safeParse(body);
  return parsed.success ? parsed.data.response_url : undefined;
}
