import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/review.js';
import { applicableQuestions, currentQuestion } from '../../src/engine/questions.js';
import { REVIEW_SCHEMA_VERSION, type ReviewInput } from '../../src/engine/types.js';
import { Driver, effectTypes, loadFixture, type InputWithoutActor } from './helpers.js';

const flow = loadFixture('mini.yaml');
/** Replies that take the mini flow to the `actions` question. */
const INTRO = ['Drafts replies to tickets', 'Quick, correct answers', 'Fewest minutes per ticket', 'Tickets closed per hour'];

describe('startReview', () => {
  it('starts active on the first question with a start entry in the history', () => {
    const step = startReview(flow, { id: 'R9', systemName: 'Support bot', startedBy: 'U7', at: '2025-02-01T10:00:00.000Z' });
    expect(step.changed).toBe(true);
    expect(step.effects).toEqual([{ type: 'ask', questionId: 'system' }]);
    expect(step.state).toEqual({
      schema: REVIEW_SCHEMA_VERSION,
      id: 'R9',
      flowId: 'mini',
      flowVersion: 3,
      systemName: 'Support bot',
      startedBy: 'U7',
      startedAt: '2025-02-01T10:00:00.000Z',
      status: 'active',
      currentQuestionId: 'system',
      asked: ['system'],
      answers: {},
      extraQuestions: [],
      suggestions: [],
      redTeam: [],
      history: [{ at: '2025-02-01T10:00:00.000Z', by: 'U7', action: 'start' }],
    });
    expect(currentQuestion(flow, step.state)?.id).toBe('system');
  });
});

describe('reply', () => {
  it('stores the answer with who, when and the message, and asks the next question', () => {
    const review = new Driver(flow);
    const ts = review.nextTs;
    const step = review.reply('  Drafts replies to tickets ', 'U2');
    expect(step.changed).toBe(true);
    expect(step.effects).toEqual([
      { type: 'recorded', questionId: 'system' },
      { type: 'ask', questionId: 'goal' },
    ]);
    expect(review.state.answers.system).toEqual({
      questionId: 'system',
      value: { kind: 'text', text: 'Drafts replies to tickets' },
      by: 'U2',
      at: '2025-01-06T09:01:00.000Z',
      messageTs: ts,
    });
    expect(review.state.history.at(-1)).toEqual({
      at: '2025-01-06T09:01:00.000Z',
      by: 'U2',
      action: 'answer',
      questionId: 'system',
      before: null,
      after: { kind: 'text', text: 'Drafts replies to tickets' },
    });
  });

  it('asks for proxy-failure suggestions after asking the next question', () => {
    const review = new Driver(flow);
    review.replies(...INTRO.slice(0, 3));
    expect(review.reply('Tickets closed per hour').effects).toEqual([
      { type: 'recorded', questionId: 'metric' },
      { type: 'ask', questionId: 'actions' },
      { type: 'suggest', kind: 'proxy-failures', afterQuestionId: 'metric' },
    ]);
  });

  it('keeps the question on an invalid reply and says what is valid', () => {
    const review = new Driver(flow);
    review.replies(...INTRO, '2');
    const before = review.state;
    const step = review.reply('perhaps');
    expect(step).toEqual({
      state: before,
      changed: false,
      effects: [
        {
          type: 'invalid',
          questionId: 'approval',
          message: '"perhaps" is not one of the answers. The answers are:\n1. Yes\n2. No\n3. Not sure\nReply with a number, or words from one answer.',
        },
      ],
    });
  });

  it('calls a reply meant for another question stale', () => {
    const review = new Driver(flow);
    const step = review.send({ type: 'reply', text: 'anything', questionId: 'goal' });
    expect(step.changed).toBe(false);
    expect(effectTypes(step.effects)).toEqual(['stale']);
  });

  it('completes after the last applicable question', () => {
    const review = new Driver(flow);
    const step = review.replies(...INTRO, '1', 'yes', 'basic', '1');
    expect(step.effects).toEqual([{ type: 'recorded', questionId: 'severity' }, { type: 'completed' }]);
    expect(review.state.status).toBe('completed');
    expect(review.state.currentQuestionId).toBeNull();
    expect(review.state.finishedAt).toBe(review.state.history.at(-1)!.at);
    expect(review.state.history.at(-1)!.action).toBe('complete');
    // The read-only branch never asked about approval or rollback.
    expect(review.state.asked).toEqual(['system', 'goal', 'objective', 'metric', 'actions', 'gaming', 'tested', 'severity']);
  });
});

