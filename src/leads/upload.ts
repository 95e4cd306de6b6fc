/**
 * Files for one person only: an export is a lead's own business, so it goes
 * into the direct messages between that person and the app, never into a
 * channel or thread others read. Slack has no ephemeral files, and a file
 * shared "to a user id" is not a documented target, so the direct-message
 * channel is opened first (conversations.open, scope im:write) and the files
 * are shared there (files:write).
 */
import type { FilesUploadV2Arguments, WebClient } from '@slack/web-api';
import { explainSlackError, slackErrorCode } from '../slack/api-errors.js';

export interface UploadFile {
  filename: string;
  title: string;
  content: string;
}

/** Where the files went: the person's direct-message channel with the app. */
export type PrivateDelivery = { ok: true; channelId: string } | { ok: false; message: string };

/** Said when Slack refuses the direct message for good; the person has nowhere else to get the file. */
function refusedText(code: string): string {
  // An install from before exports went by direct message lacks im:write until the app is reinstalled.
  if (code === 'missing_scope') return `${explainSlackError(code)} Nothing was sent.`;
  return `Slack would not let me send you the file in a direct message (\`${code}\`), so nothing was sent.`;
}

/** The direct-message channel between `userId` and the app, opened if need be (scope im:write). */
export async function directMessageChannel(client: WebClient, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error('conversations.open answered without a channel');
  return channelId;
}

/**
 * Sends the files with `comment` to `userId` privately. A refusal Slack
 * gives for good (a missing scope, a deactivated person) comes back as a
 * sentence to show them; anything else (Slack down after the client's
 * retries) is thrown for the caller's failure note.
 */
export async function sendFilesPrivately(client: WebClient, userId: string, comment: string, files: UploadFile[]): Promise<PrivateDelivery> {
  try {
    const channelId = await directMessageChannel(client, userId);
    const args = {
      channel_id: channelId,
      initial_comment: comment,
      file_uploads: files.map((file) => ({ content: file.content, filename: file.filename, title: file.title })),
    } as FilesUploadV2Arguments;
    await client.filesUploadV2(args);
    return { ok: true, channelId };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code) return { ok: false, message: refusedText(code) };
    throw error;
  }
}
