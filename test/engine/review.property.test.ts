/**
 * Property tests: any sequence of inputs, from any reachable state, never
 * throws, never mutates its arguments, never loses an answer, and leaves the
 * review either ended, paused, or waiting on a question that applies.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../../src/engine/flow-parse.js';
import { applicableQuestions, findQuestion } from '../../src/engine/questions.js';
import { applyInput, startReview } from '../../src/engine/review.js';
import { buildSummary } from '../../src/engine/summary.js';
import { summaryToMarkdown } from '../../src/engine/markdown.js';
import type { Flow, ReviewInput, ReviewState } from '../../src/engine/types.js';
import { loadFixture } from './helpers.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Replies a person might type to this flow: numbers, labels, ids, prefixes, yes/no words, words, and noise. */
function replyText(flow: Flow): fc.Arbitrary<string> {
  const known = new Set<string>(['1', '2', '3', '4', '5', '6', '9', 'y', 'n', 'nope', 'not sure', '?', 'skip', 'none', 'a, b', '1, 2', '2 and 3']);
  for (const question of flow.questions) {
    for (const option of question.options) {
      known.add(option.id);
      known.add(option.label);
      known.add(option.label.slice(0, 3));
      known.add(option.label.toUpperCase());
    }
  }
  known.add('A sentence long enough to be a text answer.');
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) });
}

/**
 * What a step does. Most are plain inputs; two are resolved against the
 * state when they run, so that sequences get deep into a review: a valid
 * answer to whatever is being asked, and an edit of a message that did carry
 * an answer.
 */
type Intent =
  | { kind: 'input'; input: ReviewInput }
  | { kind: 'answer_current'; pick: number; viaButton: boolean; by: string }
  /** `text` null: a valid answer to that message's question, chosen by `pick`. */
  | { kind: 'edit_existing'; pick: number; text: string | null; by: string };

