/**
 * Turns the effects of one engine step into outbox operations: the messages
 * to post or update in Slack. Pure: same step, same operations. Rendering at
 * commit time (rather than when posting) keeps the outbox self-contained, so
 * whichever replica flushes it needs nothing else.
 */
import { applicableQuestions, buildSummary, describeAnswer, findQuestion } from '../engine/index.js';
import type { Effect, Flow, Question, ReviewState, Step } from '../engine/types.js';
import { answeredQuestionMessage, questionMessage, type QuestionPosition } from '../slack/blocks/question.js';
import { simpleMessage, type SlackMessage } from '../slack/blocks/message.js';
import { leadsCardMessage, summaryCardMessages } from '../slack/blocks/summary-card.js';
import { postponedQuestionMessage, suggestionsMessage } from '../slack/blocks/suggestions.js';
import { rootMessage } from '../slack/blocks/root-message.js';
import { supersededQuestionMessage } from '../slack/blocks/notes.js';
import { fromSlack, LIMITS, plain, truncate } from '../slack/blocks/text.js';
import type { ReviewPlacement } from '../store/types.js';
import type { OutboxOpInput } from './outbox-ops.js';

export interface RenderContext {
  flow: Flow;
  placement: ReviewPlacement;
  before: ReviewState;
  step: Step;
  /** Who sent the input, for private notes. */
  actor?: string;
  /** The leads' channel for this review: the review's own, the team's setting, or the app's default. */
  leadsChannel?: string;
  /** Permalink to the thread, for the leads' card. */
  threadLink?: string;
  modelConfigured: boolean;
}

export const REF = {
  root: 'root',
  question: (questionId: string) => `q:${questionId}`,
  summary: (part: number) => (part === 0 ? 'summary' : `summary:${part}`),
  leads: 'leads',
  suggestions: (afterQuestionId: string) => `sugg:${afterQuestionId}`,
} as const;

export function questionPosition(flow: Flow, state: ReviewState, questionId: string): QuestionPosition {
  const applicable = applicableQuestions(flow, state);
  const index = applicable.findIndex((question) => question.id === questionId);
  return { number: index >= 0 ? index + 1 : applicable.length, total: applicable.length };
}

function post(message: SlackMessage, ref?: string): OutboxOpInput {
  return { op: 'post', ref, text: message.text, blocks: message.blocks as unknown as Record<string, unknown>[] };
}

function update(ref: string, message: SlackMessage): OutboxOpInput {
  return { op: 'update', ref, text: message.text, blocks: message.blocks as unknown as Record<string, unknown>[] };
}

/**
 * The engine's messages quote people's replies as Slack delivered them
 * ("\"<!channel>\" is not one of the answers"): neutralised like any of
 * their text, and cut to fit one section.
 */
function engineText(message: string): string {
  return truncate(fromSlack(message), LIMITS.sectionText - 100);
}

function note(text: string): OutboxOpInput {
  return post(simpleMessage(text));
}

function answeredUpdate(flow: Flow, state: ReviewState, question: Question): OutboxOpInput | null {
  const answer = state.answers[question.id];
  if (!answer) return null;
  return update(
    REF.question(question.id),
    answeredQuestionMessage(question, questionPosition(flow, state, question.id), answer, describeAnswer(question, answer)),
  );
}

function rootUpdate(ctx: RenderContext): OutboxOpInput {
  const { flow, step, placement } = ctx;
  return update(
    REF.root,
    rootMessage({
      systemName: step.state.systemName,
      startedBy: step.state.startedBy,
      flow,
      questionCount: applicableQuestions(flow, step.state).length,
      reviewId: step.state.id,
      respondents: placement.respondents,
      status: step.state.status,
    }),
  );
}

/** The summary card and the leads' card; `mode` says whether they are new or replace earlier ones. */
export function summaryOps(ctx: RenderContext, mode: 'post' | 'update'): OutboxOpInput[] {
  const summary = buildSummary(ctx.flow, ctx.step.state);
  const decision = ctx.step.state.decision;
  const cards = summaryCardMessages(summary, decision);
  const ops: OutboxOpInput[] = cards.map((message, part) => (mode === 'post' ? post(message, REF.summary(part)) : update(REF.summary(part), message)));
  if (ctx.leadsChannel) {
    const leads = leadsCardMessage(summary, ctx.threadLink, decision);
    ops.push(
      mode === 'post'
        ? { op: 'post', ref: REF.leads, channel: ctx.leadsChannel, inThread: false, text: leads.text, blocks: leads.blocks as unknown as Record<string, unknown>[] }
        : update(REF.leads, leads),
    );
  }
  return ops;
}

function suggestionUpdate(ctx: RenderContext, afterQuestionId: string): OutboxOpInput {
  const batch = ctx.step.state.suggestions.filter((item) => item.afterQuestionId === afterQuestionId);
  return update(REF.suggestions(afterQuestionId), suggestionsMessage(ctx.step.state.id, batch, { modelConfigured: ctx.modelConfigured }));
}

