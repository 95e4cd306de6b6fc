/**
 * Each person's `cancel` waits for their own confirmation: another person's
 * `cancel` (or anything else they send) in between neither confirms nor resets it.
 */
import { describe, expect, it } from 'vitest';
import { cancelRequestsOf, MAX_CANCEL_REQUESTS } from '../../src/engine/review-lifecycle.js';
import { applyInput, startReview } from '../../src/engine/review.js';
import type { ReviewInput, ReviewState, Step } from '../../src/engine/types.js';
import { loadFixture, type InputWithoutActor } from './helpers.js';

const flow = loadFixture('mini.yaml');
const START = Date.UTC(2025, 0, 6, 9, 0, 0);
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();

function review() {
  let state: ReviewState = startReview(flow, { id: 'R1', systemName: 'Test system', startedBy: 'U1', at: at(0) }).state;
  return {
    get state() {
      return state;
    },
    send(input: InputWithoutActor, by: string, seconds: number): Step {
      const step = applyInput(flow, state, { ...input, by, at: at(seconds) } as ReviewInput);
      state = step.state;
      return step;
    },
  };
}

const CANCEL = { type: 'cancel' } as InputWithoutActor;

describe('several people’s `cancel`', () => {
  it('Dan, then Bob, then Dan again within seconds: Dan’s second cancels', () => {
    const r = review();
    expect(r.send(CANCEL, 'DAN', 10).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(r.send(CANCEL, 'BOB', 12).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(cancelRequestsOf(r.state)).toEqual([{ by: 'DAN', at: at(10) }, { by: 'BOB', at: at(12) }]);
    expect(r.send(CANCEL, 'DAN', 15).effects).toEqual([{ type: 'cancelled' }]);
    expect(r.state).toMatchObject({ status: 'cancelled', finishedAt: at(15) });
    expect(r.state.cancelRequest).toBeUndefined();
    expect(r.state.history.at(-1)).toMatchObject({ by: 'DAN', action: 'cancel' });
  });

  it('Bob’s request waits too, and confirms after Dan’s', () => {
    const r = review();
    r.send(CANCEL, 'DAN', 10);
    r.send(CANCEL, 'BOB', 12);
    expect(r.send(CANCEL, 'BOB', 20).effects).toEqual([{ type: 'cancelled' }]);
    expect(r.state.history.at(-1)).toMatchObject({ by: 'BOB', action: 'cancel' });
  });

  it('anything else a person sends drops only their own request', () => {
    const r = review();
    r.send(CANCEL, 'DAN', 10);
    r.send(CANCEL, 'BOB', 12);
    const step = r.send({ type: 'reply', text: 'Drafts replies to tickets' } as InputWithoutActor, 'BOB', 14);
    expect(step.effects.map((effect) => effect.type)).toContain('recorded');
    expect(cancelRequestsOf(r.state)).toEqual([{ by: 'DAN', at: at(10) }]);
    expect(r.state.cancelRequest).toEqual({ by: 'DAN', at: at(10) });
    // Bob's next `cancel` asks again; Dan's still confirms.
    expect(r.send(CANCEL, 'BOB', 16).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(r.send(CANCEL, 'DAN', 18).effects).toEqual([{ type: 'cancelled' }]);
  });

  it('a refused input drops its author’s request and leaves the others', () => {
    const r = review();
    r.send(CANCEL, 'DAN', 10);
    r.send(CANCEL, 'BOB', 12);
    const step = r.send({ type: 'resume' } as InputWithoutActor, 'DAN', 14);
    expect(step.changed).toBe(true);
    expect(cancelRequestsOf(r.state)).toEqual([{ by: 'BOB', at: at(12) }]);
    expect(r.send(CANCEL, 'DAN', 16).effects).toEqual([{ type: 'cancel_requested' }]);
  });

  it('someone else’s input with nothing waiting for them changes nothing about the requests', () => {
    const r = review();
    r.send(CANCEL, 'DAN', 10);
    const before = r.state;
    const step = r.send({ type: 'resume' } as InputWithoutActor, 'BOB', 14);
    expect(step.changed).toBe(false);
    expect(r.state).toBe(before);
  });

  it('a request older than 2 minutes is not confirmed, and is dropped when another is written', () => {
    const r = review();
    r.send(CANCEL, 'DAN', 10);
    r.send(CANCEL, 'BOB', 100);
    expect(r.send(CANCEL, 'DAN', 131).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(cancelRequestsOf(r.state)).toEqual([{ by: 'BOB', at: at(100) }, { by: 'DAN', at: at(131) }]);
    r.send(CANCEL, 'CAROL', 230);
    // Bob's (at 100 s) has expired by 230 s: only the live ones are kept.
    expect(cancelRequestsOf(r.state)).toEqual([{ by: 'DAN', at: at(131) }, { by: 'CAROL', at: at(230) }]);
  });

  it('keeps at most MAX_CANCEL_REQUESTS, dropping the oldest', () => {
    const r = review();
    for (let n = 0; n < MAX_CANCEL_REQUESTS + 5; n++) r.send(CANCEL, `U${100 + n}`, 10 + n);
    const requests = cancelRequestsOf(r.state);
    expect(requests).toHaveLength(MAX_CANCEL_REQUESTS);
    expect(requests[0]!.by).toBe('U105');
    expect(requests.at(-1)!.by).toBe(`U${100 + MAX_CANCEL_REQUESTS + 4}`);
    expect(r.send(CANCEL, 'U104', 40).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(r.send(CANCEL, 'U110', 41).effects).toEqual([{ type: 'cancelled' }]);
  });

  it('all waiting requests survive JSON, as another replica or a restart reads them', () => {
    const r = review();
    r.send(CANCEL, 'DAN', 10);
    r.send(CANCEL, 'BOB', 12);
    const stored = JSON.parse(JSON.stringify(r.state)) as ReviewState;
    expect(applyInput(flow, stored, { type: 'cancel', by: 'DAN', at: at(20) }).effects).toEqual([{ type: 'cancelled' }]);
  });

  it('a state stored with the one-request shape still confirms', () => {
    const r = review();
    const old = { ...r.state, cancelRequest: { by: 'DAN', at: at(10) } };
    expect(applyInput(flow, old, { type: 'cancel', by: 'DAN', at: at(20) }).effects).toEqual([{ type: 'cancelled' }]);
  });

  it('all are dropped when the review ends otherwise', () => {
    const r = review();
    r.send(CANCEL, 'DAN', 10);
    r.send(CANCEL, 'BOB', 12);
    r.send({ type: 'finish' } as InputWithoutActor, 'CAROL', 14);
    expect(r.state.status).toBe('completed');
    expect(r.state.cancelRequest).toBeUndefined();
  });
});
