/** What the thread shows for a `cancel` waiting to be confirmed, a confirmed one, and a reply in a finished review. */
import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import type { ReviewInput, ReviewState, Step } from '../../src/engine/types.js';
import { CANCEL_CONFIRM, renderStep } from '../../src/reviews/render-step.js';
import { loadFlows } from '../../src/flows/load.js';
import { rootMessage } from '../../src/slack/blocks/root-message.js';
import { REPO_ROOT } from '../support/app-process.js';
import type { InputWithoutActor } from '../engine/helpers.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const placement = { teamId: 'T0001', channelId: 'C0REVIEWS', threadTs: '1700000000.000100' };

type Op = { op: string; ref?: string; user?: string; text?: string; blocks?: unknown[] };

class Review {
  before: ReviewState;
  step: Step;

  constructor() {
    this.step = startReview(flow, { id: 'RCAN0001', systemName: 'Ticket router', startedBy: 'U0ALICE', at: '2024-03-05T14:00:00.000Z' });
    this.before = this.step.state;
  }

  send(input: InputWithoutActor, by: string, at: string): Op[] {
    this.before = this.step.state;
    this.step = applyInput(flow, this.before, { ...input, by, at } as ReviewInput);
    return renderStep({ flow, placement, before: this.before, step: this.step, actor: by, inputType: input.type, modelConfigured: false }) as Op[];
  }
}

describe('a typed cancel', () => {
  it('is answered only privately, to whoever typed it, and changes no message', () => {
    const review = new Review();
    const ops = review.send({ type: 'cancel' }, 'U0BOB', '2024-03-05T14:05:00.000Z');
    expect(ops).toEqual([{ op: 'ephemeral', user: 'U0BOB', text: CANCEL_CONFIRM }]);
    expect(CANCEL_CONFIRM).toBe('Cancel this review? Reply `cancel` again within 2 minutes to confirm; the answers so far are kept.');
  });

  it('once confirmed, cancels, and the root message says who cancelled and when (UTC)', () => {
    const review = new Review();
    review.send({ type: 'cancel' }, 'U0BOB', '2024-03-05T14:05:00.000Z');
    const ops = review.send({ type: 'cancel' }, 'U0BOB', '2024-03-05T14:06:30.000Z');
    expect(ops.find((op) => op.op === 'post')?.text).toContain('Review cancelled.');
    const root = ops.find((op) => op.op === 'update' && op.ref === 'root');
    expect(JSON.stringify(root?.blocks)).toContain('*Cancelled* by <@U0BOB> on 2024-03-05 14:06 UTC.');
  });

  it('says only what it knows in the root message of an old cancelled review', () => {
    const base = { systemName: 'Ticket router', startedBy: 'U0ALICE', flow, questionCount: 8, reviewId: 'RCAN0001', status: 'cancelled' as const };
    expect(JSON.stringify(rootMessage({ ...base, cancelled: { at: '2024-03-05T14:06:30.000Z' } }).blocks)).toContain('*Cancelled* on 2024-03-05 14:06 UTC.');
    expect(JSON.stringify(rootMessage(base).blocks)).toContain('*Cancelled*.');
  });
});

describe('a reply in a finished review', () => {
  it('is answered privately to its writer, not in the thread', () => {
    const review = new Review();
    review.send({ type: 'finish' }, 'U0ALICE', '2024-03-05T14:10:00.000Z');
    for (const [by, text] of [['U0BOB', 'one more thing'], ['U0CAROL', 'and another']] as const) {
      const ops = review.send({ type: 'reply', text, messageTs: '1709647800.000100' }, by, '2024-03-05T14:11:00.000Z');
      expect(ops).toEqual([{ op: 'ephemeral', user: by, text: 'This review is finished: the summary is above. You can still edit an answer you gave.' }]);
    }
  });
});

describe('a reply in a cancelled review', () => {
  it('is answered privately to its writer, not in the thread', () => {
    const review = new Review();
    review.send({ type: 'cancel' }, 'U0ALICE', '2024-03-05T14:10:00.000Z');
    review.send({ type: 'cancel' }, 'U0ALICE', '2024-03-05T14:10:30.000Z');
    expect(review.step.state.status).toBe('cancelled');
    const ops = review.send({ type: 'reply', text: 'one more thing', messageTs: '1709647800.000100' }, 'U0BOB', '2024-03-05T14:11:00.000Z');
    expect(ops).toEqual([{ op: 'ephemeral', user: 'U0BOB', text: 'This review was cancelled.' }]);
  });
});
