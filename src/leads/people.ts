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
/** users.info calls under way at once: a big export should not burst into Slack's rate limit. */
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

/** Runs `work` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Looks up everyone in `ids` once, and answers for them from then on. */
export async function lookUpPeople(client: WebClient, ids: Iterable<string>): Promise<PeopleNames> {
  const unique = [...new Set(ids)].filter(isPersonId).slice(0, MAX_NAME_LOOKUPS);
  const names = new Map<string, string>();
  await eachLimited(unique, LOOKUP_CONCURRENCY, async (id) => {
    const name = await lookUpName(client, id);
    if (name) names.set(id, name);
  });
  return {
    name: (id) => (id === BOT ? 'the app' : (names.get(id) ?? id)),
    label: (id) => {
      if (id === BOT) return 'the app';
      const name = names.get(id);
      return name ? `${name} (${id})` : id;
    },
  };
}