describe('choose', () => {
  it('answers the current question with option ids', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const step = review.send({ type: 'choose', questionId: 'actions', optionIds: ['code', 'messages'] });
    expect(effectTypes(step.effects)).toEqual(['recorded', 'ask']);
    expect(review.state.answers.actions!.value).toEqual({ kind: 'options', optionIds: ['messages', 'code'] });
    expect(review.state.answers.actions!.messageTs).toBeUndefined();
  });

  it('refuses stale buttons and wrong counts without changing anything', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const before = review.state;
    expect(review.send({ type: 'choose', questionId: 'metric', optionIds: ['x'] }).effects[0]!.type).toBe('stale');
    expect(review.send({ type: 'choose', questionId: 'actions', optionIds: ['teleport'] }).effects[0]!.type).toBe('stale');
    expect(review.send({ type: 'choose', questionId: 'actions', optionIds: [] }).effects[0]).toMatchObject({ type: 'invalid', questionId: 'actions' });
    review.send({ type: 'choose', questionId: 'actions', optionIds: ['code'] });
    review.reply('yes');
    review.reply('yes');
    expect(review.send({ type: 'choose', questionId: 'gaming', optionIds: ['yes', 'no'] }).effects[0]!.type).toBe('invalid');
    expect(before.currentQuestionId).toBe('actions');
  });
});

describe('skip', () => {
  it('records any question as skipped and moves on', () => {
    const review = new Driver(flow);
    const step = review.send({ type: 'skip' });
    expect(step.effects).toEqual([
      { type: 'recorded', questionId: 'system' },
      { type: 'ask', questionId: 'goal' },
    ]);
    expect(review.state.answers.system!.value).toEqual({ kind: 'skipped' });
    expect(review.state.history.at(-1)).toMatchObject({ action: 'skip', questionId: 'system', before: null, after: { kind: 'skipped' } });
  });

  it('makes no suggestion for a skipped metric', () => {
    const review = new Driver(flow);
    review.replies(...INTRO.slice(0, 3));
    expect(effectTypes(review.send({ type: 'skip' }).effects)).toEqual(['recorded', 'ask']);
  });
});

describe('back', () => {
  it('has nothing to go back to on the first question', () => {
    const review = new Driver(flow);
    expect(review.send({ type: 'back' })).toMatchObject({ changed: false, effects: [{ type: 'nothing_to_go_back_to' }] });
  });

  it('re-asks the previous question, keeping its answer until it is replaced', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const step = review.send({ type: 'back' });
    expect(step.effects).toEqual([
      { type: 'went_back', questionId: 'metric' },
      { type: 'ask', questionId: 'metric' },
    ]);
    expect(review.current).toBe('metric');
    expect(review.state.answers.metric!.value).toEqual({ kind: 'text', text: 'Tickets closed per hour' });
    expect(review.state.history.at(-1)).toMatchObject({ action: 'back', questionId: 'metric' });

    review.send({ type: 'back' });
    expect(review.current).toBe('objective');
    review.reply('Resolve tickets correctly');
    expect(review.state.history.at(-1)).toMatchObject({
      action: 'answer',
      questionId: 'objective',
      before: { kind: 'text', text: 'Fewest minutes per ticket' },
      after: { kind: 'text', text: 'Resolve tickets correctly' },
    });
    // Already answered questions are not asked again: on to the first unanswered one.
    expect(review.current).toBe('actions');
  });

  it('passes over questions that no longer apply', () => {
    const review = new Driver(flow);
    review.replies(...INTRO, 'code', 'yes', 'yes');
    expect(review.current).toBe('gaming');
    review.send({ type: 'back' });
    review.send({ type: 'back' });
    review.send({ type: 'back' });
    expect(review.current).toBe('actions');
    review.reply('1');
    expect(review.current).toBe('gaming');
    // approval and rollback no longer apply: back goes straight to actions.
    review.send({ type: 'back' });
    expect(review.current).toBe('actions');
    // Their answers are kept in the state.
    expect(Object.keys(review.state.answers)).toContain('approval');
  });
});

