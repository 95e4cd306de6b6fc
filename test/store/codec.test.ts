import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packState, seqScore, unpackState } from '../../src/store/codec.js';
import { StoreDataError } from '../../src/store/errors.js';
import { answered, makeState } from './fixtures.js';

describe('state packing', () => {
  it('stores an open review as plain JSON and an ended one deflated, and reads both back', () => {
    let state = makeState();
    for (let i = 0; i < 10; i++) state = answered(state, `q${i}`, 'We measure resolution within 7 days and customer satisfaction. '.repeat(2), `q${i + 1}`);
    const json = JSON.stringify(state);
    for (const status of ['active', 'paused'] as const) {
      const open = { ...state, status };
      const packed = packState(open);
      expect(packed[0]).toBe(2);
      expect(JSON.parse(packed.toString('utf8', 1))).toEqual(JSON.parse(JSON.stringify(open)));
      expect(unpackState(packed)).toEqual(open);
    }
    for (const status of ['completed', 'cancelled'] as const) {
      const ended = { ...state, status };
      const packed = packState(ended);
      expect(unpackState(packed)).toEqual(ended);
      expect(packed.length).toBeLessThan(json.length / 2);
    }
  });

  it('reads states packed with zlib’s default window, as earlier versions stored them, and states larger than the window', () => {
    let state = makeState();
    for (let i = 0; i < 40; i++) state = answered(state, `q${i}`, `Answer ${i}: ${'we look at outcomes, not clicks; '.repeat(8)}`, `q${i + 1}`);
    expect(JSON.stringify(state).length).toBeGreaterThan(16_384);
    const earlier = Buffer.concat([Buffer.from([1]), deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 9 })]);
    expect(unpackState(earlier)).toEqual(state);
    expect(unpackState(packState(state))).toEqual(state);
  });

  it('refuses bytes it did not write', () => {
    expect(() => unpackState(Buffer.from([9, 1, 2]))).toThrow(StoreDataError);
    expect(() => unpackState(Buffer.from([1, 1, 2, 3]))).toThrow(StoreDataError);
    expect(() => unpackState(Buffer.from('\u0002{"id":', 'utf8'))).toThrow(StoreDataError);
    const notAState = Buffer.concat([Buffer.from([1]), packState({ nope: true, status: 'completed' } as never).subarray(1)]);
    expect(() => unpackState(notAState)).toThrow(/review state/);
    expect(() => unpackState(packState({ nope: true } as never))).toThrow(/review state/);
  });
});

describe('seqScore', () => {
  it('orders Slack timestamps to the microsecond', () => {
    expect(seqScore('1700000000.000100')).toBeLessThan(seqScore('1700000000.000101'));
    expect(seqScore('1700000000.999999')).toBeLessThan(seqScore('1700000001.000000'));
    expect(seqScore('1700000000')).toBe(1_700_000_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'abc', '1.2.3', '-1', '1e9', '1700000000.0000001']) expect(() => seqScore(bad)).toThrow(/seq/);
  });
});
