import { describe, expect, it } from 'vitest';
import { NOT_ALLOWED_TO_DELETE, SIGNED_OFF_LEADS_ONLY } from '../../src/leads/delete-review.js';
import { LEADS_CHANNEL_LEADS_ONLY } from '../../src/leads/leads-channel-setting.js';
import { EXPORT_NOT_YOURS } from '../../src/leads/export-review.js';
import { LEADS_ONLY, LEADS_ONLY_READ } from '../../src/leads/permissions.js';

/** A setting's name such as LEAD_USER_IDS: words for whoever runs the app, not for the person refused. */
const SETTING_NAME = /\b[A-Z]+(_[A-Z]+)+\b/;

describe('a refusal', () => {
  it('says who may in plain words, naming no setting', () => {
    for (const text of [LEADS_ONLY, NOT_ALLOWED_TO_DELETE, SIGNED_OFF_LEADS_ONLY, LEADS_CHANNEL_LEADS_ONLY]) {
      expect(text).not.toMatch(SETTING_NAME);
      expect(text).toContain('review leads');
      expect(text).toContain('workspace admins');
      expect(text).toContain('Nothing was changed.');
    }
  });

  it('to an export says nothing was sent, not that nothing was changed: an export changes nothing', () => {
    for (const text of [LEADS_ONLY_READ, EXPORT_NOT_YOURS]) {
      expect(text).not.toMatch(SETTING_NAME);
      expect(text).toContain('workspace admins');
      expect(text).toMatch(/Nothing was sent\.$/);
      expect(text).not.toContain('Nothing was changed');
    }
    // The channel is where someone asks from, not one of the people.
    expect(EXPORT_NOT_YOURS).toContain('anyone asking from its own channel');
    expect(EXPORT_NOT_YOURS).not.toMatch(/in a review, its channel,/);
  });
});
