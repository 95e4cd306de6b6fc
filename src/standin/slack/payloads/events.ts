/**
 * Events API bodies (`event_callback`) in the shapes Slack sends: a person's
 * message, the app's own message echoed back, message_changed (edits, thread
 * parents), message_deleted, app_home_opened, and tokens_revoked and
 * app_uninstalled when the workspace removes the app.
 */
import type { World, WorldChannel, WorldMessage, WorldUser } from '../world/types.js';
import { channelType, findUser } from '../world/world.js';
import { messageJson, type Json, type RenderContext } from './message-json.js';

export interface EnvelopeInput {
  world: World;
  event: Json;
  eventId: string;
  eventTime: number;
  /** The channel the event is about, for event_context. */
  channelId?: string;
}

export function eventEnvelope(input: EnvelopeInput): Json {
  const { world, event } = input;
  const enterpriseId = world.team.enterpriseId;
  return {
    token: 'standin-verification-token',
    team_id: world.team.id,
    ...(enterpriseId ? { enterprise_id: enterpriseId } : {}),
    api_app_id: world.bot.appId,
    event,
    type: 'event_callback',
    event_id: input.eventId,
    event_time: input.eventTime,
    authorizations: [
      {
        enterprise_id: enterpriseId ?? null,
        team_id: world.team.id,
        user_id: world.bot.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `1-${String(event.type)}-${world.team.id}-${input.channelId ?? 'none'}`,
  };
}

function userProfile(user: WorldUser | undefined): Json {
  return {
    real_name: user?.realName ?? '',
    display_name: user?.name ?? '',
    name: user?.name ?? '',
    is_restricted: false,
    is_ultra_restricted: false,
    team: '',
  };
}

/** A new message as a `message` event: a person's (fixtures 02/03) or the bot's (fixture 08). */
export function messageEvent(render: RenderContext, message: WorldMessage, channel: WorldChannel): Json {
  const event: Json = { ...messageJson(render, message) };
  if (!message.botId) {
    event.user_team = render.world.team.id;
    event.source_team = render.world.team.id;
    event.user_profile = userProfile(findUser(render.world, message.user));
  }
  event.channel = channel.id;
  event.event_ts = message.ts;
  event.channel_type = channelType(channel);
  return event;
}

/** message_changed (fixtures 06 and 10): the new message nested with the one it replaced. */
export function messageChangedEvent(channel: WorldChannel, message: Json, previous: Json, eventTs: string): Json {
  return {
    type: 'message',
    subtype: 'message_changed',
    message,
    previous_message: previous,
    channel: channel.id,
    hidden: true,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: channelType(channel),
  };
}

/** message_deleted (fixture 07). */
export function messageDeletedEvent(channel: WorldChannel, previous: Json, eventTs: string): Json {
  return {
    type: 'message',
    subtype: 'message_deleted',
    previous_message: previous,
    channel: channel.id,
    hidden: true,
    deleted_ts: previous.ts,
    event_ts: eventTs,
    ts: eventTs,
    channel_type: channelType(channel),
  };
}

export function appHomeOpenedEvent(userId: string, imChannelId: string, view: Json | undefined, eventTs: string): Json {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: imChannelId,
    tab: 'home',
    ...(view ? { view } : {}),
    event_ts: eventTs,
  };
}

/** The bot's token (and no person's: the app asks for none) was revoked; `bot` lists user ids, never tokens. */
export function tokensRevokedEvent(botUserId: string): Json {
  return { type: 'tokens_revoked', tokens: { oauth: [], bot: [botUserId] } };
}

export function appUninstalledEvent(): Json {
  return { type: 'app_uninstalled' };
}
