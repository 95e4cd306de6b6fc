/**
 * Every Web API method the stand-in serves, by name.
 */
import * as chat from './chat.js';
import * as conversations from './conversations.js';
import * as files from './files.js';
import { authTest, teamInfo, usersInfo } from './identity.js';
import type { MethodHandler } from './method.js';
import * as views from './views.js';

export const WEB_API_METHODS: Readonly<Record<string, MethodHandler>> = {
  'auth.test': authTest,
  'team.info': teamInfo,
  'users.info': usersInfo,
  'chat.postMessage': chat.postMessage,
  'chat.update': chat.update,
  'chat.postEphemeral': chat.postEphemeral,
  'chat.delete': chat.deleteMessage,
  'chat.getPermalink': chat.getPermalink,
  'conversations.join': conversations.join,
  'conversations.info': conversations.info,
  'conversations.members': conversations.members,
  'conversations.history': conversations.history,
  'conversations.replies': conversations.replies,
  'conversations.open': conversations.open,
  'views.open': views.open,
  'views.push': views.push,
  'views.update': views.update,
  'views.publish': views.publish,
  'files.getUploadURLExternal': files.getUploadURLExternal,
  'files.completeUploadExternal': files.completeUploadExternal,
};
