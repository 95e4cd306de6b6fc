/**
 * Channel names where Slack does not render `<#C…>` for us: App Home's
 * channel filter (plain-text options) and the CSV export (read outside
 * Slack). Each channel is looked up once (conversations.info), a few at a
 * time; one the app cannot read (not found, private without the app, Slack
 * failing) keeps its id as its name, and never fails what asked.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { lookUpEachOnce } from './people.js';

const channelSchema = z.object({ channel: z.object({ name: z.string() }) });

export interface ChannelNames {
  /** "#ai-reviews", or the id when the channel could not be looked up. */
  name(channelId: string): string;
}

async function lookUpChannelName(client: WebClient, channelId: string): Promise<string | undefined> {
  try {
    const parsed = channelSchema.safeParse(await client.conversations.info({ channel: channelId }));
    return parsed.success ? `#${parsed.data.channel.name}` : undefined;
  } catch {
    // The id alone is still a fine answer.
    return undefined;
  }
}

/** Looks up each channel in `channelIds` once, the first `max` of them, and answers for them from then on. */
export async function lookUpChannelNames(client: WebClient, channelIds: Iterable<string>, max: number): Promise<ChannelNames> {
  const names = await lookUpEachOnce(channelIds, max, (channelId) => lookUpChannelName(client, channelId));
  return { name: (channelId) => names.get(channelId) ?? channelId };
}
