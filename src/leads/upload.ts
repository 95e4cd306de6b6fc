/** Files into a channel or thread, joining a public channel first when the app is not in it yet. */
import type { FilesUploadV2Arguments, WebClient } from '@slack/web-api';
import { explainSlackError, slackErrorCode } from '../slack/api-errors.js';

export interface UploadFile {
  filename: string;
  title: string;
  content: string;
}

export type UploadResult = { ok: true } | { ok: false; message: string };

export async function uploadFiles(
  client: WebClient,
  target: { channelId: string; threadTs?: string; comment: string },
  files: UploadFile[],
): Promise<UploadResult> {
  const args = {
    channel_id: target.channelId,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    initial_comment: target.comment,
    file_uploads: files.map((file) => ({ content: file.content, filename: file.filename, title: file.title })),
  } as FilesUploadV2Arguments;
  try {
    await client.filesUploadV2(args);
    return { ok: true };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'not_in_channel') {
      try {
        await client.conversations.join({ channel: target.channelId });
        await client.filesUploadV2(args);
        return { ok: true };
      } catch (retryError) {
        const explained = explainSlackError(slackErrorCode(retryError) ?? code, target.channelId);
        if (explained) return { ok: false, message: explained };
        throw retryError;
      }
    }
    const explained = explainSlackError(code, target.channelId);
    if (explained) return { ok: false, message: explained };
    throw error;
  }
}
