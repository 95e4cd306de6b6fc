/**
 * What a stand-in can be started with, and the workspace it has when nothing
 * is said: a team, the app's bot, a few people and channels that cover the
 * cases the app must handle (public with and without the bot, private with
 * and without the bot).
 */

export interface StandinUserOption {
  id: string;
  name: string;
  realName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
}

export interface StandinChannelOption {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** User ids; include the bot's user id for channels the bot is in. */
  members: string[];
}

export interface StandinOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Host to listen on; 127.0.0.1 unless said. */
  host?: string;
  /** Where the app receives Slack's requests, e.g. http://127.0.0.1:3000/slack/events. */
  appUrl?: string;
  signingSecret: string;
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  enterpriseId?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  botName?: string;
  botToken?: string;
  users?: StandinUserOption[];
  channels?: StandinChannelOption[];
  /** Deliver the app's own posts and edits back to it as events, as Slack does (default true). */
  echoBotEvents?: boolean;
  /** Deliver a message_changed on the thread parent when a person replies in a thread (default true). */
  threadParentEvents?: boolean;
  /**
   * How long a trigger_id stays usable, in ms of the stand-in's clock. Slack's is 3 s;
   * the default is a lenient 10 s so a busy test machine does not fail on it.
   */
  triggerLifetimeMs?: number;
  /** How long to wait for the app to answer one delivery (default 10 s). */
  deliveryTimeoutMs?: number;
  /**
   * Slack's retries of an event delivery that failed (no connection, a
   * timeout, an answer other than 2xx without X-Slack-No-Retry): the wait
   * before each retry, in ms. Slack retries three times, at once, after a
   * minute and after five ([0, 60_000, 300_000]); tests pass shorter waits.
   * Default none, so a test that fails a delivery on purpose sees it once.
   */
  eventRetryDelaysMs?: number[];
  /** The stand-in's clock in ms (default Date.now); tests may pass a controllable one. */
  now?: () => number;
}

export type ResolvedOptions = Required<Omit<StandinOptions, 'appUrl' | 'enterpriseId'>> & {
  appUrl?: string;
  enterpriseId?: string;
};

export const DEFAULT_USERS: StandinUserOption[] = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Moreau', isAdmin: true, isOwner: true },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Okafor' },
  { id: 'U0CAROL', name: 'carol', realName: 'Carol Lindqvist' },
  { id: 'U0DAN', name: 'dan', realName: 'Dan Ito' },
];

function defaultChannels(botUserId: string): StandinChannelOption[] {
  const everyone = DEFAULT_USERS.map((user) => user.id);
  return [
    { id: 'C0GENERAL', name: 'general', members: [...everyone, botUserId] },
    { id: 'C0REVIEWS', name: 'ai-reviews', members: [...everyone, botUserId] },
    { id: 'C0RANDOM', name: 'random', members: everyone },
    { id: 'G0LEADS', name: 'leads', isPrivate: true, members: ['U0ALICE', 'U0BOB', botUserId] },
    { id: 'G0SECRET', name: 'secret', isPrivate: true, members: ['U0ALICE', 'U0CAROL'] },
  ];
}

export function resolveOptions(options: StandinOptions): ResolvedOptions {
  const botUserId = options.botUserId ?? 'U0BOT';
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    appUrl: options.appUrl,
    signingSecret: options.signingSecret,
    teamId: options.teamId ?? 'T0001',
    teamDomain: options.teamDomain ?? 'standin',
    teamName: options.teamName ?? 'Stand-in Workspace',
    enterpriseId: options.enterpriseId,
    botUserId,
    botId: options.botId ?? 'B0BOT',
    appId: options.appId ?? 'A0APP',
    botName: options.botName ?? 'alignment-review',
    botToken: options.botToken ?? 'xoxb-standin',
    users: options.users ?? DEFAULT_USERS,
    channels: options.channels ?? defaultChannels(botUserId),
    echoBotEvents: options.echoBotEvents ?? true,
    threadParentEvents: options.threadParentEvents ?? true,
    triggerLifetimeMs: options.triggerLifetimeMs ?? 10_000,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    eventRetryDelaysMs: options.eventRetryDelaysMs ?? [],
    now: options.now ?? Date.now,
  };
}
