/** The review as a report: headline answers, the score, and every question with its answer. */
import { describeAnswer } from './answer-text.js';
import { applicableQuestions, findQuestion } from './questions.js';
import { relevantSuggestions } from './review-additions.js';
import { scoreReview } from './scoring.js';
import type { Flow, ReviewState, Summary } from './types.js';

export function buildSummary(flow: Flow, state: ReviewState): Summary {
  const applicable = applicableQuestions(flow, state);
  const applies = new Set(applicable.map((question) => question.id));
  /** A headline field: the answer as people read it, when its question applies and was answered. */
  const headline = (questionId: string | undefined): string | undefined => {
    if (questionId === undefined || !applies.has(questionId)) return undefined;
    const answer = state.answers[questionId];
    const question = findQuestion(flow, state, questionId);
    if (!answer || !question || answer.value.kind === 'skipped') return undefined;
    return describeAnswer(question, answer);
  };

  const summary: Summary = {
    reviewId: state.id,
    systemName: state.systemName,
    flowId: state.flowId,
    flowVersion: state.flowVersion,
    flowTitle: flow.title,
    status: state.status,
    startedBy: state.startedBy,
    startedAt: state.startedAt,
    participants: participantsOf(state),
    proxyMetrics: flow.summary.proxy_metrics.map(headline).filter((text): text is string => text !== undefined),
    score: scoreReview(flow, state),
    answers: applicable.map((question) => {
      const answer = state.answers[question.id];
      return {
        questionId: question.id,
        ...(question.section === undefined ? {} : { section: question.section }),
        prompt: question.prompt,
        answer: describeAnswer(question, answer),
        ...(answer ? { by: answer.by, at: answer.at } : {}),
        ...(question.suggested ? { suggested: true } : {}),
      };
    }),
    // Only the card made for the metric as it stands counts, each failure once (countedSuggestions).
    relevantSuggestions: relevantSuggestions(state),
    redTeam: state.redTeam,
  };
  if (state.decision !== undefined) summary.decision = state.decision;
  if (state.finishedAt !== undefined) summary.finishedAt = state.finishedAt;
  const fields = { humanGoal: flow.summary.human_goal, objective: flow.summary.objective, systemDescription: flow.summary.system_description };
  for (const [field, questionId] of Object.entries(fields) as [keyof typeof fields, string | undefined][]) {
    const text = headline(questionId);
    if (text !== undefined) summary[field] = text;
  }
  return summary;
}

/**
 * Everyone whose answer or verdict stands in the review, in the order the
 * history first shows them acting (an edited answer keeps its first place).
 */
function participantsOf(state: ReviewState): string[] {
  const standing = new Set([
    ...Object.values(state.answers).map((answer) => answer.by),
    ...state.suggestions.flatMap((suggestion) => (suggestion.verdict ? [suggestion.verdict.by] : [])),
  ]);
  const acting = new Set(['answer', 'skip', 'edit', 'verdict']);
  const ordered = state.history.filter((entry) => acting.has(entry.action) && standing.has(entry.by)).map((entry) => entry.by);
  return [...new Set([...ordered, ...standing])];
}
