import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import { renderStep } from '../../src/reviews/render-step.js';
import { loadFlows } from '../../src/flows/load.js';
import { REPO_ROOT } from '../support/app-process.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const placement = { teamId: 'T0001', channelId: 'C0REVIEWS', threadTs: '1700000000.000100' };

describe('the messages of an answered question', () => {
  it('posts the next question before the answered one is updated in place', () => {
    const before = startReview(flow, { id: 'RORDER01', systemName: 'Order', startedBy: 'U0ALICE', at: '2024-01-01T00:00:00.000Z' }).state;
    const first = before.currentQuestionId!;
    const step = applyInput(flow, before, { type: 'reply', text: 'People get help faster, and fairly, whoever they are.', messageTs: '1700000001.000100', by: 'U0ALICE', at: '2024-01-01T00:00:01.000Z' });
    expect(step.effects.map((effect) => effect.type)).toEqual(['recorded', 'ask']);
    const ops = renderStep({ flow, placement, before, step, actor: 'U0ALICE', modelConfigured: false }) as { op: string; ref?: string }[];
    expect(ops.map((op) => [op.op, op.ref])).toEqual([
      ['post', `q:${step.state.currentQuestionId}`],
      ['update', `q:${first}`],
    ]);
  });
});

describe('an input that reaches a review no longer active', () => {
  const started = startReview(flow, { id: 'RORDER02', systemName: 'Order', startedBy: 'U0ALICE', at: '2024-01-01T00:00:00.000Z' }).state;
  const paused = applyInput(flow, started, { type: 'pause', by: 'U0ALICE', at: '2024-01-01T00:00:01.000Z' }).state;
  const at = '2024-01-01T00:00:02.000Z';

  it('a click queued before the pause is refused to the person who clicked, not in the thread', () => {
    const questionId = started.currentQuestionId!;
    const optionId = flow.questions.find((question) => question.id === questionId)!.options[0]?.id ?? 'x';
    const step = applyInput(flow, paused, { type: 'choose', questionId, optionIds: [optionId], by: 'U0BOB', at });
    expect(step.effects.map((effect) => effect.type)).toEqual(['not_active']);
    const ops = renderStep({ flow, placement, before: paused, step, actor: 'U0BOB', inputType: 'choose', modelConfigured: false });
    expect(ops).toEqual([{ op: 'ephemeral', user: 'U0BOB', text: 'This review is paused. Type *resume* to go on.' }]);
  });

  it('a typed reply is answered in the thread, where it was written', () => {
    const step = applyInput(flow, paused, { type: 'reply', text: 'An answer typed while paused.', messageTs: '1700000002.000100', by: 'U0BOB', at });
    const ops = renderStep({ flow, placement, before: paused, step, actor: 'U0BOB', inputType: 'reply', modelConfigured: false }) as { op: string; text: string }[];
    expect(ops.map((op) => [op.op, op.text])).toEqual([['post', 'This review is paused. Type *resume* to go on.']]);
  });
});

describe('a pause', () => {
  it('takes the buttons off the question the review waits on; resume asks it again below', () => {
    const started = startReview(flow, { id: 'RORDER03', systemName: 'Order', startedBy: 'U0ALICE', at: '2024-01-01T00:00:00.000Z' }).state;
    const waiting = started.currentQuestionId!;
    const pause = applyInput(flow, started, { type: 'pause', by: 'U0ALICE', at: '2024-01-01T00:00:01.000Z' });
    const ops = renderStep({ flow, placement, before: started, step: pause, actor: 'U0ALICE', inputType: 'pause', modelConfigured: false }) as { op: string; ref?: string; blocks?: unknown[] }[];
    const update = ops.find((op) => op.op === 'update' && op.ref === `q:${waiting}`);
    expect(update).toBeDefined();
    expect(JSON.stringify(update!.blocks)).not.toContain('"actions"');
    expect(JSON.stringify(update!.blocks)).toContain('asked again when it is resumed');

    const resume = applyInput(flow, pause.state, { type: 'resume', by: 'U0ALICE', at: '2024-01-01T00:00:02.000Z' });
    const again = renderStep({ flow, placement, before: pause.state, step: resume, actor: 'U0ALICE', inputType: 'resume', modelConfigured: false }) as { op: string; ref?: string }[];
    expect(again.filter((op) => op.ref === `q:${waiting}`).map((op) => op.op)).toEqual(['update', 'post']);
  });
});
