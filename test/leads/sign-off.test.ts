import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { isLeadOrAdmin } from '../../src/leads/permissions.js';
import { readSignOffForm } from '../../src/leads/sign-off.js';
import { decisionNoteMessage, NOT_ASSESSED_WARNING, NOTE_CONDITIONS, signOffModal } from '../../src/slack/blocks/sign-off.js';
import { INPUTS } from '../../src/slack/ids.js';
import { checkBlocks, checkView } from '../../src/standin/slack/blocks/limits.js';

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

describe('the sign-off modal of a review too little answered to assess', () => {
  const input = { reviewId: 'RABCDEFG', systemName: 'Barely answered bot', overall: 'Not enough answered', channelId: 'C1' };

  it('says in a context line that an approval is not backed by a score, and still offers every outcome', () => {
    const view = signOffModal({ ...input, notAssessed: true });
    expect(checkView(view, 'modal')).toMatchObject({ messages: [] });
    const context = view.blocks.find((block) => block.type === 'context');
    expect(context).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: `:warning: ${NOT_ASSESSED_WARNING}` }] });
    expect(NOT_ASSESSED_WARNING).toBe('Fewer than half the risk areas were assessed: an approval here is not backed by a score.');
    expect(JSON.stringify(view.blocks)).toContain('"value":"approved"');
  });

  it('says nothing of the kind for a review that was assessed', () => {
    expect(JSON.stringify(signOffModal({ ...input, overall: 'Level II' }).blocks)).not.toContain(NOT_ASSESSED_WARNING);
    expect(signOffModal({ ...input, overall: 'Level II', notAssessed: false }).blocks.some((block) => block.type === 'context')).toBe(false);
  });
});

describe('the note in the thread when a decision is recorded', () => {
  const at = '2025-01-01T00:00:00.000Z';
  const textOf = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);
  const mrkdwnOf = (message: { blocks: unknown[] }) => (message.blocks[0] as { text: { text: string } }).text.text;

  it('mentions the starter, names who decided and the outcome', () => {
    const note = decisionNoteMessage({ decision: { outcome: 'approved', by: 'U0CAROL', at }, startedBy: 'U0ALICE' });
    expect(mrkdwnOf(note)).toBe('<@U0ALICE> <@U0CAROL> recorded a decision on this review: :white_check_mark: *Approved*.');
    expect(note.text).toBe('<@U0ALICE> Decision recorded by <@U0CAROL>: Approved');
    expect(checkBlocks(note.blocks, 'message').messages).toEqual([]);
  });

  it('says what it replaced when a decision changes, and quotes the conditions, neutralised and cut to fit', () => {
    const conditions = `Human review of every denial &amp; <!channel> &lt;@U0BOB&gt; owns it\n${'A long condition. '.repeat(60)}`;
    const note = decisionNoteMessage({
      decision: { outcome: 'approved_with_conditions', conditions, by: 'U0DAN', at },
      before: { outcome: 'changes_needed', by: 'U0DAN', at },
      startedBy: 'U0ALICE',
    });
    const text = mrkdwnOf(note);
    expect(text).toMatch(/^<@U0ALICE> <@U0DAN> changed the decision on this review to :ballot_box_with_check: \*Approved with conditions\* \(it was Changes needed\), on these conditions:\n>Human review of every denial &amp; @\u200Bchannel &lt;@U0BOB&gt; owns it\n>A long condition/);
    expect(text).toContain('_The conditions in full are on the summary card._');
    expect(text.length).toBeLessThan(NOTE_CONDITIONS.chars + 250);
    expect(textOf(note)).not.toContain('<!channel>');
    expect(textOf(note)).not.toContain('<@U0BOB>');
    expect(note.text).toBe('<@U0ALICE> Decision changed by <@U0DAN>: Approved with conditions');
    expect(checkBlocks(note.blocks, 'message').messages).toEqual([]);
  });

  it('keeps short conditions whole, and says "a new decision" when the outcome stays', () => {
    const note = decisionNoteMessage({
      decision: { outcome: 'approved_with_conditions', conditions: 'Audit monthly.\nReport to risk.', by: 'U0DAN', at },
      before: { outcome: 'approved_with_conditions', conditions: 'Audit yearly.', by: 'U0CAROL', at },
      startedBy: 'U0ALICE',
    });
    expect(mrkdwnOf(note)).toBe(
      '<@U0ALICE> <@U0DAN> recorded a new decision on this review: :ballot_box_with_check: *Approved with conditions*, on these conditions:\n>Audit monthly.\n>Report to risk.',
    );
  });

  it('does not mention the lead twice when the lead started the review', () => {
    const note = decisionNoteMessage({ decision: { outcome: 'changes_needed', by: 'U0DAN', at }, startedBy: 'U0DAN' });
    expect(mrkdwnOf(note)).toBe('<@U0DAN> recorded a decision on this review: :no_entry: *Changes needed*.');
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
