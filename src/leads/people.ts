/**
 * Names for the people in an export, so a file read outside Slack says who
 * did what. One export looks each person up once (users.info), however many
 * reviews name them, a few at a time; a look-up that fails leaves the id,
 * and never fails the export.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

/** People looked up per export at most; the rest show as their ids (a CSV keeps the ids in columns of their own anyway). */
export const MAX_NAME_LOOKUPS = 200;
/** Look-ups (users.info, conversations.info) under way at once: a big export should not burst into Slack's rate limit. */
const LOOKUP_CONCURRENCY = 8;
const BOT = 'bot';

const userSchema = z.object({
  user: z.object({
    name: z.string().optional(),
    real_name: z.string().optional(),
    profile: z.object({ real_name: z.string().optional(), display_name: z.string().optional() }).optional(),
  }),
});

export interface PeopleNames {
  /** The person's name ("Alice Moreau"), "the app" for the app itself, else the id. */
  name(id: string): string;
  /** The name with the id ("Alice Moreau (U0ALICE)"), or the id alone when there is no name. */
  label(id: string): string;
}

/** A person's id (U…, W…), not the app's `bot` or anything else. */
export function isPersonId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

async function lookUpName(client: WebClient, id: string): Promise<string | undefined> {
  try {
    const parsed = userSchema.safeParse(await client.users.info({ user: id }));
    if (!parsed.success) return undefined;
    const { user } = parsed.data;
    return (user.real_name || user.profile?.real_name || user.profile?.display_name || user.name)?.trim() || undefined;
  } catch {
    // The id alone is still a fine answer.
    return undefined;
  }
}

/**
 * Looks up each of the first `max` distinct keys once, at most
 * LOOKUP_CONCURRENCY at a time, so a big export does not burst into Slack's
 * rate limit. Keys whose look-up gave nothing are left out.
 */
export async function lookUpEachOnce(keys: Iterable<string>, max: number, lookUp: (key: string) => Promise<string | undefined>): Promise<Map<string, string>> {
  const unique = [...new Set(keys)].slice(0, max);
  const found = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const key = unique[next++]!;
      const value = await lookUp(key);
      if (value) found.set(key, value);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, unique.length) }, worker));
  return found;
}

/** Looks up everyone in `ids` once, and answers for them from then on. */
export async function lookUpPeople(client: WebClient, ids: Iterable<string>): Promise<PeopleNames> {
  const names = await lookUpEachOnce([...ids].filter(isPersonId), MAX_NAME_LOOKUPS, (id) => lookUpName(client, id));
  return {
    name: (id) => (id === BOT ? 'the app' : (names.get(id) ?? id)),
    label: (id) => {
      if (id === BOT) return 'the app';
      const name = names.get(id);
      return name ? `${name} (${id})` : id;
    },
  };
}
