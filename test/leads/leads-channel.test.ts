import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { LEADS_CHANNEL_LEADS_ONLY, leadsChannelRefusal } from '../../src/leads/leads-channel-setting.js';
import { leadsChannelStatus } from '../../src/reviews/leads-channel-check.js';

/** conversations.info answering `answer`, or failing with a Slack platform error of code `answer.error`. */
function client(answer: Record<string, unknown> | { error: string }): WebClient {
  return {
    conversations: {
      info: async () => {
        if ('error' in answer) throw Object.assign(new Error(`An API error occurred: ${String(answer.error)}`), { code: 'slack_webapi_platform_error', data: { ok: false, error: answer.error } });
        return { ok: true, channel: answer };
      },
    },
  } as unknown as WebClient;
}

describe('what Slack says of a leads’ channel', () => {
  it('tells a channel it is in, a public one to join, a private one it was not invited to, and an archived one', async () => {
    expect(await leadsChannelStatus(client({ is_private: true, is_member: true }), 'G1')).toEqual({ kind: 'member' });
    expect(await leadsChannelStatus(client({ is_private: false, is_member: true }), 'C1')).toEqual({ kind: 'member' });
    expect(await leadsChannelStatus(client({ is_private: false, is_member: false }), 'C1')).toEqual({ kind: 'joinable' });
    // To Slack, a private channel the app is not in does not exist.
    expect(await leadsChannelStatus(client({ error: 'channel_not_found' }), 'G1')).toEqual({ kind: 'not_a_member' });
    expect(await leadsChannelStatus(client({ is_private: false, is_member: true, is_archived: true }), 'C1')).toEqual({ kind: 'archived' });
    expect(await leadsChannelStatus(client({ error: 'internal_error' }), 'C1')).toMatchObject({ kind: 'unknown' });
  });
});

describe('what config leads says when it refuses', () => {
  it('names who may, or why the channel cannot be used and what to do, and that nothing changed', () => {
    expect(LEADS_CHANNEL_LEADS_ONLY).toMatch(/^Changing the leads' channel: Only review leads and workspace admins can do that\. Nothing was changed\.$/);
    for (const text of [leadsChannelRefusal.notAMember('G1'), leadsChannelRefusal.notJoined('C1')]) {
      expect(text).toContain("I did not change the leads' channel");
      expect(text).toContain('`/invite @Alignment Review`');
    }
    expect(leadsChannelRefusal.archived('C1')).toContain('<#C1> is archived');
  });
});
