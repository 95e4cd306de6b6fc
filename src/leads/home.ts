/**
 * Publishing one person's App Home: who they are (a lead sees the whole
 * workspace), which reviews they may see, their saved filters, links to the
 * threads, then views.publish.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { ReviewDeps } from '../reviews/deps.js';
import { homeUnavailableView, homeView } from '../slack/blocks/home.js';
import { HOME_ALL } from '../slack/ids.js';
import type { StatusKind } from '../store/types.js';
import { lookUpChannelNames } from './channel-names.js';
import { loadRecords } from './records.js';
import { homeEntryOf, isHomeShow, isInvolved, isOverallLevel, selectHome, type HomeEntry, type HomeFilter } from './home-data.js';
import { isLeadOrAdmin } from './permissions.js';

/**
 * How many of the workspace's most recent reviews of each kind App Home
 * looks through: open, finished, cancelled, each counted apart, so a team
 * with many cancelled reviews still sees its open and finished ones (and its
 * cancelled ones under their own filter). Every kind is loaded whatever the
 * filter, as the channel filter's choices and the count of cancelled reviews
 * come from all of them.
 */
export const HOME_SCAN_LIMIT = 200;
/**
 * The bound on what one Home render reads, whatever the team holds: at most
 * this many entries of the team's index (one small HMGET of a review's list
 * fields each) to find the kinds, then at most HOME_SCAN_LIMIT whole reviews
 * of each of the HOME_KINDS (600). Kinds rarer than that among the newest
 * 2,000 come back with fewer.
 */
export const HOME_INDEX_READ_LIMIT = 2_000;
export const HOME_KINDS: readonly StatusKind[] = [['active', 'paused'], ['completed'], ['cancelled']];
const MAX_CHANNEL_NAMES = 50;

/** Per-person settings App Home keeps (ReviewStore user settings). */
export const HOME_SETTING = {
  channel: 'home_channel',
  level: 'home_level',
  /** Which list besides open and finished: needs a decision, cancelled. */
  show: 'home_show',
  /** When the person last opened the tab: only they get background refreshes. */
  opened: 'home_opened_at',
} as const;

export function filterFromSettings(settings: Record<string, string>): HomeFilter {
  const channel = settings[HOME_SETTING.channel];
  const level = settings[HOME_SETTING.level];
  const show = settings[HOME_SETTING.show];
  return {
    ...(channel && channel !== HOME_ALL ? { channel } : {}),
    ...(isOverallLevel(level) ? { level } : {}),
    ...(isHomeShow(show) ? { show } : {}),
  };
}

/**
 * A link to a thread, built the way Slack builds message permalinks
 * (`<workspace url>archives/<channel>/p<ts without the dot>`): one auth.test
 * per publish instead of one chat.getPermalink per review, which would run
 * into rate limits on a home with eighty reviews.
 */
export function threadUrl(workspaceUrl: string | undefined, channelId: string, threadTs: string): string | undefined {
  if (!workspaceUrl || !/^https:\/\//.test(workspaceUrl) || !/^\d+\.\d+$/.test(threadTs)) return undefined;
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  return `${base}archives/${channelId}/p${threadTs.replace('.', '')}`;
}

const authSchema = z.object({ url: z.string() });

async function workspaceUrlOf(client: WebClient): Promise<string | undefined> {
  try {
    const parsed = authSchema.safeParse(await client.auth.test());
    return parsed.success ? parsed.data.url : undefined;
  } catch {
    return undefined;
  }
}

export async function loadHomeEntries(deps: ReviewDeps, teamId: string, userId: string, seesAll: boolean, now: Date): Promise<HomeEntry[]> {
  const listed = await deps.store.listByTeamPerKind(teamId, HOME_KINDS, HOME_SCAN_LIMIT, HOME_INDEX_READ_LIMIT);
  const records = await loadRecords(deps, listed);
  const nowMs = now.getTime();
  const rule = { reminderHours: deps.settings.reminderHours, staleDays: deps.settings.staleDays };
  const entries: HomeEntry[] = [];
  for (const record of records) {
    if (!seesAll && !isInvolved(record, userId)) continue;
    const entry = homeEntryOf(deps.flows.get(record.state.flowId), record, nowMs, rule);
    if (entry) entries.push(entry);
  }
  return entries;
}

export interface PublishOptions {
  /** A filter just chosen: saved for next time. Without it, the saved one applies. */
  filter?: HomeFilter;
  /** The person opened the tab (remembered, so background refreshes reach them). */
  opened?: boolean;
}

export async function publishHome(deps: ReviewDeps, client: WebClient, teamId: string, userId: string, options: PublishOptions = {}): Promise<void> {
  const { store } = deps;
  // One moment for the whole view, so "idle for" and the stale marker agree.
  const now = deps.now();
  const saved = await store.getUserSettings(teamId, userId);
  const filter = options.filter ?? filterFromSettings(saved);
  if (options.filter) {
    await store.setUserSetting(teamId, userId, HOME_SETTING.channel, options.filter.channel ?? HOME_ALL);
    await store.setUserSetting(teamId, userId, HOME_SETTING.level, options.filter.level ?? HOME_ALL);
    await store.setUserSetting(teamId, userId, HOME_SETTING.show, options.filter.show ?? HOME_ALL);
  }
  if (options.opened) await store.setUserSetting(teamId, userId, HOME_SETTING.opened, now.toISOString());

  const seesAll = await isLeadOrAdmin(deps, client, userId);
  const entries = await loadHomeEntries(deps, teamId, userId, seesAll, now);
  const model = selectHome(entries, filter, seesAll ? 'all' : 'mine');
  const [workspaceUrl, channels] = await Promise.all([workspaceUrlOf(client), lookUpChannelNames(client, model.channels, MAX_CHANNEL_NAMES)]);
  const view = homeView(model, {
    threadUrl: (entry) => threadUrl(workspaceUrl, entry.channelId, entry.threadTs),
    channelName: (id) => channels.name(id),
    now,
  });
  await client.views.publish({ user_id: userId, view });
}

/**
 * The home a person asked for (opening the tab, choosing a filter): when it
 * cannot be published, the tab says so instead of staying as it was, and the
 * failure goes on to the error funnel for the log. Background refreshes use
 * publishHome itself: they keep the last good view.
 */
export async function publishHomeAsked(deps: ReviewDeps, client: WebClient, teamId: string, userId: string, options: PublishOptions): Promise<void> {
  try {
    await publishHome(deps, client, teamId, userId, options);
  } catch (error) {
    await client.views.publish({ user_id: userId, view: homeUnavailableView() }).catch(() => undefined);
    throw error;
  }
}
