/** A typed `cancel` asks first: only the same person's second `cancel` within two minutes cancels. */
import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/review.js';
import type { ReviewInput, ReviewState, Step } from '../../src/engine/types.js';
import { loadFixture, type InputWithoutActor } from './helpers.js';

const flow = loadFixture('mini.yaml');
const START = Date.UTC(2025, 0, 6, 9, 0, 0);

/** A review started at START by U1, and a way to send inputs at a number of seconds after it. */
function review() {
  let state: ReviewState = startReview(flow, { id: 'R1', systemName: 'Test system', startedBy: 'U1', at: new Date(START).toISOString() }).state;
  let ts = 0;
  return {
    get state() {
      return state;
    },
    send(input: InputWithoutActor, by: string, seconds: number): Step {
      const messageTs = input.type === 'reply' ? { messageTs: `1736154000.${String(++ts).padStart(6, '0')}` } : {};
      const step = applyInput(flow, state, { ...input, ...messageTs, by, at: new Date(START + seconds * 1000).toISOString() } as ReviewInput);
      state = step.state;
      return step;
    },
  };
}

describe('cancel', () => {
  it('asks first: the review goes on, waiting on the same question, with the request kept in its state', () => {
    const r = review();
    const before = r.state;
    const step = r.send({ type: 'cancel' }, 'U2', 10);
    expect(step).toMatchObject({ changed: true, effects: [{ type: 'cancel_requested' }] });
    expect(r.state).toMatchObject({ status: 'active', currentQuestionId: before.currentQuestionId, cancelRequest: { by: 'U2', at: '2025-01-06T09:00:10.000Z' } });
    expect(r.state.finishedAt).toBeUndefined();
    expect(r.state.history).toEqual(before.history);
  });

  it('cancels on the same person’s second `cancel` within 2 minutes, naming them in the history', () => {
    const r = review();
    r.send({ type: 'cancel' }, 'U2', 10);
    const step = r.send({ type: 'cancel' }, 'U2', 130);
    expect(step.effects).toEqual([{ type: 'cancelled' }]);
    expect(r.state).toMatchObject({ status: 'cancelled', currentQuestionId: null, finishedAt: '2025-01-06T09:02:10.000Z' });
    expect(r.state.cancelRequest).toBeUndefined();
    expect(r.state.history.at(-1)).toEqual({ at: '2025-01-06T09:02:10.000Z', by: 'U2', action: 'cancel', before: 'active', after: 'cancelled' });
  });

  it('asks again when the second `cancel` comes after the 2 minutes, timed by the inputs', () => {
    const r = review();
    r.send({ type: 'cancel' }, 'U1', 10);
    expect(r.send({ type: 'cancel' }, 'U1', 131).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(r.state).toMatchObject({ status: 'active', cancelRequest: { by: 'U1', at: '2025-01-06T09:02:11.000Z' } });
    // The new request has its own window.
    expect(r.send({ type: 'cancel' }, 'U1', 200).effects).toEqual([{ type: 'cancelled' }]);
  });

  it('is not confirmed by someone else: their `cancel` asks them in turn', () => {
    const r = review();
    r.send({ type: 'cancel' }, 'U1', 10);
    expect(r.send({ type: 'cancel' }, 'U2', 20).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(r.state).toMatchObject({ status: 'active', cancelRequest: { by: 'U2' } });
    // Nor reset by it: U1's own second `cancel` still confirms theirs.
    expect(r.send({ type: 'cancel' }, 'U1', 30).effects).toEqual([{ type: 'cancelled' }]);
    expect(r.state.history.at(-1)).toMatchObject({ by: 'U1', action: 'cancel' });
  });

  it('is dropped by anything else its author sends, even a refused input: the review goes on as it was', () => {
    for (const other of [{ type: 'reply', text: 'Drafts replies to tickets' }, { type: 'skip' }, { type: 'resume' }, { type: 'pause' }] as InputWithoutActor[]) {
      const r = review();
      r.send({ type: 'cancel' }, 'U1', 10);
      const step = r.send(other, 'U1', 20);
      expect(step.changed).toBe(true);
      expect(r.state.cancelRequest).toBeUndefined();
      expect(r.state.status).not.toBe('cancelled');
      if (r.state.status === 'paused') r.send({ type: 'resume' }, 'U1', 25);
      expect(r.send({ type: 'cancel' }, 'U1', 30).effects).toEqual([{ type: 'cancel_requested' }]);
      expect(r.state.status).toBe('active');
    }
  });

  it('is kept while others answer, and confirmed after', () => {
    const r = review();
    r.send({ type: 'cancel' }, 'U1', 10);
    expect(r.send({ type: 'reply', text: 'Drafts replies to tickets' }, 'U2', 20).effects.map((effect) => effect.type)).toContain('recorded');
    expect(r.state.cancelRequest).toEqual({ by: 'U1', at: '2025-01-06T09:00:10.000Z' });
    expect(r.send({ type: 'cancel' }, 'U1', 40).effects).toEqual([{ type: 'cancelled' }]);
    // The answer given meanwhile is kept.
    expect(r.state.answers.system?.by).toBe('U2');
  });

  it('is dropped when the review ends otherwise (finished by someone else)', () => {
    const r = review();
    r.send({ type: 'cancel' }, 'U1', 10);
    expect(r.send({ type: 'finish' }, 'U2', 20).effects).toEqual([{ type: 'completed' }]);
    expect(r.state.cancelRequest).toBeUndefined();
    expect(r.send({ type: 'cancel' }, 'U1', 30).effects).toEqual([{ type: 'not_active', status: 'completed' }]);
  });

  it('confirms on a state that went through JSON, as another replica or a restart reads it', () => {
    const r = review();
    r.send({ type: 'cancel' }, 'U1', 10);
    const stored = JSON.parse(JSON.stringify(r.state)) as ReviewState;
    const step = applyInput(flow, stored, { type: 'cancel', by: 'U1', at: '2025-01-06T09:01:00.000Z' });
    expect(step.effects).toEqual([{ type: 'cancelled' }]);
  });

  it('while paused asks too, and a confirmed one cancels the paused review', () => {
    const r = review();
    r.send({ type: 'pause' }, 'U1', 5);
    expect(r.send({ type: 'cancel' }, 'U1', 10).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(r.state.status).toBe('paused');
    expect(r.send({ type: 'cancel' }, 'U1', 20).effects).toEqual([{ type: 'cancelled' }]);
    expect(r.state.history.at(-1)).toMatchObject({ action: 'cancel', before: 'paused' });
  });
});