describe('edit', () => {
  it('replaces the answer carried by the edited message', () => {
    const review = new Driver(flow);
    const ts = review.nextTs;
    review.replies('Drafts replies');
    const step = review.send({ type: 'edit', messageTs: ts, text: 'Drafts and sends replies' }, 'U1');
    expect(step.effects).toEqual([{ type: 'edited', questionId: 'system' }]);
    expect(review.state.answers.system).toMatchObject({ value: { kind: 'text', text: 'Drafts and sends replies' }, messageTs: ts });
    expect(review.state.history.at(-1)).toMatchObject({
      action: 'edit',
      questionId: 'system',
      before: { kind: 'text', text: 'Drafts replies' },
      after: { kind: 'text', text: 'Drafts and sends replies' },
    });
    expect(review.current).toBe('goal');
  });

  it('ignores unknown messages and invalid text', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const ts = review.nextTs;
    review.reply('2');
    expect(review.send({ type: 'edit', messageTs: '1.000000', text: 'x' })).toMatchObject({
      changed: false,
      effects: [{ type: 'edit_ignored', reason: 'unknown_message' }],
    });
    const invalid = review.send({ type: 'edit', messageTs: ts, text: 'teleports' });
    expect(invalid.changed).toBe(false);
    expect(invalid.effects[0]).toMatchObject({ type: 'edit_ignored', reason: 'invalid' });
    expect((invalid.effects[0] as { message: string }).message).toMatch(/^"teleports" is not one of the answers\. The answers are:\n1\. /);
  });

  it('changes nothing when the text means the same answer', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const ts = review.nextTs;
    review.reply('2');
    expect(review.send({ type: 'edit', messageTs: ts, text: 'Sends messages or emails' })).toMatchObject({ changed: false, effects: [] });
  });

  it('updates what was written after an answer, and the history says what it was', () => {
    const review = new Driver(flow);
    review.replies(...INTRO, '2');
    const ts = review.nextTs;
    review.reply('Yes — the team lead approves each send');
    expect(review.state.answers.approval!.value).toEqual({ kind: 'options', optionIds: ['yes'], detail: 'the team lead approves each send' });
    const step = review.send({ type: 'edit', messageTs: ts, text: 'Yes — the on-call lead approves each send' });
    expect(step.effects).toEqual([{ type: 'edited', questionId: 'approval' }]);
    expect(review.state.answers.approval).toMatchObject({ value: { kind: 'options', optionIds: ['yes'], detail: 'the on-call lead approves each send' }, messageTs: ts });
    expect(review.state.history.at(-1)).toMatchObject({
      action: 'edit',
      questionId: 'approval',
      before: { kind: 'options', optionIds: ['yes'], detail: 'the team lead approves each send' },
      after: { kind: 'options', optionIds: ['yes'], detail: 'the on-call lead approves each send' },
    });
    // An edit down to the bare answer drops the detail; the same text again changes nothing.
    expect(review.send({ type: 'edit', messageTs: ts, text: 'yes' }).effects).toEqual([{ type: 'edited', questionId: 'approval' }]);
    expect(review.state.answers.approval!.value).toEqual({ kind: 'options', optionIds: ['yes'] });
    expect(review.send({ type: 'edit', messageTs: ts, text: 'Yes.' })).toMatchObject({ changed: false, effects: [] });
  });

  it('gives an answer stored without a detail the one its reply had, when the reply is edited', () => {
    const review = new Driver(flow);
    review.replies(...INTRO, '2');
    const ts = review.nextTs;
    review.reply('No - it sends them straight away');
    // As a state stored before details were kept has it.
    const stored = review.state.answers.approval!;
    review.state = { ...review.state, answers: { ...review.state.answers, approval: { ...stored, value: { kind: 'options', optionIds: ['no'] } } } };
    review.send({ type: 'edit', messageTs: ts, text: 'No - it sends them straight away, unreviewed' });
    expect(review.state.answers.approval!.value).toEqual({ kind: 'options', optionIds: ['no'], detail: 'it sends them straight away, unreviewed' });
  });

  it('keeps answers of questions that stop applying, and moves on when the waiting question stops applying', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const actionsTs = review.nextTs;
    review.replies('2', 'no');
    expect(review.current).toBe('rollback');
    const step = review.send({ type: 'edit', messageTs: actionsTs, text: 'only suggests' });
    expect(step.effects).toEqual([
      { type: 'edited', questionId: 'actions' },
      { type: 'ask', questionId: 'gaming' },
    ]);
    expect(review.state.answers.approval!.value).toEqual({ kind: 'options', optionIds: ['no'] });
    expect(applicableQuestions(flow, review.state).map((q) => q.id)).not.toContain('approval');
  });

  it('reopens a completed review when the edit makes a new question apply', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const actionsTs = review.nextTs;
    review.replies('1', 'yes', 'basic', '1');
    expect(review.state.status).toBe('completed');
    const step = review.send({ type: 'edit', messageTs: actionsTs, text: 'runs code' });
    expect(step.effects).toEqual([
      { type: 'edited', questionId: 'actions' },
      { type: 'ask', questionId: 'approval' },
    ]);
    expect(review.state.status).toBe('active');
    expect(review.state.finishedAt).toBeUndefined();
    expect(review.state.history.slice(-2).map((entry) => entry.action)).toEqual(['edit', 'resume']);
    review.replies('yes', 'yes');
    expect(review.state.status).toBe('completed');
  });

  it('leaves a completed review completed when the edit opens nothing new', () => {
    const review = new Driver(flow);
    const ts = review.nextTs;
    review.replies(...INTRO, '1', 'yes', 'basic', '1');
    expect(review.send({ type: 'edit', messageTs: ts, text: 'Drafts replies only' }).effects).toEqual([{ type: 'edited', questionId: 'system' }]);
    expect(review.state.status).toBe('completed');
  });

  it('is accepted while paused and after a cancel, without asking anything', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    const actionsTs = review.nextTs;
    review.replies('2');
    review.send({ type: 'pause' });
    expect(review.send({ type: 'edit', messageTs: actionsTs, text: '1' }).effects).toEqual([{ type: 'edited', questionId: 'actions' }]);
    // approval stopped applying; resume asks the next applicable question.
    expect(review.send({ type: 'resume' }).effects).toEqual([{ type: 'resumed' }, { type: 'ask', questionId: 'gaming' }]);
    review.send({ type: 'cancel' });
    review.send({ type: 'cancel' });
    expect(review.send({ type: 'edit', messageTs: actionsTs, text: '2' }).effects).toEqual([{ type: 'edited', questionId: 'actions' }]);
    expect(review.state.status).toBe('cancelled');
  });
});

