/**
 * Web API failures, sorted: what Slack refused for good (tell the person,
 * don't retry) and what may pass (the client already retried; try later).
 */
import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';

export function slackErrorCode(error: unknown): string | undefined {
  const candidate = error as Partial<WebAPIPlatformError> & { code?: string };
  if (candidate?.code === ErrorCode.PlatformError) return candidate.data?.error;
  return undefined;
}

/** Errors a retry will not fix. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_blocks_too_long',
  'msg_too_long',
  'no_text',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'not_allowed_token_type',
  'restricted_action',
  'user_not_in_channel',
  'user_not_found',
  'channel_is_archived',
  'method_not_supported_for_channel_type',
  'expired_trigger_id',
  'invalid_trigger_id',
]);

export function isPermanentSlackError(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && PERMANENT.has(code);
}

/** A sentence for the person, where there is one to say. */
export function explainSlackError(code: string | undefined, channel?: string): string | undefined {
  const where = channel ? `<#${channel}>` : 'that channel';
  switch (code) {
    case 'not_in_channel':
    case 'channel_not_found':
      return `I can't post in ${where}: invite me there with \`/invite @Alignment Review\` and try again.`;
    case 'is_archived':
      return `${where} is archived, so I can't post there.`;
    case 'missing_scope':
      return 'The app is missing a permission it needs: reinstall it from its manifest.';
    default:
      return undefined;
  }
}
