import { describe, expect, it } from 'vitest';
import { confirmDeleteModal, deletedRootMessage, heldBy, noLongerStoredText } from '../../src/slack/blocks/confirm-delete.js';
import { utcMinuteText } from '../../src/engine/time-text.js';
import { deletedCardMessage } from '../../src/slack/blocks/summary-card.js';
import { checkView } from '../../src/standin/slack/blocks/limits.js';

const AT = '2026-11-27T21:22:41.512Z';
const decision = { outcome: 'approved_with_conditions' as const, conditions: 'Keep a human in the loop', by: 'U0DAN', at: '2026-11-20T09:05:00.000Z' };

describe('what a deleted review’s messages say', () => {
  it('names only what the review had: an open or cancelled one never had scores or a decision', () => {
    expect(noLongerStoredText(heldBy({ status: 'active' }))).toBe('Its answers and history are no longer stored.');
    expect(noLongerStoredText(heldBy({ status: 'paused' }))).toBe('Its answers and history are no longer stored.');
    expect(noLongerStoredText(heldBy({ status: 'cancelled' }))).toBe('Its answers and history are no longer stored.');
    expect(noLongerStoredText(heldBy({ status: 'completed' }))).toBe('Its answers, scores and history are no longer stored.');
    expect(noLongerStoredText(heldBy({ status: 'completed', decision }))).toBe('Its answers, scores, decision and history are no longer stored.');
  });

  it('gives the date and time in UTC, as App Home does', () => {
    expect(utcMinuteText(AT)).toBe('2026-11-27 21:22 UTC');
    const held = heldBy({ status: 'active' });
    expect(deletedCardMessage({ systemName: 'Resume screener', reviewId: 'R7K2F9QX', deletedBy: 'U0CAROL', at: AT, held }).text).toBe(
      'Alignment review of Resume screener (review R7K2F9QX): deleted by <@U0CAROL> on 2026-11-27 21:22 UTC. Its answers and history are no longer stored.',
    );
    expect(deletedRootMessage({ systemName: 'Resume screener', deletedBy: 'U0CAROL', at: AT, held }).text).toBe(
      'Alignment review of Resume screener: deleted by <@U0CAROL> on 2026-11-27 21:22 UTC. Its answers and history are no longer stored.',
    );
  });

  it('shows the decision on record in the confirmation, and none when there is none', () => {
    const base = { reviewId: 'R7K2F9QX', systemName: 'Resume screener', channelId: 'C0REVIEW', startedBy: 'U0ALICE', startedAt: AT, status: 'completed' as const, replyChannelId: 'C0REVIEW' };
    const withDecision = confirmDeleteModal({ ...base, decision: { ...decision, answersChangedAt: '2026-11-25T10:00:00.000Z' } });
    const text = JSON.stringify(withDecision.blocks);
    expect(text).toContain('*Decision on record:* :ballot_box_with_check: Approved with conditions by <@U0DAN> on 2026-11-20 09:05 UTC\\n>Keep a human in the loop');
    expect(text).toContain('Answers were edited on 2026-11-25 10:00 UTC, after it: it needs a decision again.');
    expect(text).toContain('its answers, scores, decision and history.');
    expect(checkView(withDecision, 'modal')).toMatchObject({ messages: [] });
    const without = JSON.stringify(confirmDeleteModal({ ...base, status: 'active' }).blocks);
    expect(without).not.toContain('Decision on record');
    expect(without).toContain('its answers and history.');
  });
});
