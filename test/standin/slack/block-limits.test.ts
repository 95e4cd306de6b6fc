import { webApi } from '@slack/bolt';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBlocks, checkMessageText, checkView } from '../../../src/standin/slack/blocks/limits.js';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';

const { WebClient, LogLevel } = webApi;

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });
const button = (text: string) => ({ type: 'actions', elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text } }] });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

describe('Block Kit limits', () => {
  it('refuses each text exactly past its limit', () => {
    const cases: Array<[(text: string) => unknown, number, string]> = [
      [section, 3000, '/blocks/0/text/text'],
      [header, 150, '/blocks/0/text/text'],
      [button, 75, '/blocks/0/elements/0/text/text'],
      [context, 2000, '/blocks/0/elements/0/text'],
    ];
    for (const [make, limit, pointer] of cases) {
      expect(checkBlocks([make('x'.repeat(limit))], 'message').error).toBeUndefined();
      const refused = checkBlocks([make('x'.repeat(limit + 1))], 'message');
      expect(refused.error).toBe('invalid_blocks');
      expect(refused.messages).toEqual([`[ERROR] must be less than ${limit + 1} characters [json-pointer:${pointer}]`]);
    }
  });

  it('accepts a section text if and only if it fits in 3000 characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4000 }), (length) => {
        const check = checkBlocks([section('y'.repeat(length))], 'message');
        expect(check.error === undefined).toBe(length <= 3000);
      }),
      { numRuns: 50 },
    );
  });

  it('allows 50 blocks in a message and 100 in a view', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(checkBlocks(blocks(50), 'message').error).toBeUndefined();
    expect(checkBlocks(blocks(51), 'message').error).toBe('invalid_blocks');
    expect(checkBlocks(blocks(100), 'modal').error).toBeUndefined();
    expect(checkBlocks(blocks(101), 'modal').error).toBe('invalid_blocks');
  });

  it('refuses more than 12 000 characters of text across a message’s blocks', () => {
    const fiveSections = Array.from({ length: 5 }, () => section('z'.repeat(2500)));
    expect(checkBlocks(fiveSections.slice(0, 4), 'message').error).toBeUndefined();
    expect(checkBlocks(fiveSections, 'message').error).toBe('msg_blocks_too_long');
  });

  it('refuses duplicate block ids and malformed blocks, passes unknown types through', () => {
    const duplicate = checkBlocks([{ ...section('a'), block_id: 'q' }, { ...section('b'), block_id: 'q' }], 'message');
    expect(duplicate.messages).toEqual(['[ERROR] duplicate block_id "q" [json-pointer:/blocks/1/block_id]']);
    expect(checkBlocks([{ text: 'no type' }], 'message').error).toBe('invalid_blocks');
    expect(checkBlocks('not an array', 'message').error).toBe('invalid_blocks_format');
    const unknown = checkBlocks([{ type: 'shiny_new_block' }], 'message');
    expect(unknown).toEqual({ messages: [], unknownTypes: ['shiny_new_block'] });
  });

  it('refuses message text over 40 000 characters and checks modal titles', () => {
    expect(checkMessageText('a'.repeat(40_000))).toBeUndefined();
    expect(checkMessageText('a'.repeat(40_001))).toBe('msg_too_long');
    expect(checkView({ type: 'modal', title: { type: 'plain_text', text: 'Short' }, blocks: [] }, 'modal').error).toBeUndefined();
    expect(checkView({ type: 'home', blocks: [] }, 'modal').messages).toContain('[ERROR] must be "modal" [json-pointer:/type]');
  });
});

describe('limits through the Web API', () => {
  let slack: SlackStandin;
  let client: InstanceType<typeof WebClient>;

  beforeAll(async () => {
    slack = await startSlackStandin({ signingSecret: 'limits-test-secret', echoBotEvents: false });
    client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
  });

  afterAll(async () => {
    await slack.close();
  });

  it('answers chat.postMessage and chat.update with Slack’s errors and messages', async () => {
    await expect(client.chat.postMessage({ channel: 'C0REVIEWS', text: 'x', blocks: [header('h'.repeat(151))] as never })).rejects.toMatchObject({
      data: { error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'] } },
    });
    await expect(client.chat.postMessage({ channel: 'C0REVIEWS', text: 't'.repeat(40_001) })).rejects.toMatchObject({ data: { error: 'msg_too_long' } });
    const posted = await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'ok', blocks: [section('fine')] as never });
    await expect(
      client.chat.update({ channel: 'C0REVIEWS', ts: posted.ts!, text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) as never }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    const blocksFormat = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${slack.botToken}` },
      body: 'channel=C0REVIEWS&text=x&blocks=%5Bnot%20json',
    });
    expect(await blocksFormat.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });

  it('records unknown block types in the call and the world but posts them', async () => {
    await client.chat.postMessage({ channel: 'C0REVIEWS', text: 'x', blocks: [{ type: 'shiny_new_block' }] as never });
    expect(slack.calls.at(-1)?.notes).toEqual(['unknown block type "shiny_new_block" passed through']);
    expect(slack.world.unknownBlockTypes).toEqual(['shiny_new_block']);
  });
});