describe('pause, resume, cancel, finish', () => {
  it('pauses: answers change nothing until resumed, which asks the waiting question again', () => {
    const review = new Driver(flow);
    review.replies('Drafts replies');
    expect(review.send({ type: 'pause' }).effects).toEqual([{ type: 'paused' }]);
    const inputs: InputWithoutActor[] = [{ type: 'reply', text: 'x' }, { type: 'skip' }, { type: 'back' }, { type: 'choose', questionId: 'goal', optionIds: ['x'] }];
    for (const input of inputs) {
      expect(review.send(input)).toMatchObject({ changed: false, effects: [{ type: 'not_active', status: 'paused' }] });
    }
    expect(review.send({ type: 'pause' }).changed).toBe(false);
    expect(review.send({ type: 'resume' }).effects).toEqual([{ type: 'resumed' }, { type: 'ask', questionId: 'goal' }]);
    expect(review.send({ type: 'resume' })).toMatchObject({ changed: false, effects: [{ type: 'stale' }] });
    expect(review.state.history.map((entry) => entry.action)).toEqual(['start', 'answer', 'pause', 'resume']);
  });

  it('cancels: only edits and red-team scenarios are accepted afterwards', () => {
    const review = new Driver(flow);
    expect(review.send({ type: 'cancel' }).effects).toEqual([{ type: 'cancel_requested' }]);
    expect(review.send({ type: 'cancel' }).effects).toEqual([{ type: 'cancelled' }]);
    expect(review.state).toMatchObject({ status: 'cancelled', currentQuestionId: null });
    const inputs: InputWithoutActor[] = [{ type: 'reply', text: 'x' }, { type: 'resume' }, { type: 'finish' }, { type: 'decide', outcome: 'approved' }];
    for (const input of inputs) {
      expect(review.send(input)).toMatchObject({ changed: false, effects: [{ type: 'not_active', status: 'cancelled' }] });
    }
    expect(review.send({ type: 'add_redteam', scenarios: [{ kind: 'wrong_proxy', scenario: 'Closes tickets unanswered.' }] }).changed).toBe(true);
  });

  it('finishes early: completed, with the unanswered questions left open', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    expect(review.send({ type: 'finish' }).effects).toEqual([{ type: 'completed' }]);
    expect(review.state).toMatchObject({ status: 'completed', currentQuestionId: null });
    expect(review.state.history.at(-1)!.action).toBe('finish');
    expect(review.send({ type: 'reply', text: '1' }).effects).toEqual([{ type: 'not_active', status: 'completed' }]);
  });
});

