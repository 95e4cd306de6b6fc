/** Names for the people in an export, so a file read outside Slack says who did what. */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

const MAX_LOOKUPS = 50;
const BOT = 'bot';

const userSchema = z.object({ user: z.object({ name: z.string().optional(), real_name: z.string().optional() }) });

/**
 * Looks up each person once (at most 50; the rest show as their ids) and
 * returns "Real Name (U123)". A failed look-up shows the id alone.
 */
export async function personNamer(client: WebClient, ids: Iterable<string>): Promise<(id: string) => string> {
  const unique = [...new Set(ids)].filter((id) => id !== BOT && /^[UW][A-Z0-9]+$/.test(id)).slice(0, MAX_LOOKUPS);
  const names = new Map<string, string>();
  await Promise.all(
    unique.map(async (id) => {
      try {
        const parsed = userSchema.safeParse(await client.users.info({ user: id }));
        const name = parsed.success ? parsed.data.user.real_name || parsed.data.user.name : undefined;
        if (name) names.set(id, name);
      } catch {
        // The id alone is still a fine answer.
      }
    }),
  );
  return (id) => {
    if (id === BOT) return 'the app';
    const name = names.get(id);
    return name ? `${name} (${id})` : id;
  };
}
