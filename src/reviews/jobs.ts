/**
 * Background jobs started from the outbox once a step's messages are
 * posted: proxy-failure suggestions, clarifying follow-ups and red-team
 * scenarios. The review does not wait for them (but for a moment, below);
 * their results come back through the inbox like any other input, so they
 * are stored and shown in order.
 *
 * A job outlives the process that started it. It is noted in the store as
 * running (with a lease) before its outbox item is let go, and dropped once
 * it has run; a process that dies mid-job (a model call takes seconds)
 * leaves it noted, and when the lease runs out the look for work left
 * behind (resume-sweep.ts) runs it again, in whichever replica looks. Its
 * result is deduplicated by the outbox item that started it, so a runner
 * that died after handing in its result and before dropping the job gets
 * no second copy shown. A job is run at most MAX_ATTEMPTS times, so one
 * that takes its process down with it does not do so forever.
 *
 * The job started by the metric's answer is waited for a moment: the next
 * question is a 'post_after_job' (outbox.ts), told through the started job's
 * `handedIn` once the result is queued, so quick suggestions come above it.
 * Only this process's drain waits so: after a restart the question goes out
 * at once, and the job, run again, is not waited for.
 *
 * Proxy failures say which answer they were made for (answerFingerprint):
 * when the metric is edited, its own job makes new ones, and the engine
 * refuses a late result made for the metric as it was. An edit after the
 * review finished starts such a job too; it spends the review's model calls
 * like any other (the suggester falls back to the offline library once they
 * are used up).
 */
import { buildSummary, describeAnswer, findQuestion } from '../engine/index.js';
import { answerFingerprint, hasSuggestionsFor, takesProxyFailures } from '../engine/review-additions.js';
import type { Flow, ReviewInput, ReviewState } from '../engine/types.js';
import type { SuggestionContext } from '../llm/suggester.js';
import { errorMessage } from '../logger.js';
import type { RunningJob } from '../store/types.js';
import type { ReviewDeps } from './deps.js';
import { nowSeq, type ReviewInbox } from './inbox.js';
import type { JobRunner, StartedJob } from './outbox.js';
import { outboxOpSchema, type OutboxOp } from './outbox-ops.js';
import { JOB_ACTOR } from './render-step.js';

type JobOp = Extract<OutboxOp, { op: 'job' }>;

/** A job is run at most this many times (a first run and two after runners that died). */
export const MAX_JOB_ATTEMPTS = 3;
/** Stalled jobs taken per look; more wait for the next one. */
const STALLED_JOBS_PER_LOOK = 50;

export interface Jobs {
  /** What the outbox calls: resolves once the job is noted as running (then it runs in the background). */
  run: JobRunner;
  /** Runs again the jobs whose runner's lease ran out (it died); resolves to how many it took. */
  resumeStalled(): Promise<number>;
}

function jobOpOf(value: unknown): JobOp | undefined {
  const parsed = outboxOpSchema.safeParse(value);
  return parsed.success && parsed.data.op === 'job' ? parsed.data : undefined;
}

/** Follow-ups only fit a review still under way; the engine refuses them afterwards. */
function underWay(state: ReviewState): boolean {
  return state.status === 'active' || state.status === 'paused';
}

/**
 * Whether the engine would take proxy failures from this job: also in a
 * finished review whose metric was edited since (takesProxyFailures). A job
 * naming no question (queued by an older version) runs only while the review
 * is under way, as it always did.
 */