describe('suggested questions', () => {
  const add = (afterQuestionId: string, ...ids: string[]): Omit<Extract<ReviewInput, { type: 'add_questions' }>, 'by' | 'at'> => ({
    type: 'add_questions',
    afterQuestionId,
    questions: ids.map((id) => ({ id, prompt: `Clarify ${id}?` })),
  });

  it('are asked right after the question they follow, before the one the review waits on', () => {
    const review = new Driver(flow);
    review.replies(...INTRO, '1');
    expect(review.current).toBe('gaming');
    const step = review.send(add('metric', 'clarify-1', 'clarify-2'));
    expect(step.effects).toEqual([
      { type: 'questions_added', questionIds: ['clarify-1', 'clarify-2'] },
      { type: 'ask', questionId: 'clarify-1' },
    ]);
    expect(review.state.extraQuestions[0]).toMatchObject({ id: 'clarify-1', kind: 'text', optional: true, suggested: true, afterQuestionId: 'metric' });
    expect(applicableQuestions(flow, review.state).map((q) => q.id).slice(3, 7)).toEqual(['metric', 'clarify-1', 'clarify-2', 'actions']);
    expect(review.state.history.at(-1)).toMatchObject({ action: 'questions_added', questionId: 'clarify-2' });
    review.reply('Per agent, per hour');
    expect(review.current).toBe('clarify-2');
    review.send({ type: 'skip' });
    expect(review.current).toBe('gaming');
  });

  it('do not interrupt when they come after the waiting question', () => {
    const review = new Driver(flow);
    review.replies(...INTRO.slice(0, 2));
    expect(review.send(add('metric', 'clarify-1')).effects).toEqual([{ type: 'questions_added', questionIds: ['clarify-1'] }]);
    review.replies('Fewest minutes', 'Tickets per hour');
    expect(review.current).toBe('clarify-1');
  });

  it('refuse unknown anchors, reused ids and finished reviews', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    expect(review.send(add('nowhere', 'c1')).effects[0]!.type).toBe('stale');
    expect(review.send(add('metric', 'goal')).effects[0]!.type).toBe('stale');
    review.send(add('metric', 'c1'));
    expect(review.send(add('metric', 'c1')).changed).toBe(false);
    review.send({ type: 'finish' });
    expect(review.send(add('metric', 'c2')).effects).toEqual([{ type: 'not_active', status: 'completed' }]);
  });
});

