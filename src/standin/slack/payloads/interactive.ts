/**
 * Interactivity bodies (block_actions, view_submission, view_closed) and the
 * slash command form, in the shapes of fixtures 01, 04 and 05. Slack sends
 * interactivity form-encoded as a single `payload` field holding JSON.
 */
import type { StateValues, World, WorldChannel, WorldUser, WorldView } from '../world/types.js';
import type { Json } from './message-json.js';

export function userJson(world: World, user: WorldUser): Json {
  return { id: user.id, username: user.name, name: user.name, team_id: world.team.id };
}

export function teamJson(world: World): Json {
  return {
    id: world.team.id,
    domain: world.team.domain,
    ...(world.team.enterpriseId ? { enterprise_id: world.team.enterpriseId, enterprise_name: `${world.team.name} Org` } : {}),
  };
}

export function viewJson(world: World, view: WorldView): Json {
  const definition = view.definition;
  return {
    id: view.id,
    team_id: world.team.id,
    type: view.type,
    blocks: definition.blocks ?? [],
    private_metadata: definition.private_metadata ?? '',
    callback_id: definition.callback_id ?? '',
    state: { values: view.state },
    hash: view.hash,
    title: definition.title ?? { type: 'plain_text', text: '' },
    clear_on_close: definition.clear_on_close ?? false,
    notify_on_close: definition.notify_on_close ?? false,
    close: definition.close ?? null,
    submit: definition.submit ?? null,
    previous_view_id: view.previousViewId,
    root_view_id: view.rootViewId,
    app_id: world.bot.appId,
    external_id: view.externalId,
    app_installed_team_id: world.team.id,
    bot_id: world.bot.botId,
  };
}

export interface BlockActionsInput {
  world: World;
  user: WorldUser;
  container: Json;
  triggerId: string;
  action: Json;
  state: StateValues;
  channel?: WorldChannel;
  /** The message clicked on, rendered as Slack does (absent for ephemerals and views). */
  message?: Json;
  view?: Json;
  responseUrl?: string;
}

export function blockActionsPayload(input: BlockActionsInput): Json {
  const { world } = input;
  return {
    type: 'block_actions',
    user: userJson(world, input.user),
    api_app_id: world.bot.appId,
    token: 'standin-verification-token',
    container: input.container,
    trigger_id: input.triggerId,
    team: teamJson(world),
    enterprise: world.team.enterpriseId ? { id: world.team.enterpriseId, name: `${world.team.name} Org` } : null,
    is_enterprise_install: false,
    ...(input.channel ? { channel: { id: input.channel.id, name: input.channel.isIm ? 'directmessage' : input.channel.name } } : {}),
    ...(input.message ? { message: input.message } : {}),
    ...(input.view ? { view: input.view } : {}),
    state: { values: input.state },
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    actions: [input.action],
  };
}

export function viewSubmissionPayload(world: World, user: WorldUser, view: Json, triggerId: string): Json {
  return {
    type: 'view_submission',
    team: teamJson(world),
    user: userJson(world, user),
    api_app_id: world.bot.appId,
    token: 'standin-verification-token',
    trigger_id: triggerId,
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: world.team.enterpriseId ? { id: world.team.enterpriseId, name: `${world.team.name} Org` } : null,
  };
}

export function viewClosedPayload(world: World, user: WorldUser, view: Json, isCleared: boolean): Json {
  return {
    type: 'view_closed',
    team: teamJson(world),
    user: userJson(world, user),
    api_app_id: world.bot.appId,
    token: 'standin-verification-token',
    view,
    is_cleared: isCleared,
    is_enterprise_install: false,
    enterprise: world.team.enterpriseId ? { id: world.team.enterpriseId, name: `${world.team.name} Org` } : null,
  };
}

export interface SlashCommandInput {
  world: World;
  user: WorldUser;
  channel: WorldChannel;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** The slash command's form fields (fixture 01), in Slack's order. */
export function slashCommandForm(input: SlashCommandInput): Record<string, string> {
  const { world } = input;
  return {
    token: 'standin-verification-token',
    team_id: world.team.id,
    team_domain: world.team.domain,
    ...(world.team.enterpriseId ? { enterprise_id: world.team.enterpriseId, enterprise_name: `${world.team.name} Org` } : {}),
    channel_id: input.channel.id,
    channel_name: input.channel.isIm ? 'directmessage' : input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: world.bot.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

/** Interactivity wire format: form-encoded `payload=<json>`. */
export function interactiveBody(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