function renderEffect(ctx: RenderContext, effect: Effect): OutboxOpInput[] {
  const { flow, step, before } = ctx;
  const state = step.state;
  switch (effect.type) {
    case 'ask': {
      const question = findQuestion(flow, state, effect.questionId);
      if (!question) return [];
      return [post(questionMessage(state.id, question, questionPosition(flow, state, question.id)), REF.question(question.id))];
    }
    case 'recorded': {
      const question = findQuestion(flow, state, effect.questionId);
      const op = question ? answeredUpdate(flow, state, question) : null;
      return op ? [op] : [];
    }
    case 'invalid':
      return [note(`:warning: ${engineText(effect.message)}`)];
    case 'cannot_skip':
      return [note(':warning: This question cannot be skipped.')];
    case 'went_back': {
      const left = before.currentQuestionId ? findQuestion(flow, before, before.currentQuestionId) : null;
      return left && left.id !== effect.questionId ? [update(REF.question(left.id), supersededQuestionMessage(left))] : [];
    }
    case 'nothing_to_go_back_to':
      return [note('There is no earlier question to go back to.')];
    case 'edited': {
      const question = findQuestion(flow, state, effect.questionId);
      const ops: OutboxOpInput[] = [];
      const op = question ? answeredUpdate(flow, state, question) : null;
      if (op) ops.push(op);
      ops.push(note(`:pencil2: Updated the answer to “${truncate(plain(question ? question.prompt : effect.questionId), 500)}”.`));
      if (state.status === 'completed' && before.status === 'completed') ops.push(...summaryOps(ctx, 'update'));
      return ops;
    }
    case 'edit_ignored':
      return effect.reason === 'invalid' && effect.message
        ? [note(`:warning: That edit was not applied: ${engineText(effect.message)} The earlier answer stands.`)]
        : [];
    case 'paused':
      return [note(':double_vertical_bar: Paused. Type *resume* in this thread to go on.'), rootUpdate(ctx)];
    case 'resumed':
      return [note(':arrow_forward: Resumed.'), rootUpdate(ctx)];
    case 'cancelled':
      return [note(':x: Review cancelled. The answers so far are kept with the review.'), rootUpdate(ctx)];
    case 'completed': {
      const ops: OutboxOpInput[] = [rootUpdate(ctx), ...summaryOps(ctx, 'post')];
      if (ctx.modelConfigured) ops.push({ op: 'job', job: 'redteam' });
      return ops;
    }
    case 'not_active':
      return [
        note(
          effect.status === 'paused'
            ? 'This review is paused. Type *resume* to go on.'
            : effect.status === 'completed'
              ? 'This review is finished: the summary is above. You can still edit an answer you gave.'
              : 'This review was cancelled.',
        ),
      ];
    case 'suggest':
      return [{ op: 'job', job: effect.kind, afterQuestionId: effect.afterQuestionId }];
    case 'suggestions_added': {
      const first = state.suggestions.find((item) => effect.suggestionIds.includes(item.id));
      if (!first) return [];
      const batch = state.suggestions.filter((item) => effect.suggestionIds.includes(item.id));
      return [post(suggestionsMessage(state.id, batch, { modelConfigured: ctx.modelConfigured }), REF.suggestions(first.afterQuestionId))];
    }
    case 'questions_added': {
      const ops: OutboxOpInput[] = [];
      // Follow-ups asked before a question already posted: that one loses its buttons until its turn comes again.
      const postponed = before.currentQuestionId && before.currentQuestionId !== state.currentQuestionId ? findQuestion(flow, before, before.currentQuestionId) : null;
      if (postponed && !state.answers[postponed.id]) ops.push(update(REF.question(postponed.id), postponedQuestionMessage(postponed)));
      ops.push(note(`:bulb: I added ${effect.questionIds.length} suggested follow-up question(s) about this system. They are optional: type *skip* to pass.`));
      return ops;
    }
    case 'verdict_recorded': {
      const item = state.suggestions.find((suggestion) => suggestion.id === effect.suggestionId);
      const ops = item ? [suggestionUpdate(ctx, item.afterQuestionId)] : [];
      if (state.status === 'completed') ops.push(...summaryOps(ctx, 'update'));
      return ops;
    }
    case 'redteam_added':
    case 'decided':
      return summaryOps(ctx, 'update');
    case 'stale':
      return ctx.actor ? [{ op: 'ephemeral', user: ctx.actor, text: engineText(effect.message) }] : [];
  }
}

/** Who background jobs (suggestions, follow-ups, red team) submit their results as. */
export const JOB_ACTOR = 'bot';

/**
 * A job's result that no longer fits (the review ended while the model was
 * thinking) has nobody to tell: a "this review is finished" note or a
 * private notice to the job would only confuse the thread.
 */
function shownTo(ctx: RenderContext, effect: Effect): boolean {
  return ctx.actor !== JOB_ACTOR || (effect.type !== 'not_active' && effect.type !== 'stale');
}

/**
 * The next question goes out before the answered one is updated in place:
 * the person waits on the question, and each Web API call before it (about
 * 100–300 ms in Slack) adds to that wait; the buttons turning into the
 * answer a moment later costs nobody anything.
 */
function questionFirst(effects: Effect[]): Effect[] {
  const ordered = [...effects];
  for (let index = 0; index + 1 < ordered.length; index++) {
    if (ordered[index]!.type === 'recorded' && ordered[index + 1]!.type === 'ask') {
      [ordered[index], ordered[index + 1]] = [ordered[index + 1]!, ordered[index]!];
      index++;
    }
  }
  return ordered;
}

export function renderStep(ctx: RenderContext): OutboxOpInput[] {
  return questionFirst(ctx.step.effects.filter((effect) => shownTo(ctx, effect))).flatMap((effect) => renderEffect(ctx, effect));
}
