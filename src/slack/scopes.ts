/**
 * The bot scopes the app asks for when a workspace installs it through OAuth;
 * the same list as manifest.yml's oauth_config.scopes.bot.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:join',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'users:read',
  'files:write',
  'im:write',
] as const;
