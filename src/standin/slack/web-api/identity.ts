/**
 * Who-is-who methods: auth.test, team.info, users.info.
 */
import type { Runtime } from '../runtime.js';
import type { WorldUser } from '../world/types.js';
import { findUser } from '../world/world.js';
import { fail, ok, stringArg, type MethodHandler } from './method.js';

function workspaceUrl(runtime: Runtime): string {
  return `https://${runtime.world.team.domain}.slack.com/`;
}

function userJson(runtime: Runtime, user: WorldUser): Record<string, unknown> {
  const { world } = runtime;
  return {
    id: user.id,
    team_id: world.team.id,
    name: user.name,
    deleted: false,
    real_name: user.realName,
    tz: 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    profile: {
      real_name: user.realName,
      display_name: user.name,
      real_name_normalized: user.realName,
      display_name_normalized: user.name,
      team: world.team.id,
      ...(user.isBot ? { bot_id: world.bot.botId } : {}),
    },
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: runtime.clock.nowSeconds(),
  };
}

export const authTest: MethodHandler = (runtime) => {
  const { world } = runtime;
  return ok({
    url: workspaceUrl(runtime),
    team: world.team.name,
    user: world.bot.name,
    team_id: world.team.id,
    user_id: world.bot.userId,
    bot_id: world.bot.botId,
    ...(world.team.enterpriseId ? { enterprise_id: world.team.enterpriseId } : {}),
    is_enterprise_install: false,
  });
};

export const teamInfo: MethodHandler = (runtime) => {
  const { world } = runtime;
  return ok({
    team: {
      id: world.team.id,
      name: world.team.name,
      url: workspaceUrl(runtime),
      domain: world.team.domain,
      email_domain: '',
      icon: { image_default: true },
      ...(world.team.enterpriseId ? { enterprise_id: world.team.enterpriseId, enterprise_name: `${world.team.name} Org` } : {}),
    },
  });
};

export const usersInfo: MethodHandler = (runtime, args) => {
  const id = stringArg(args, 'user');
  if (!id) return fail('user_not_found');
  const user = findUser(runtime.world, id);
  return user ? ok({ user: userJson(runtime, user) }) : fail('user_not_found');
};
