import { describe, expect, it } from 'vitest';
import { decodeRef, encodeRef } from '../../src/reviews/outbox.js';

describe('message refs', () => {
  it('keep just the ts for a message in the review’s own channel, and the channel for any other', () => {
    expect(encodeRef('C0REVIEWS', '1700000000.000200', 'C0REVIEWS')).toBe('1700000000.000200');
    expect(encodeRef('C0LEADS', '1700000000.000300', 'C0REVIEWS')).toBe('C0LEADS/1700000000.000300');
    expect(encodeRef('C0REVIEWS', '1700000000.000100')).toBe('C0REVIEWS/1700000000.000100');
  });

  it('read back either form; refs written before (always "channel/ts") still read', () => {
    expect(decodeRef('1700000000.000200', 'C0REVIEWS')).toEqual({ channel: 'C0REVIEWS', ts: '1700000000.000200' });
    expect(decodeRef('C0LEADS/1700000000.000300', 'C0REVIEWS')).toEqual({ channel: 'C0LEADS', ts: '1700000000.000300' });
    expect(decodeRef('C0REVIEWS/1700000000.000100')).toEqual({ channel: 'C0REVIEWS', ts: '1700000000.000100' });
    // Without the review's channel a bare ts cannot be placed.
    expect(decodeRef('1700000000.000200')).toBeNull();
    expect(decodeRef(undefined, 'C0REVIEWS')).toBeNull();
  });
});
