/**
 * Editing the chat message that carried an answer. The new text is read
 * against that answer's question; the review then follows the new answers:
 * questions that stop applying keep their answers (out of the score), a
 * waiting question that stops applying gives way to the next one, and a
 * completed review reopens when the edit makes a new question apply.
 */
import { parseReply } from './answer-parse.js';
import { applicableQuestions, findQuestion, firstUnanswered } from './questions.js';
import { takesProxyFailures } from './review-additions.js';
import { advance, changed, unchanged, waitOn, withHistory, type Actor } from './review-step.js';
import type { AnswerValue, Effect, Flow, Question, ReviewInput, ReviewState, Step } from './types.js';

export function edit(flow: Flow, state: ReviewState, input: Extract<ReviewInput, { type: 'edit' }>): Step {
  const previous = Object.values(state.answers).find((answer) => answer.messageTs === input.messageTs);
  const question = previous && findQuestion(flow, state, previous.questionId);
  if (!previous || !question) return unchanged(state, { type: 'edit_ignored', reason: 'unknown_message' });
  const parsed = parseReply(question, input.text, 'edit');
  if (!parsed.ok) return unchanged(state, { type: 'edit_ignored', reason: 'invalid', message: parsed.message });
  // Slack also reports edits that leave the text as it was (e.g. a link preview).
  if (JSON.stringify(parsed.value) === JSON.stringify(previous.value)) return unchanged(state);

  const openBefore = unansweredApplicable(flow, state);
  const replaced = { ...previous, value: parsed.value, by: input.by, at: input.at };
  // A lead's decision was made on the answers as they were: it stands, but no longer covers them.
  const decision = state.decision && !state.decision.answersChangedAt ? { decision: { ...state.decision, answersChangedAt: input.at } } : {};
  const edited = withHistory({ ...state, ...decision, answers: { ...state.answers, [question.id]: replaced } }, input, {
    action: 'edit',
    questionId: question.id,
    before: previous.value,
    after: parsed.value,
  });
  const followed = follow(flow, edited, openBefore, input);
  return changed({ state: followed.state, effects: [{ type: 'edited', questionId: question.id }, ...followed.effects, ...suggestionsAgain(question, parsed.value, followed.state)] });
}

/**
 * Proxy failures are made for the metric as the team put it, so an edited
 * metric gets its own (the earlier ones stay, with their verdicts), in a
 * finished review too: there the earlier card stops counting, and without a
 * new one the summary would have no failures for the metric at all. Not in a
 * cancelled review, which takes no more of the team's work. Clarifying
 * follow-ups are not asked again, or they would pile up.
 */
function suggestionsAgain(question: Question, value: AnswerValue, state: ReviewState): Effect[] {
  if (question.suggest !== 'proxy-failures' || value.kind === 'skipped') return [];
  if (!takesProxyFailures(state, question.id)) return [];
  return [{ type: 'suggest', kind: 'proxy-failures', afterQuestionId: question.id }];
}

function unansweredApplicable(flow: Flow, state: ReviewState): Set<string> {
  return new Set(applicableQuestions(flow, state).filter((q) => state.answers[q.id] === undefined).map((q) => q.id));
}

function follow(flow: Flow, state: ReviewState, openBefore: ReadonlySet<string>, actor: Actor): { state: ReviewState; effects: Effect[] } {
  const applicable = applicableQuestions(flow, state);
  const currentApplies = applicable.some((question) => question.id === state.currentQuestionId);
  switch (state.status) {
    case 'active':
      return currentApplies ? { state, effects: [] } : advance(flow, state, actor);
    case 'paused':
      // Asked again on resume.
      return { state: currentApplies ? state : waitOn(state, firstUnanswered(applicable, state)?.id ?? null), effects: [] };
    case 'completed': {
      const newlyOpen = [...unansweredApplicable(flow, state)].some((id) => !openBefore.has(id));
      if (!newlyOpen) return { state, effects: [] };
      const { finishedAt: _finishedAt, ...reopened } = state;
      const active = withHistory({ ...reopened, status: 'active' }, actor, { action: 'resume', before: 'completed', after: 'active' });
      return advance(flow, active, actor);
    }
    case 'cancelled':
      return { state, effects: [] };
  }
}
