import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import type { Flow, ReviewInput, ReviewState, Step } from '../../src/engine/types.js';
import { renderStep } from '../../src/reviews/render-step.js';
import { loadFlows } from '../../src/flows/load.js';
import { REPO_ROOT } from '../support/app-process.js';
import type { InputWithoutActor } from '../engine/helpers.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const placement = { teamId: 'T0001', channelId: 'C0REVIEWS', threadTs: '1700000000.000100' };

type Op = { op: string; ref?: string; text?: string; blocks?: unknown[] };

/** Drives a review through the engine, keeping the last step and the state before it. */
class Review {
  before: ReviewState;
  step: Step;
  private seconds = 1;

  constructor(private readonly reviewFlow: Flow = flow) {
    this.step = startReview(reviewFlow, { id: 'ROLD0001', systemName: 'Old copies', startedBy: 'U0ALICE', at: '2024-01-01T00:00:00.000Z' });
    this.before = this.step.state;
  }

  send(input: InputWithoutActor): Op[] {
    this.before = this.step.state;
    const at = new Date(Date.UTC(2024, 0, 1, 0, 0, this.seconds++)).toISOString();
    this.step = applyInput(this.reviewFlow, this.before, { ...input, by: 'U0ALICE', at } as ReviewInput);
    return renderStep({ flow: this.reviewFlow, placement, before: this.before, step: this.step, actor: 'U0ALICE', modelConfigured: false }) as Op[];
  }
}

const hasButtons = (op: Op) => JSON.stringify(op.blocks ?? []).includes('"type":"actions"');

describe('the messages of a question asked again', () => {
  it('strike the earlier copy through before the new one is posted, behind a note so the new copy is not the step’s first post', () => {
    const review = new Review();
    review.send({ type: 'reply', text: 'Customers want their problem solved quickly and correctly.', messageTs: '1700000001.000100' });
    review.send({ type: 'reply', text: 'Fewer tickets reaching human agents each week.', messageTs: '1700000002.000100' });
    review.send({ type: 'choose', questionId: 'gaming', optionIds: ['written'] });
    const ops = review.send({ type: 'back' });
    expect(ops.map((op) => [op.op, op.ref])).toEqual([
      ['update', 'q:acts'],
      ['post', undefined],
      ['update', 'q:gaming'],
      ['post', 'q:gaming'],
    ]);
    expect(ops[1]!.text).toContain('Back to question 3');
    // The earlier copy no longer shows the answer about to be replaced, nor buttons.
    expect(JSON.stringify(ops[2]!.blocks)).toContain('asked again below');
    expect(JSON.stringify(ops[2]!.blocks)).not.toContain(':white_check_mark:');
    expect(hasButtons(ops[2]!)).toBe(false);
    expect(hasButtons(ops[3]!)).toBe(true);
  });

  it('on resume, strike the paused copy through after the "Resumed." note', () => {
    const review = new Review();
    review.send({ type: 'pause' });
    const ops = review.send({ type: 'resume' });
    const first = review.step.state.currentQuestionId;
    expect(ops.map((op) => [op.op, op.ref])).toEqual([
      ['post', undefined],
      ['update', 'root'],
      ['update', `q:${first}`],
      ['post', `q:${first}`],
    ]);
    expect(hasButtons(ops[2]!)).toBe(false);
  });

  it('leave a first question alone: nothing to strike through', () => {
    const review = new Review();
    const ops = review.send({ type: 'reply', text: 'Customers want their problem solved quickly and correctly.', messageTs: '1700000001.000100' });
    expect(ops.filter((op) => op.op === 'update').map((op) => op.ref)).toEqual(['q:human_goal']);
  });
});

describe('the question a review waited on when it ended', () => {
  it('loses its buttons when the review is cancelled', () => {
    const review = new Review();
    // The first `cancel` only asks to be confirmed: the question keeps its buttons.
    expect(review.send({ type: 'cancel' }).filter((op) => op.op === 'update')).toEqual([]);
    const ops = review.send({ type: 'cancel' });
    const update = ops.find((op) => op.op === 'update' && op.ref === 'q:human_goal');
    expect(update).toBeDefined();
    expect(hasButtons(update!)).toBe(false);
    expect(JSON.stringify(update!.blocks)).toContain('cancelled');
  });
});

describe('the note after an edit', () => {
  it('adds no full stop after a quoted prompt that ends in punctuation, and one after a prompt that does not', () => {
    const review = new Review();
    review.send({ type: 'reply', text: 'Customers want their problem solved quickly and correctly.', messageTs: '1700000001.000100' });
    const ops = review.send({ type: 'edit', messageTs: '1700000001.000100', text: 'Customers want their problem solved, and to feel heard.' });
    const note = ops.find((op) => op.op === 'post')!;
    expect(note.text).toMatch(/Put it in their words\.”$/);

    const bare = { ...flow, questions: flow.questions.map((question) => (question.id === 'human_goal' ? { ...question, prompt: 'What people want from it' } : question)) };
    const other = new Review(bare);
    other.send({ type: 'reply', text: 'Customers want their problem solved quickly and correctly.', messageTs: '1700000001.000100' });
    const bareNote = other.send({ type: 'edit', messageTs: '1700000001.000100', text: 'Customers want their problem solved, and to feel heard.' }).find((op) => op.op === 'post')!;
    expect(bareNote.text).toMatch(/want from it”\.$/);
  });
});
