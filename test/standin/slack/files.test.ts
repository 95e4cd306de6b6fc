import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { eventsOf, startFakeApp, type FakeApp } from './support/fake-app.js';

const { WebClient, LogLevel } = webApi;
const SECRET = 'files-test-secret';

let slack: SlackStandin;
let app: FakeApp;
let client: InstanceType<typeof WebClient>;

beforeEach(async () => {
  app = await startFakeApp(SECRET);
  slack = await startSlackStandin({ signingSecret: SECRET, appUrl: app.url });
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await slack.close();
  await app.close();
});

describe('file uploads', () => {
  it('runs files.uploadV2 end to end and shares the file into the thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'Review of Ranker' });
    const report = '# Alignment review: Ranker\n\nOverall: medium — “proxy” risks noted.\n';
    const result = await client.files.uploadV2({
      channel_id: 'C0REVIEWS',
      thread_ts: parent.ts!,
      content: report,
      filename: 'ranker-review.md',
      title: 'Ranker review',
      initial_comment: 'The full report',
    });
    expect(result.ok).toBe(true);
    expect(slack.calls.map((call) => call.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'file_upload',
      'files.completeUploadExternal',
    ]);
    const [file] = slack.world.files;
    expect(file).toMatchObject({
      name: 'ranker-review.md',
      title: 'Ranker review',
      content: report,
      bytes: Buffer.byteLength(report),
      length: Buffer.byteLength(report),
      uploaded: true,
      completed: true,
      channel: 'C0REVIEWS',
      threadTs: parent.ts,
    });
    const share = slack.world.messages.find((message) => message.files?.includes(file!.id));
    expect(share).toMatchObject({ threadTs: parent.ts, text: 'The full report', botId: 'B0BOT', subtype: 'file_share' });
    const served = await fetch(`${slack.url}/files/${file!.id}`);
    expect(await served.text()).toBe(report);
    await slack.settled();
    const [shared] = eventsOf(app, (event) => event.subtype === 'file_share');
    expect(shared?.event).toMatchObject({ thread_ts: parent.ts, files: [{ id: file!.id, title: 'Ranker review', size: Buffer.byteLength(report) }] });
  });

  it('refuses to complete a file whose bytes never arrived, and a channel the bot is not in', async () => {
    const url = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    await expect(client.files.completeUploadExternal({ files: [{ id: url.file_id! }] })).rejects.toMatchObject({ data: { error: 'file_not_found' } });
    await fetch(url.upload_url!, { method: 'POST', body: 'abc' });
    await expect(client.files.completeUploadExternal({ files: [{ id: url.file_id! }], channel_id: 'G0SECRET' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    const done = await client.files.completeUploadExternal({ files: [{ id: url.file_id!, title: 'A' }] });
    expect(done.files).toEqual([{ id: url.file_id, title: 'A' }]);
    expect(slack.world.files[0]).toMatchObject({ content: 'abc', completed: true });
    expect(slack.world.files[0]?.channel).toBeUndefined();
  });
});
