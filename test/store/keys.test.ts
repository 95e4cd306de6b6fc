import { describe, expect, it } from 'vitest';
import { channelListKey, hashSlotPart, rateKey, reviewKeyList, reviewKeys, reviewOfWorkKey, teamKeys, threadKey, workKeyPattern } from '../../src/store/keys.js';

describe('store keys', () => {
  it('puts every key of a review under the prefix and one hash tag', () => {
    const names = reviewKeyList(reviewKeys('ar', 'T1', 'r1'));
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    for (const name of names) {
      expect(name.startsWith('ar:{T1:r1}:')).toBe(true);
      expect(hashSlotPart(name)).toBe('T1:r1');
    }
  });

  it("puts a team's index keys under the team's tag, apart from its reviews", () => {
    const names = [threadKey('ar', 'T1', 'C1', '1700000000.000100'), channelListKey('ar', 'T1', 'C1'), teamKeys('ar', 'T1').all, teamKeys('ar', 'T1').settings];
    expect(names.map(hashSlotPart)).toEqual(['T1', 'T1', 'T1', 'T1']);
    expect(names).toEqual(['ar:{T1}:thread:C1:1700000000.000100', 'ar:{T1}:chan:C1', 'ar:{T1}:all', 'ar:{T1}:settings']);
    expect(rateKey('ar', 'user:U1')).toBe('ar:rl:user:U1');
  });

  it('reads the review back from its inbox and outbox keys, and from no other key', () => {
    const keys = reviewKeys('ar', 'E1:T1', 'RABCD234');
    expect(reviewOfWorkKey('ar', keys.inbox)).toEqual({ teamId: 'E1:T1', reviewId: 'RABCD234' });
    expect(reviewOfWorkKey('ar', keys.outbox)).toEqual({ teamId: 'E1:T1', reviewId: 'RABCD234' });
    for (const other of [keys.state, keys.lock, keys.inputs, reviewKeys('other', 'T1', 'R1').inbox, threadKey('ar', 'T1', 'C1', '1.2'), 'ar:{T1}:inbox', 'ar:{:R1}:inbox']) {
      expect(reviewOfWorkKey('ar', other), other).toBeNull();
    }
    expect(workKeyPattern('ar')).toBe('ar:{*}:*box');
    expect(workKeyPattern('a*[b]')).toBe('a\\*\\[b\\]:{*}:*box');
    // No other key of a review matches it.
    const box = /box$/;
    expect(reviewKeyList(keys).filter((key) => box.test(key))).toEqual([keys.inbox, keys.outbox]);
  });

  it('reads hash tags by the Redis Cluster rule', () => {
    expect(hashSlotPart('plain')).toBe('plain');
    expect(hashSlotPart('a{b}c{d}')).toBe('b');
    expect(hashSlotPart('a{}b{c}')).toBe('a{}b{c}');
    expect(hashSlotPart('a{b')).toBe('a{b');
  });

  it('refuses ids that would break a hash tag', () => {
    expect(() => reviewKeys('ar', 'T{1', 'r1')).toThrow(/team id/);
    expect(() => reviewKeys('ar', 'T1', 'r}1')).toThrow(/review id/);
    expect(() => reviewKeys('ar', '', 'r1')).toThrow(/team id/);
    expect(() => threadKey('ar', 'T1', 'C 1', '1.2')).toThrow(/channel id/);
  });
});
