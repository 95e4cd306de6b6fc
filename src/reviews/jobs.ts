/**
 * Background jobs started from the outbox once the next question is posted:
 * proxy-failure suggestions, clarifying follow-ups and red-team scenarios.
 * The review never waits for them; their results come back through the
 * inbox like any other input, so they are stored and shown in order.
 */
import { buildSummary, describeAnswer, findQuestion } from '../engine/index.js';
import type { Flow, ReviewInput, ReviewState } from '../engine/types.js';
import type { SuggestionContext } from '../llm/suggester.js';
import type { ReviewDeps } from './deps.js';
import { nowSeq, type ReviewInbox } from './inbox.js';
import type { JobRunner } from './outbox.js';
import { JOB_ACTOR } from './render-step.js';

/** Suggestions and follow-ups only fit a review still under way; the engine refuses them afterwards. */
function underWay(state: ReviewState): boolean {
  return state.status === 'active' || state.status === 'paused';
}

function answerText(flow: Flow, state: ReviewState, questionId: string | undefined): string | undefined {
  if (!questionId) return undefined;
  const question = findQuestion(flow, state, questionId);
  const answer = state.answers[questionId];
  if (!question || !answer || answer.value.kind === 'skipped') return undefined;
  return describeAnswer(question, answer);
}

function contextOf(flow: Flow, state: ReviewState, metricQuestionId?: string): SuggestionContext {
  const metricIds = metricQuestionId ? [metricQuestionId] : flow.summary.proxy_metrics;
  const metric = metricIds.map((id) => answerText(flow, state, id)).filter(Boolean).join('; ');
  return {
    reviewId: state.id,
    systemName: state.systemName,
    systemDescription: answerText(flow, state, flow.summary.system_description),
    humanGoal: answerText(flow, state, flow.summary.human_goal),
    objective: answerText(flow, state, flow.summary.objective),
    metric,
  };
}

/** What the team has actually answered: questions not reached yet or skipped would only spend tokens and invite questions about them. */
function answeredSoFar(flow: Flow, state: ReviewState) {
  return buildSummary(flow, state)
    .answers.filter((item) => {
      const value = state.answers[item.questionId]?.value;
      return value !== undefined && value.kind !== 'skipped';
    })
    .map((item) => ({ prompt: item.prompt, answer: item.answer }));
}

export function createJobRunner(deps: ReviewDeps, inbox: () => ReviewInbox): JobRunner {
  const submit = (teamId: string, reviewId: string, kind: string, input: ReviewInput) => {
    const seq = nowSeq(deps.now());
    return inbox().submit(teamId, reviewId, { id: `job:${kind}:${seq}`, seq, input }, [`job:${kind}:${input.at}:${reviewId}`]);
  };

  return (job, teamId, reviewId) => {
    void deps.work.run(async () => {
      const record = await deps.store.get(teamId, reviewId);
      if (!record) return;
      const flow = deps.flows.get(record.state.flowId);
      if (!flow) return;
      const { state } = record;
      const by = { by: JOB_ACTOR, at: deps.now().toISOString() };
      switch (job.job) {
        case 'proxy-failures': {
          // Ended before the job started (a retried outbox, a quick "finish"): no model call for nothing.
          if (!underWay(state)) return;
          const context = contextOf(flow, state, job.afterQuestionId);
          if (!context.metric) return;
          const result = await deps.suggester.proxyFailures(context);
          if (result.items.length === 0) return;
          const stamp = Date.now().toString(36);
          await submit(teamId, reviewId, job.job, {
            type: 'add_suggestions',
            suggestions: result.items.map((item, index) => ({
              id: `${stamp}${index}`,
              title: item.title,
              why: item.why,
              safeguard: item.safeguard,
              area: item.area,
              reference: item.reference,
              source: result.source,
              afterQuestionId: job.afterQuestionId ?? '',
            })),
            ...by,
          });
          return;
        }
        case 'clarify': {
          if (!deps.suggester.modelConfigured || !underWay(state)) return;
          const questions = await deps.suggester.clarifyingQuestions({ ...contextOf(flow, state), answers: answeredSoFar(flow, state) });
          if (questions.length === 0) return;
          const stamp = Date.now().toString(36);
          await submit(teamId, reviewId, job.job, {
            type: 'add_questions',
            afterQuestionId: job.afterQuestionId ?? state.currentQuestionId ?? '',
            questions: questions.slice(0, 3).map((question, index) => ({ id: `clarify-${stamp}-${index}`, prompt: question.prompt, help: question.help })),
            ...by,
          });
          return;
        }
        case 'redteam': {
          if (!deps.suggester.modelConfigured) return;
          const scenarios = await deps.suggester.redTeam({ ...contextOf(flow, state), answers: answeredSoFar(flow, state) });
          if (scenarios.length === 0) return;
          await submit(teamId, reviewId, job.job, { type: 'add_redteam', scenarios, ...by });
          return;
        }
      }
    });
  };
}