function wantsProxyFailures(state: ReviewState, job: JobOp): boolean {
  return job.afterQuestionId ? takesProxyFailures(state, job.afterQuestionId) : underWay(state);
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

/** Tells whoever waits on a job whether it handed in a result; only the first word counts. */
type HandOver = (queued: boolean) => void;

function handOverPoint(): { started: StartedJob; handOver: HandOver } {
  let handOver: HandOver = () => undefined;
  const handedIn = new Promise<boolean>((resolve) => {
    handOver = resolve;
  });
  return { started: { handedIn }, handOver };
}

/**
 * The fingerprint of the answer proxy failures are to be made for, or
 * undefined when there is nothing to make: the question has no answer to
 * work from, the answer changed since the job was asked for (the new
 * answer's own job makes them), or suggestions for it are already shown.
 * A job naming no question (queued by an older version) makes them as it
 * always did, without a fingerprint.
 */
function answerToSuggestFor(state: ReviewState, job: JobOp): { forAnswer?: string } | undefined {
  if (!job.afterQuestionId) return {};
  const answer = state.answers[job.afterQuestionId];
  if (!answer || answer.value.kind === 'skipped') return undefined;
  const forAnswer = answerFingerprint(answer.value);
  if (job.forAnswer !== undefined && job.forAnswer !== forAnswer) return undefined;
  return hasSuggestionsFor(state, job.afterQuestionId, forAnswer) ? undefined : { forAnswer };
}

/** `leaseMs`: how long a runner holds a job before another process may take it over; longer than any model call with its retries. */
export function createJobs(deps: ReviewDeps, inbox: () => ReviewInbox, leaseMs: number): Jobs {
  const runNoted = async (running: RunningJob, job: JobOp, lease: number, handOver: HandOver) => {
    try {
      await execute(running, job, handOver);
    } finally {
      // Ended without queueing a result (nothing to suggest, a failure): the question waiting on it goes out now.
      handOver(false);
      await deps.store.finishJob(running, lease).catch((error: unknown) => {
        // Left noted, it is run again once its lease runs out; its result is deduplicated.
        deps.logger.warn({ reviewId: running.reviewId, teamId: running.teamId, job: job.job, err: errorMessage(error) }, 'Could not mark a background job as done');
      });
    }
  };

  const start = async (running: RunningJob, job: JobOp): Promise<StartedJob> => {
    const lease = deps.now().getTime() + leaseMs;
    await deps.store.startJob(running, lease);
    const { started, handOver } = handOverPoint();
    void deps.work.run(() => runNoted(running, job, lease, handOver));
    return started;
  };

  const run: JobRunner = (job, teamId, reviewId, itemId) => start({ teamId, reviewId, itemId, attempt: 1, job }, job);

  const resumeStalled = async () => {
    const stalled = await deps.store.claimStalledJobs(deps.now().getTime(), STALLED_JOBS_PER_LOOK, leaseMs);
    for (const claimed of stalled) {
      const { lease, ...running } = claimed;
      const job = jobOpOf(running.job);
      const log = { reviewId: running.reviewId, teamId: running.teamId, job: job?.job, attempt: running.attempt };
      if (job && running.attempt < MAX_JOB_ATTEMPTS) {
        deps.logger.info(log, 'Running again a background job whose process stopped');
        await start({ ...running, attempt: running.attempt + 1 }, job);
      } else {
        deps.logger.warn(log, job ? 'Gave up a background job: its process stopped every time it ran' : 'Dropped a background job this version cannot run');
      }
      await deps.store.finishJob(running, lease);
    }
    return stalled.length;
  };

  /**
   * Queues the result, says so, then applies it. Said before applying: the
   * drain that waits on this job (a 'post_after_job') holds the review, so
   * it is that drain which applies the result once it goes on.
   */
  const submit = async (running: RunningJob, kind: string, input: ReviewInput, handOver: HandOver) => {
    const seq = nowSeq(deps.now());
    // Deduplicated by the outbox item that started the job: a run after a runner that died hands in nothing twice.
    const queued = await inbox().enqueue(running.teamId, running.reviewId, { id: `job:${kind}:${seq}`, seq, input }, [`job:${running.itemId}`]);
    handOver(queued);
    if (queued) await inbox().drain(running.teamId, running.reviewId);
  };

  async function execute(running: RunningJob, job: JobOp, handOver: HandOver): Promise<void> {
    const { teamId, reviewId } = running;
    const record = await deps.store.get(teamId, reviewId);
    if (!record) return;
    const flow = deps.flows.get(record.state.flowId);
    if (!flow) return;
    const { state } = record;
    const by = { by: JOB_ACTOR, at: deps.now().toISOString() };
    switch (job.job) {
      case 'proxy-failures': {
        // Ended before the job started (a retried outbox, a quick "finish"), or cancelled: no model call for nothing.
        if (!wantsProxyFailures(state, job)) return;
        const target = answerToSuggestFor(state, job);
        if (!target) return;
        const context = contextOf(flow, state, job.afterQuestionId);
        if (!context.metric) return;
        const result = await deps.suggester.proxyFailures(context);
        if (result.items.length === 0) return;
        const stamp = Date.now().toString(36);
        const made = target.forAnswer === undefined ? {} : { forAnswer: target.forAnswer, batch: stamp };
        await submit(
          running,
          job.job,
          {
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
              ...made,
            })),
            ...by,
          },
          handOver,
        );
        return;
      }
      case 'clarify': {
        if (!deps.suggester.modelConfigured || !underWay(state)) return;
        const questions = await deps.suggester.clarifyingQuestions({ ...contextOf(flow, state), answers: answeredSoFar(flow, state) });
        if (questions.length === 0) return;
        const stamp = Date.now().toString(36);
        await submit(
          running,
          job.job,
          {
            type: 'add_questions',
            afterQuestionId: job.afterQuestionId ?? state.currentQuestionId ?? '',
            questions: questions.slice(0, 3).map((question, index) => ({ id: `clarify-${stamp}-${index}`, prompt: question.prompt, help: question.help })),
            ...by,
          },
          handOver,
        );
        return;
      }
      case 'redteam': {
        if (!deps.suggester.modelConfigured) return;
        const scenarios = await deps.suggester.redTeam({ ...contextOf(flow, state), answers: answeredSoFar(flow, state) });
        if (scenarios.length === 0) return;
        await submit(running, job.job, { type: 'add_redteam', scenarios, ...by }, handOver);
        return;
      }
    }
  }

  return { run, resumeStalled };
}
