/** Who may do what a refusal turns down, said plainly: review leads and workspace admins. */
import { describe, expect, it } from 'vitest';
import { NOT_ALLOWED_TO_DELETE, SIGNED_OFF_LEADS_ONLY } from '../../src/leads/delete-review.js';
import { LEADS_CHANNEL_LEADS_ONLY } from '../../src/leads/leads-channel-setting.js';
import { LEADS_ONLY, LEADS_ONLY_READ } from '../../src/leads/permissions.js';

describe('the leads-only refusals', () => {
  it('say plainly who may', () => {
    expect(LEADS_ONLY).toBe('Only review leads and workspace admins can do that. Nothing was changed.');
    expect(LEADS_ONLY_READ).toBe('Only review leads and workspace admins can do that. Nothing was sent.');
    expect(LEADS_CHANNEL_LEADS_ONLY).toBe("Changing the leads' channel: Only review leads and workspace admins can do that. Nothing was changed.");
    expect(NOT_ALLOWED_TO_DELETE).toBe('Only the person who started this review, review leads and workspace admins can delete it. Nothing was changed.');
    expect(SIGNED_OFF_LEADS_ONLY).toBe('A lead has recorded a decision on this review, so only review leads and workspace admins can delete it now. Nothing was changed.');
  });

  it('never speak of leads "your admins named"', () => {
    for (const text of [LEADS_ONLY, LEADS_ONLY_READ, LEADS_CHANNEL_LEADS_ONLY, NOT_ALLOWED_TO_DELETE, SIGNED_OFF_LEADS_ONLY]) expect(text).not.toMatch(/admins named/);
  });
});
