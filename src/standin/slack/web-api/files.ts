/**
 * Slack's external upload flow: files.getUploadURLExternal hands out an
 * upload URL, the bytes are POSTed there, files.completeUploadExternal
 * stores the file and shares it into a channel or thread (a file_share
 * message, echoed to the app like any bot post).
 */
import type { Runtime } from '../runtime.js';
import { postBotMessage } from '../world/bot-posts.js';
import type { WorldFile } from '../world/types.js';
import { channelForPosting } from './access.js';
import { fail, jsonArg, numberArg, ok, stringArg, type MethodHandler } from './method.js';

export const getUploadURLExternal: MethodHandler = (runtime, args) => {
  const filename = stringArg(args, 'filename');
  const length = numberArg(args, 'length', Number.NaN);
  if (!filename || !Number.isFinite(length) || length < 0) return fail('invalid_arguments');
  const file: WorldFile = {
    id: runtime.ids.next('F'),
    name: filename,
    title: filename,
    length,
    content: '',
    bytes: 0,
    uploaded: false,
    completed: false,
    userId: runtime.world.bot.userId,
    created: runtime.clock.nowSeconds(),
  };
  runtime.world.files.push(file);
  return ok({ upload_url: `${runtime.baseUrl()}upload/${file.id}`, file_id: file.id });
};

/** The upload URL's POST: keep the bytes. Returns the HTTP status and text Slack's upload host answers. */
export function receiveUpload(runtime: Runtime, fileId: string, bytes: Buffer): { status: number; text: string } {
  const file = runtime.world.files.find((candidate) => candidate.id === fileId);
  if (!file || file.completed) return { status: 404, text: 'file not found' };
  file.content = bytes.toString('utf8');
  file.bytes = bytes.length;
  file.uploaded = true;
  runtime.changed('file_uploaded');
  return { status: 200, text: `OK - ${bytes.length}` };
}

export const completeUploadExternal: MethodHandler = (runtime, args) => {
  const parsed = jsonArg(args, 'files');
  if (!parsed || 'invalid' in parsed || !Array.isArray(parsed.value) || parsed.value.length === 0) return fail('invalid_arguments');
  const entries = parsed.value as Array<{ id?: unknown; title?: unknown }>;
  const files: WorldFile[] = [];
  for (const entry of entries) {
    const file = runtime.world.files.find((candidate) => candidate.id === entry.id);
    if (!file || !file.uploaded || file.completed) return fail('file_not_found');
    files.push(file);
  }
  const channelArg = stringArg(args, 'channel_id') ?? stringArg(args, 'channels')?.split(',')[0];
  const lookup = channelArg ? channelForPosting(runtime, channelArg) : undefined;
  if (lookup && 'error' in lookup) return fail(lookup.error);
  const threadTs = stringArg(args, 'thread_ts') || undefined;
  files.forEach((file, i) => {
    const title = entries[i]?.title;
    if (typeof title === 'string' && title !== '') file.title = title;
    file.completed = true;
    if (lookup) {
      file.channel = lookup.channel.id;
      if (threadTs) file.threadTs = threadTs;
    }
  });
  runtime.changed('file_completed');
  if (lookup) {
    postBotMessage(runtime, {
      channel: lookup.channel,
      text: stringArg(args, 'initial_comment') ?? '',
      ...(threadTs ? { threadTs } : {}),
      files: files.map((file) => file.id),
      subtype: 'file_share',
      via: 'web_api',
    });
  }
  return ok({ files: files.map((file) => ({ id: file.id, title: file.title })) });
};
