/**
 * A whole review worked out in advance: the replies a person would type, in
 * order, and the question each one answers. The pure engine runs the flow
 * locally with those replies, so a test (or the benchmark) can send them
 * without reading the app's state, even all at once, and then check that
 * the app applied exactly these answers in exactly this order.
 */
import { applyInput, currentQuestion, startReview } from '../../src/engine/index.js';
import { optionConflict } from '../../src/engine/option-rules.js';
import type { AnswerValue, Flow, Question } from '../../src/engine/types.js';

export interface PlannedReply {
  questionId: string;
  text: string;
  /** What the engine stores for it. */
  value: AnswerValue;
}

/** Typical replies: a sentence or two for text questions, an option number otherwise. */
export function plannedReplyText(question: Question, tag: string, turn: number, pick: (count: number) => number): string {
  switch (question.kind) {
    case 'text': {
      const sentence = `${tag} reply ${turn}: the team wants the system to serve people well, and checks it with real outcomes each month. `;
      return sentence.repeat(Math.ceil(question.minLength / sentence.length) || 1).trim();
    }
    case 'multi': {
      if (question.options.length <= 1) return '1';
      const [first, second] = [pick(question.options.length), pick(question.options.length)];
      // Answers that rule each other out ("Nothing else", "Only drafts" with "Runs code") are not given together.
      return optionConflict([question.options[first]!, question.options[second]!]) ? String(first + 1) : `${first + 1}, ${second + 1}`;
    }
    default:
      return String(pick(question.options.length) + 1);
  }
}

/**
 * The replies that take a review of `flow` from its first question to the
 * end. `random` (0 ≤ x < 1) chooses the options, so reviews take different
 * branches; `tag` goes into every text reply so answers can be told apart.
 */
export function planReview(flow: Flow, tag: string, random: () => number = Math.random): PlannedReply[] {
  const pick = (count: number) => Math.floor(random() * count);
  let state = startReview(flow, { id: 'plan', systemName: tag, startedBy: 'U0PLAN', at: '2024-01-01T00:00:00.000Z' }).state;
  const plan: PlannedReply[] = [];
  for (let turn = 1; state.status === 'active' && turn < 500; turn++) {
    const question = currentQuestion(flow, state);
    if (!question) break;
    const text = plannedReplyText(question, tag, turn, pick);
    const step = applyInput(flow, state, { type: 'reply', text, by: 'U0PLAN', at: '2024-01-01T00:00:00.000Z', messageTs: `1700000000.${String(turn).padStart(6, '0')}` });
    const value = step.state.answers[question.id]?.value;
    if (!value || step.effects.some((effect) => effect.type === 'invalid')) throw new Error(`The planned reply "${text}" does not answer ${question.id}`);
    plan.push({ questionId: question.id, text, value });
    state = step.state;
  }
  if (state.status !== 'completed') throw new Error(`The plan for ${flow.id} did not complete the review`);
  return plan;
}

/** A small seeded generator (mulberry32), so a failing plan can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