function intentArbitrary(flow: Flow): fc.Arbitrary<Intent> {
  const questionIds = [...flow.questions.map((question) => question.id), 'c1', 'c2', 'ghost'];
  const optionIds = [...new Set(flow.questions.flatMap((question) => question.options.map((option) => option.id))), 'ghost'];
  const by = fc.constantFrom('U1', 'U2', 'U3');
  const actor = { by, at: fc.constant('') };
  const input = <T,>(arbitrary: fc.Arbitrary<T>) => arbitrary.map((value): Intent => ({ kind: 'input', input: value as ReviewInput }));
  const simple = (type: 'skip' | 'back' | 'pause' | 'resume' | 'cancel' | 'finish') => input(fc.record({ type: fc.constant(type), ...actor }));
  const suggestion = fc.record({
    id: fc.constantFrom('s1', 's2', 's3'),
    title: fc.constant('A way to win the metric'),
    why: fc.constant('Because.'),
    safeguard: fc.constant('A cap.'),
    area: fc.constantFrom('reward_misspecification' as const, 'over_optimization' as const),
    source: fc.constant('model' as const),
    afterQuestionId: fc.constantFrom(...questionIds),
  });
  return fc.oneof(
    { weight: 25, arbitrary: fc.record({ kind: fc.constant('answer_current' as const), pick: fc.nat(20), viaButton: fc.boolean(), by }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit_existing' as const), pick: fc.nat(20), text: fc.option(replyText(flow), { nil: null }), by }) },
    { weight: 5, arbitrary: input(fc.record({ type: fc.constant('reply' as const), text: replyText(flow), ...actor })) },
    { weight: 1, arbitrary: input(fc.record({ type: fc.constant('reply' as const), text: replyText(flow), questionId: fc.constantFrom(...questionIds), ...actor })) },
    { weight: 2, arbitrary: input(fc.record({ type: fc.constant('choose' as const), questionId: fc.constantFrom(...questionIds), optionIds: fc.subarray(optionIds, { maxLength: 3 }), ...actor })) },
    { weight: 3, arbitrary: simple('skip') },
    { weight: 4, arbitrary: simple('back') },
    { weight: 1, arbitrary: simple('pause') },
    { weight: 3, arbitrary: simple('resume') },
    { weight: 1, arbitrary: simple('cancel') },
    { weight: 1, arbitrary: simple('finish') },
    { weight: 1, arbitrary: input(fc.record({ type: fc.constant('edit' as const), messageTs: fc.constantFrom('1.000001', 'unknown'), text: replyText(flow), ...actor })) },
    {
      weight: 2,
      arbitrary: input(
        fc.record({
          type: fc.constant('add_questions' as const),
          afterQuestionId: fc.constantFrom(...questionIds),
          questions: fc.subarray([{ id: 'c1', prompt: 'Clarify one?' }, { id: 'c2', prompt: 'Clarify two?' }], { minLength: 1 }),
          ...actor,
        }),
      ),
    },
    { weight: 1, arbitrary: input(fc.record({ type: fc.constant('add_suggestions' as const), suggestions: fc.array(suggestion, { minLength: 1, maxLength: 2 }), ...actor })) },
    { weight: 1, arbitrary: input(fc.record({ type: fc.constant('verdict' as const), suggestionId: fc.constantFrom('s1', 's2', 's3'), relevant: fc.boolean(), ...actor })) },
    { weight: 1, arbitrary: input(fc.record({ type: fc.constant('add_redteam' as const), scenarios: fc.constant([{ kind: 'wrong_proxy' as const, scenario: 'It games the metric.' }]), ...actor })) },
    { weight: 1, arbitrary: input(fc.record({ type: fc.constant('decide' as const), outcome: fc.constantFrom('approved' as const, 'changes_needed' as const), ...actor })) },
    // Malformed payloads, as a corrupted queue entry might carry.
    { weight: 1, arbitrary: input(fc.constantFrom<unknown>({ type: 'reply' }, { type: 'warp', by: 'U1', at: 'x' }, { type: 'choose', questionId: 1 })) },
  );
}

/** Turns an intent into the input it stands for in this state; `n` numbers the step (for times and message ts). */
function resolveIntent(flow: Flow, state: ReviewState, intent: Intent, n: number): ReviewInput {
  const at = new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString();
  const messageTs = `1736154000.${String(n).padStart(6, '0')}`;
  switch (intent.kind) {
    case 'input': {
      const input = intent.input as ReviewInput & { by?: unknown };
      if (typeof input !== 'object' || input === null || input.by === undefined) return input;
      return { ...input, at, ...(input.type === 'reply' ? { messageTs } : {}) };
    }
    case 'edit_existing': {
      const carried = Object.values(state.answers).filter((answer) => answer.messageTs !== undefined);
      const target = carried[intent.pick % Math.max(1, carried.length)];
      const question = target && findQuestion(flow, state, target.questionId);
      const text = intent.text ?? (question && question.options.length > 0 ? question.options[intent.pick % question.options.length]!.label : 'A new answer');
      return { type: 'edit', messageTs: target?.messageTs ?? 'none', text, by: intent.by, at };
    }
    case 'answer_current': {
      const question = state.currentQuestionId === null ? undefined : findQuestion(flow, state, state.currentQuestionId);
      if (!question || question.kind === 'text') return { type: 'reply', text: `Answer number ${intent.pick} in words.`, messageTs, by: intent.by, at };
      const option = question.options[intent.pick % question.options.length]!;
      if (intent.viaButton) return { type: 'choose', questionId: question.id, optionIds: [option.id], by: intent.by, at };
      return { type: 'reply', text: intent.pick % 2 === 0 ? option.label : String(question.options.indexOf(option) + 1), messageTs, by: intent.by, at };
    }
  }
}

/** The state's invariants after any step. */
function checkInvariants(flow: Flow, state: ReviewState): void {
  if (state.status !== 'active') {
    if (state.status === 'completed' || state.status === 'cancelled') expect(state.currentQuestionId).toBeNull();
    return;
  }
  const current = state.currentQuestionId;
  expect(current).not.toBeNull();
  expect(applicableQuestions(flow, state).map((question) => question.id)).toContain(current);
  if (state.answers[current!] !== undefined) {
    // Waiting on an answered question only happens after going back to it.
    const lastAnswer = state.history.findLastIndex((entry) => entry.questionId === current && (entry.action === 'answer' || entry.action === 'skip'));
    const lastBack = state.history.findLastIndex((entry) => entry.action === 'back' && entry.questionId === current);
    expect(lastBack).toBeGreaterThan(lastAnswer);
  }
}

function checkNothingLost(before: ReviewState, after: ReviewState): void {
  // The history only grows: nothing recorded is ever rewritten.
  expect(after.history.slice(0, before.history.length)).toEqual(before.history);
  const added = after.history.slice(before.history.length);
  for (const [questionId, answer] of Object.entries(before.answers)) {
    const now = after.answers[questionId];
    expect(now, `answer to ${questionId} dropped`).toBeDefined();
    if (JSON.stringify(now!.value) !== JSON.stringify(answer.value)) {
      // A replaced answer is kept in the history as the `before` of the change.
      expect(added.some((entry) => entry.questionId === questionId && JSON.stringify(entry.before) === JSON.stringify(answer.value))).toBe(true);
    }
  }
}

function runProperty(flow: Flow, numRuns: number): void {
  deepFreeze(flow);
  fc.assert(
    fc.property(fc.array(intentArbitrary(flow), { maxLength: 80, size: 'max' }), (intents) => {
      let state = deepFreeze(startReview(flow, { id: 'R1', systemName: 'System', startedBy: 'U1', at: '2025-01-01T00:00:00.000Z' }).state);
      intents.forEach((intent, n) => {
        const input = deepFreeze(resolveIntent(flow, state, intent, n + 1));
        const step = applyInput(flow, state, input);
        // The same input on a copy that went through JSON (as the store keeps it) gives the same result.
        const viaJson = applyInput(flow, JSON.parse(JSON.stringify(state)) as ReviewState, input);
        expect(viaJson).toEqual(step);
        if (!step.changed) expect(step.state).toBe(state);
        else if (step.state.history.length === state.history.length) {
          // Only a `cancel` waiting to be confirmed comes and goes without a trace in the history.
          expect(step.state.cancelRequest).not.toEqual(state.cancelRequest);
          expect({ ...step.state, cancelRequest: undefined }).toEqual({ ...state, cancelRequest: undefined });
        } else expect(step.state.history.length).toBeGreaterThan(state.history.length);
        // A confirmation waits only in a review that can still be cancelled.
        if (step.state.cancelRequest) expect(['active', 'paused']).toContain(step.state.status);
        checkNothingLost(state, step.state);
        checkInvariants(flow, step.state);
        state = deepFreeze(step.state);
      });
      summaryToMarkdown(buildSummary(flow, state));
    }),
    { numRuns },
  );
}

describe('any sequence of inputs', () => {
  it('on the fixture flow keeps every invariant', () => {
    runProperty(loadFixture('mini.yaml'), 400);
  });

  it('on the shipped alignment review keeps every invariant', () => {
    const shipped = fileURLToPath(new URL('../../flows/alignment-review.yaml', import.meta.url));
    runProperty(parseFlow(readFileSync(shipped, 'utf8'), 'flows/alignment-review.yaml'), 150);
  });
});

describe('a review stored as JSON mid-way', () => {
  it('continues exactly as the one kept in memory', () => {
    const flow = loadFixture('mini.yaml');
    const inputs: ReviewInput[] = [
      { type: 'reply', text: 'Drafts replies', messageTs: '1.1', by: 'U1', at: '2025-01-01T00:01:00.000Z' },
      { type: 'reply', text: 'Quick answers', messageTs: '1.2', by: 'U2', at: '2025-01-01T00:02:00.000Z' },
      { type: 'add_questions', afterQuestionId: 'goal', questions: [{ id: 'c1', prompt: 'For whom?' }], by: 'bot', at: '2025-01-01T00:03:00.000Z' },
      { type: 'reply', text: 'Customers', messageTs: '1.3', by: 'U2', at: '2025-01-01T00:04:00.000Z' },
      { type: 'pause', by: 'U1', at: '2025-01-01T00:05:00.000Z' },
      // ← stored and read back here
      { type: 'resume', by: 'U1', at: '2025-01-01T00:06:00.000Z' },
      { type: 'reply', text: 'Minutes per ticket', messageTs: '1.4', by: 'U1', at: '2025-01-01T00:07:00.000Z' },
      { type: 'reply', text: 'Tickets per hour', messageTs: '1.5', by: 'U1', at: '2025-01-01T00:08:00.000Z' },
      { type: 'reply', text: 'code', messageTs: '1.6', by: 'U1', at: '2025-01-01T00:09:00.000Z' },
      { type: 'back', by: 'U1', at: '2025-01-01T00:10:00.000Z' },
      { type: 'edit', messageTs: '1.6', text: 'only suggests', by: 'U1', at: '2025-01-01T00:11:00.000Z' },
      // Still on `actions` (we went back to it): answering it again moves on past approval, which no longer applies.
      { type: 'reply', text: '1', messageTs: '1.7', by: 'U1', at: '2025-01-01T00:12:00.000Z' },
      { type: 'reply', text: 'yes', messageTs: '1.8', by: 'U1', at: '2025-01-01T00:13:00.000Z' },
    ];
    const run = (roundTripAt: number | null) => {
      let state = startReview(flow, { id: 'R1', systemName: 'S', startedBy: 'U1', at: '2025-01-01T00:00:00.000Z' }).state;
      const effects: unknown[] = [];
      inputs.forEach((input, i) => {
        if (i === roundTripAt) state = JSON.parse(JSON.stringify(state)) as ReviewState;
        const step = applyInput(flow, state, input);
        effects.push(step.effects);
        state = step.state;
      });
      return { state, effects };
    };
    const kept = run(null);
    const stored = run(5);
    expect(stored).toEqual(kept);
    expect(kept.state.currentQuestionId).toBe('tested');
    expect(JSON.parse(JSON.stringify(kept.state))).toEqual(kept.state);
  });
});
