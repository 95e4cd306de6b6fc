import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { isLeadOrAdmin } from '../../src/leads/permissions.js';
import { readSignOffForm } from '../../src/leads/sign-off.js';
import { signOffModal } from '../../src/slack/blocks/sign-off.js';
import { INPUTS } from '../../src/slack/ids.js';
import { checkView } from '../../src/standin/slack/blocks/limits.js';

function form(outcome: string | undefined, conditions?: string) {
  return {
    [INPUTS.decision.block]: { [INPUTS.decision.action]: { type: 'radio_buttons', selected_option: outcome ? { value: outcome, text: { type: 'plain_text' as const, text: outcome } } : null } },
    [INPUTS.conditions.block]: { [INPUTS.conditions.action]: { type: 'plain_text_input', value: conditions ?? null } },
  };
}

describe('the sign-off form', () => {
  it('takes an outcome, and conditions only where they belong', () => {
    expect(readSignOffForm(form('approved'))).toEqual({ ok: true, outcome: 'approved' });
    expect(readSignOffForm(form('changes_needed', ' Add a cap. '))).toEqual({ ok: true, outcome: 'changes_needed', conditions: 'Add a cap.' });
    expect(readSignOffForm(form('approved_with_conditions', 'Audit <monthly> & report'))).toEqual({
      ok: true,
      outcome: 'approved_with_conditions',
      // Stored as Slack delivers people's text, like every other answer.
      conditions: 'Audit &lt;monthly&gt; &amp; report',
    });
  });

  it('says what is missing or wrong under the field', () => {
    expect(readSignOffForm(form(undefined))).toEqual({ ok: false, errors: { [INPUTS.decision.block]: 'Choose a decision.' } });
    expect(readSignOffForm(form('approved_forever'))).toMatchObject({ ok: false, errors: { [INPUTS.decision.block]: expect.any(String) } });
    expect(readSignOffForm(form('approved_with_conditions', '   '))).toEqual({ ok: false, errors: { [INPUTS.conditions.block]: 'Say what the conditions are.' } });
    expect(readSignOffForm(form('approved', 'but only on weekdays'))).toMatchObject({ ok: false, errors: { [INPUTS.conditions.block]: expect.stringContaining('Approved with conditions') } });
    expect(readSignOffForm(form('changes_needed', 'x'.repeat(3001)))).toMatchObject({ ok: false });
  });

  it('opens as a valid modal that shows the current decision', () => {
    const view = signOffModal({
      reviewId: 'RABCDEFG',
      systemName: 'x'.repeat(500),
      overall: 'Level III',
      channelId: 'C1',
      current: { outcome: 'approved_with_conditions', conditions: 'Audit &amp; report', by: 'U1', at: '2025-01-01T00:00:00.000Z' },
    });
    expect(checkView(view, 'modal')).toMatchObject({ messages: [] });
    expect(JSON.parse(view.private_metadata!)).toEqual({ r: 'RABCDEFG', c: 'C1' });
    const text = JSON.stringify(view.blocks);
    // The overall level as given, in words (overallShort): a review finished with too little answered has none.
    expect(text).toContain('— Level III · review RABCDEFG');
    expect(text).toContain('"initial_value":"Audit & report"');
    expect(text).toContain('"initial_option":{"text":{"type":"plain_text","text":"Approved with conditions"},"value":"approved_with_conditions"}');
  });
});

describe('who counts as a lead', () => {
  const deps = { settings: { leadUserIds: ['U0LEAD'], leadsChannel: undefined, retentionDays: 1, reviewsPerMinutePerTeam: 1, reminderHours: 1, staleDays: 1 }, logger: createLogger('silent') };
  const client = (user: Record<string, unknown> | Error) =>
    ({
      users: {
        info: async () => {
          if (user instanceof Error) throw user;
          return { ok: true, user };
        },
      },
    }) as unknown as WebClient;

  it('is a named lead, or a workspace admin or owner', async () => {
    expect(await isLeadOrAdmin(deps, client({ is_admin: false }), 'U0LEAD')).toBe(true);
    expect(await isLeadOrAdmin(deps, client({ is_admin: true }), 'U1')).toBe(true);
    expect(await isLeadOrAdmin(deps, client({ is_owner: true }), 'U1')).toBe(true);
    expect(await isLeadOrAdmin(deps, client({ is_admin: false, is_owner: false }), 'U1')).toBe(false);
  });

  it('counts a failed look-up as no', async () => {
    expect(await isLeadOrAdmin(deps, client(new Error('ratelimited')), 'U1')).toBe(false);
    expect(await isLeadOrAdmin(deps, client({ is_admin: 'yes' }), 'U1')).toBe(false);
  });
});