describe('suggestions, verdicts, red team and decisions', () => {
  const suggestion = {
    id: 's1',
    title: 'Closing tickets without solving them',
    why: 'Closed tickets count, solved ones are not checked.',
    safeguard: 'Track reopen rate.',
    area: 'reward_misspecification' as const,
    source: 'offline' as const,
    afterQuestionId: 'metric',
  };

  it('stores suggestions once and records each verdict, keeping a changed one in the history', () => {
    const review = new Driver(flow);
    review.replies(...INTRO);
    expect(review.send({ type: 'add_suggestions', suggestions: [suggestion] }).effects).toEqual([{ type: 'suggestions_added', suggestionIds: ['s1'] }]);
    expect(review.send({ type: 'add_suggestions', suggestions: [suggestion] }).changed).toBe(false);
    expect(review.send({ type: 'verdict', suggestionId: 's1', relevant: true }, 'U3').effects).toEqual([{ type: 'verdict_recorded', suggestionId: 's1' }]);
    review.send({ type: 'verdict', suggestionId: 's1', relevant: false }, 'U4');
    expect(review.state.suggestions[0]!.verdict).toMatchObject({ relevant: false, by: 'U4' });
    expect(review.state.history.filter((entry) => entry.action === 'verdict')).toMatchObject([
      { by: 'U3', suggestionId: 's1', before: null, after: true },
      { by: 'U4', suggestionId: 's1', before: true, after: false },
    ]);
    expect(review.send({ type: 'verdict', suggestionId: 'nope', relevant: true }).effects[0]!.type).toBe('stale');
  });

  it('takes verdicts on a completed review, and refuses them on a cancelled one as stale (told only to who clicked)', () => {
    const finished = new Driver(flow);
    finished.replies(...INTRO);
    finished.send({ type: 'add_suggestions', suggestions: [suggestion] });
    finished.send({ type: 'finish' });
    expect(finished.send({ type: 'verdict', suggestionId: 's1', relevant: true }).effects).toEqual([{ type: 'verdict_recorded', suggestionId: 's1' }]);

    const cancelled = new Driver(flow);
    cancelled.replies(...INTRO);
    cancelled.send({ type: 'add_suggestions', suggestions: [suggestion] });
    cancelled.send({ type: 'cancel' });
    cancelled.send({ type: 'cancel' });
    expect(cancelled.state.status).toBe('cancelled');
    expect(cancelled.send({ type: 'verdict', suggestionId: 's1', relevant: true })).toMatchObject({ changed: false, effects: [{ type: 'stale' }] });
    expect(cancelled.state.suggestions[0]!.verdict).toBeUndefined();
  });

  it('takes red-team scenarios in any state and a decision only once completed', () => {
    const review = new Driver(flow);
    expect(review.send({ type: 'decide', outcome: 'approved' }).effects).toEqual([{ type: 'not_active', status: 'active' }]);
    review.send({ type: 'finish' });
    const scenarios = [{ kind: 'harmful_shortcut' as const, scenario: 'Refunds everyone to close tickets fast.' }];
    expect(review.send({ type: 'add_redteam', scenarios }).effects).toEqual([{ type: 'redteam_added' }]);
    expect(review.state.redTeam).toEqual(scenarios);
    expect(review.send({ type: 'decide', outcome: 'approved_with_conditions', conditions: 'Add a cap.' }, 'LEAD').effects).toEqual([{ type: 'decided' }]);
    review.send({ type: 'decide', outcome: 'changes_needed' }, 'LEAD');
    expect(review.state.decision).toEqual({ outcome: 'changes_needed', by: 'LEAD', at: review.state.history.at(-1)!.at });
    expect(review.state.history.slice(-2)).toMatchObject([
      { action: 'decision', before: null, after: 'approved_with_conditions' },
      { action: 'decision', before: 'approved_with_conditions', after: 'changes_needed' },
    ]);
  });
});

describe('defensive handling', () => {
  it('refuses malformed inputs and inputs for another flow without throwing', () => {
    const review = new Driver(flow);
    const malformed = [{ type: 'reply' }, { type: 'teleport', by: 'U1', at: 'x' }, null, { type: 'skip', by: '', at: 'x' }];
    for (const input of malformed) {
      const step = applyInput(flow, review.state, input as unknown as ReviewInput);
      expect(step).toMatchObject({ changed: false, effects: [{ type: 'stale' }] });
      expect(step.state).toBe(review.state);
    }
    const other = { ...flow, id: 'other' };
    expect(applyInput(other, review.state, { type: 'skip', by: 'U1', at: 'x' }).changed).toBe(false);
  });

  it('moves on when the waiting question vanished from the flow (the flow changed under a running review)', () => {
    const review = new Driver(flow);
    review.replies('Drafts replies');
    const shorter = { ...flow, questions: flow.questions.filter((q) => q.id !== 'goal') };
    const step = applyInput(shorter, review.state, { type: 'reply', text: 'x', by: 'U1', at: '2025-01-06T10:00:00.000Z' });
    expect(step.changed).toBe(true);
    expect(step.effects).toEqual([{ type: 'stale', message: 'That question no longer applies; the review moved on.' }, { type: 'ask', questionId: 'objective' }]);
  });
});
