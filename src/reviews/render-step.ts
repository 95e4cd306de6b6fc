/**
 * Turns the effects of one engine step into outbox operations: the messages
 * to post or update in Slack. Pure: same step, same operations. Rendering at
 * commit time (rather than when posting) keeps the outbox self-contained, so
 * whichever replica flushes it needs nothing else.
 */
import { applicableQuestions, buildSummary, describeAnswer, findQuestion, questionProgress } from '../engine/index.js';
import type { Effect, Flow, Question, ReviewInput, ReviewState, Step, Suggestion } from '../engine/types.js';
import { answeredQuestionMessage, questionMessage, type QuestionPosition } from '../slack/blocks/question.js';
import { simpleMessage, type SlackMessage } from '../slack/blocks/message.js';
import { decisionNoteMessage } from '../slack/blocks/sign-off.js';
import { leadsCardMessage, summaryCardMessages } from '../slack/blocks/summary-card.js';
import { rootMessage } from '../slack/blocks/root-message.js';
import { askedAgainQuestionMessage, endedQuestionMessage, pausedQuestionMessage, postponedQuestionMessage, supersededQuestionMessage } from '../slack/blocks/superseded.js';
import { fromSlack, LIMITS, plain, truncate } from '../slack/blocks/text.js';
import type { ReviewPlacement } from '../store/types.js';
import { answerFingerprint } from '../engine/review-additions.js';
import type { OutboxOpInput } from './outbox-ops.js';
import { cardBefore, suggestionsCard } from './suggestion-cards.js';

export interface RenderContext {
  flow: Flow;
  placement: ReviewPlacement;
  before: ReviewState;
  step: Step;
  /** Who sent the input, for private notes. */
  actor?: string;
  /** What kind of input it was: a click is refused privately, as the click listener refuses one it can tell at once. */
  inputType?: ReviewInput['type'];
  /** The leads' channel for this review: the review's own, the team's setting, or the app's default. */
  leadsChannel?: string;
  /** Permalink to the thread, for the leads' card. */
  threadLink?: string;
  modelConfigured: boolean;
}

/** Said privately to whoever edits a reply that did not answer a question. */
export const EDIT_OF_NO_ANSWER = 'Only a reply that answered a question can be edited to change that answer. That message was not an answer, so nothing changed: reply again in the thread instead.';

export const REF = {
  root: 'root',
  question: (questionId: string) => `q:${questionId}`,
  summary: (part: number) => (part === 0 ? 'summary' : `summary:${part}`),
  leads: 'leads',
  /** One card per run of the suggestions (batch); those stored before batches existed share the question's one card. */
  suggestions: (afterQuestionId: string, batch?: string) => (batch === undefined ? `sugg:${afterQuestionId}` : `sugg:${afterQuestionId}:${batch}`),
} as const;

export function questionPosition(flow: Flow, state: ReviewState, questionId: string): QuestionPosition {
  return questionProgress(flow, state, questionId);
}

function post(message: SlackMessage, ref?: string): OutboxOpInput {
  return { op: 'post', ref, text: message.text, blocks: message.blocks as unknown as Record<string, unknown>[] };
}

/** A post that first waits for the job before it: see the op in outbox-ops.ts. */
function postAfterJob(message: SlackMessage, ref: string): OutboxOpInput {
  return { op: 'post_after_job', ref, text: message.text, blocks: message.blocks as unknown as Record<string, unknown>[] };
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

function answeredMessage(flow: Flow, state: ReviewState, question: Question): SlackMessage | null {
  const answer = state.answers[question.id];
  return answer ? answeredQuestionMessage(question, questionPosition(flow, state, question.id), answer, describeAnswer(question, answer)) : null;
}

function answeredUpdate(flow: Flow, state: ReviewState, question: Question): OutboxOpInput | null {
  const message = answeredMessage(flow, state, question);
  return message ? update(REF.question(question.id), message) : null;
}

/**
 * The message of the question the review waited on, once the review leaves
 * it (back, cancel, finish): its buttons go. An answer it had stands (it was
 * asked again by `back`), so that answer shows; otherwise `unanswered` does.
 */
function leftQuestionUpdate(ctx: RenderContext, unanswered: (question: Question) => SlackMessage): OutboxOpInput | null {
  const { flow, before, step } = ctx;
  const left = before.currentQuestionId ? findQuestion(flow, before, before.currentQuestionId) : null;
  if (!left) return null;
  return answeredUpdate(flow, step.state, left) ?? update(REF.question(left.id), unanswered(left));
}

/**
 * A question posted again (by `resume`, or by `back` to an answered one)
 * has an earlier copy that still shows its buttons or an answer about to be
 * replaced: that copy is struck through first. The update must reach Slack
 * before the new copy takes over the question's ref, and the inbox sends a
 * step's first post in the thread ahead of its updates (inbox.ts,
 * postingOrder): both steps therefore post a note before the new copy
 * ("Resumed.", and the note of `went_back`), which keeps the update ahead of it.
 */
function askedAgainUpdate(ctx: RenderContext, question: Question): OutboxOpInput | null {
  const { before } = ctx;
  if (!before.asked.includes(question.id)) return null;
  if (before.currentQuestionId !== question.id && !before.answers[question.id]) return null;
  return update(REF.question(question.id), askedAgainQuestionMessage(question));
}

/** Said to whoever types a first `cancel`: privately, as the review goes on for everyone else. */
export const CANCEL_CONFIRM = 'Cancel this review? Reply `cancel` again within 2 minutes to confirm; the answers so far are kept.';

/** What a refused input on a review that is not active is told; also what a refused click is told, privately. */
export function notActiveText(status: ReviewState['status']): string {
  return status === 'paused'
    ? 'This review is paused. Type *resume* to go on.'
    : status === 'completed'
      ? 'This review is finished: the summary is above. You can still edit an answer you gave.'
      : 'This review was cancelled.';
}

/** A prompt quoted at the end of a sentence: no full stop after one that already ends in punctuation. */
function quotedPrompt(prompt: string): string {
  const quoted = truncate(plain(prompt), 500);
  return /[.!?…:;]$/.test(quoted) ? `“${quoted}”` : `“${quoted}”.`;
}

/** Who cancelled and when: the last `cancel` in the history, its time falling back to when the review ended. */
function cancellationOf(state: ReviewState): { by?: string; at?: string } {
  const entry = state.history.findLast((item) => item.action === 'cancel');
  const at = entry?.at ?? state.finishedAt;
  return { ...(entry ? { by: entry.by } : {}), ...(at ? { at } : {}) };
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
      cancelled: step.state.status === 'cancelled' ? cancellationOf(step.state) : undefined,
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

/** The card `item` is on, as it should read now (a verdict given, a later card posted below it). */
function suggestionCardUpdate(ctx: RenderContext, item: Suggestion): OutboxOpInput {
  return update(REF.suggestions(item.afterQuestionId, item.batch), suggestionsCard(ctx.step.state, item, ctx.modelConfigured));
}

/** The job a `suggest` effect starts; proxy failures name the answer they are for, so a later edit is told apart. */
function suggestionJob(state: ReviewState, effect: Extract<Effect, { type: 'suggest' }>): OutboxOpInput {
  const answer = effect.kind === 'proxy-failures' ? state.answers[effect.afterQuestionId] : undefined;
  return { op: 'job', job: effect.kind, afterQuestionId: effect.afterQuestionId, ...(answer ? { forAnswer: answerFingerprint(answer.value) } : {}) };
}

/**
 * The question asked after the metric was held back for the suggestions and
 * left to the step that applies them (holdForSuggestions), but a reply may
 * have answered it before they came: someone quick, or replies in a burst.
 * Then the review waits on a later question, or has ended, and the held one
 * would never reach the thread; it is posted here as answered, unless it
 * went out after all (the wait ran out first, so its ref is known). With
 * `orWaiting`, a held question the review still waits on is posted too, as
 * a question: the suggestions that were to come above it were not taken.
 */
function heldQuestionPost(ctx: RenderContext, metricId: string, waiting: Question | null | undefined, orWaiting = false): OutboxOpInput | null {
  const { flow, step } = ctx;
  const asked = step.state.asked;
  const metricAt = asked.lastIndexOf(metricId);
  const heldId = metricAt < 0 ? undefined : asked[metricAt + 1];
  if (heldId === undefined || (heldId === waiting?.id && !orWaiting)) return null;
  const held = findQuestion(flow, step.state, heldId);
  if (!held) return null;
  const message = held.id === waiting?.id ? questionMessage(step.state.id, held, questionPosition(flow, step.state, held.id)) : answeredMessage(flow, step.state, held);
  return message ? { op: 'post', ref: REF.question(heldId), text: message.text, blocks: message.blocks as unknown as Record<string, unknown>[], unlessPosted: true } : null;
}

function waitingQuestion(ctx: RenderContext): Question | null {
  const state = ctx.step.state;
  return state.status === 'active' && state.currentQuestionId ? (findQuestion(ctx.flow, state, state.currentQuestionId) ?? null) : null;
}

/**
 * Suggestions the review did not take (it had ended, or they were made for
 * a metric since edited) still let out the question held back for them.
 */
function heldQuestionsLeftOut(ctx: RenderContext): OutboxOpInput[] {
  const waiting = waitingQuestion(ctx);
  return ctx.flow.questions.filter((question) => question.suggest === 'proxy-failures').flatMap((metric) => heldQuestionPost(ctx, metric.id, waiting, true) ?? []);
}

/**
 * The thread after proxy-failure suggestions arrive: their card, the card
 * made for the metric before it was edited (which now says so), and the
 * question the review waits on below the card, so the question to answer is
 * always the thread's last. That question was either held back for the card
 * (see holdForSuggestions: never posted, so the update of its ref is skipped)
 * or posted before the card, too slow to wait for: then its copy above is
 * struck through. The card is the step's first post, so the update goes out
 * before the new copy takes the ref (askedAgainUpdate).
 */
function suggestionsAddedOps(ctx: RenderContext, suggestionIds: string[]): OutboxOpInput[] {
  const { flow, step } = ctx;
  const state = step.state;
  const first = state.suggestions.find((item) => suggestionIds.includes(item.id));
  if (!first) return [];
  const ops: OutboxOpInput[] = [post(suggestionsCard(state, first, ctx.modelConfigured), REF.suggestions(first.afterQuestionId, first.batch))];
  const earlier = cardBefore(state, first);
  if (earlier) ops.push(suggestionCardUpdate(ctx, earlier));
  const waiting = waitingQuestion(ctx);
  const heldPost = heldQuestionPost(ctx, first.afterQuestionId, waiting);
  if (heldPost) ops.push(heldPost);
  if (waiting && waiting.id !== first.afterQuestionId && !step.effects.some((other) => other.type === 'ask')) {
    ops.push(update(REF.question(waiting.id), askedAgainQuestionMessage(waiting)));
    ops.push(post(questionMessage(state.id, waiting, questionPosition(flow, state, waiting.id)), REF.question(waiting.id)));
  }
  return ops;
}

/** `held`: an `ask` that waits for the suggestions job before it (holdForSuggestions). */
function renderEffect(ctx: RenderContext, effect: Effect, held = false): OutboxOpInput[] {
  const { flow, step, before } = ctx;
  const state = step.state;
  switch (effect.type) {
    case 'ask': {
      const question = findQuestion(flow, state, effect.questionId);
      if (!question) return [];
      const ops: OutboxOpInput[] = [];
      const again = askedAgainUpdate(ctx, question);
      if (again) ops.push(again);
      const message = questionMessage(state.id, question, questionPosition(flow, state, question.id));
      ops.push(held ? postAfterJob(message, REF.question(question.id)) : post(message, REF.question(question.id)));
      return ops;
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
      const ops: OutboxOpInput[] = [];
      const left = before.currentQuestionId !== effect.questionId ? leftQuestionUpdate(ctx, supersededQuestionMessage) : null;
      if (left) ops.push(left);
      // Posted before the question asked again, so its earlier copy is struck through first: see askedAgainUpdate.
      ops.push(note(`:leftwards_arrow_with_hook: Back to question ${questionPosition(flow, state, effect.questionId).number}.`));
      return ops;
    }
    case 'nothing_to_go_back_to':
      return [note('There is no earlier question to go back to.')];
    case 'edited': {
      const question = findQuestion(flow, state, effect.questionId);
      const ops: OutboxOpInput[] = [];
      const op = question ? answeredUpdate(flow, state, question) : null;
      if (op) ops.push(op);
      ops.push(note(`:pencil2: Updated the answer to ${quotedPrompt(question ? question.prompt : effect.questionId)}`));
      if (state.status === 'completed' && before.status === 'completed') ops.push(...summaryOps(ctx, 'update'));
      return ops;
    }
    case 'edit_ignored':
      if (effect.reason === 'invalid' && effect.message) return [note(`:warning: That edit was not applied: ${engineText(effect.message)} The earlier answer stands.`)];
      // An edit of a message that was no answer (refused, a word, a remark): told privately, or the edit seems to do nothing.
      return effect.reason === 'unknown_message' && ctx.actor ? [{ op: 'ephemeral', user: ctx.actor, text: EDIT_OF_NO_ANSWER }] : [];
    case 'paused': {
      const ops = [note(':double_vertical_bar: Paused. Type *resume* in this thread to go on.'), rootUpdate(ctx)];
      // Its buttons go while paused, as a cancelled review's do: a click could only be refused. `resume` asks it again.
      const left = leftQuestionUpdate(ctx, pausedQuestionMessage);
      if (left) ops.push(left);
      return ops;
    }
    case 'resumed':
      return [note(':arrow_forward: Resumed.'), rootUpdate(ctx)];
    case 'cancel_requested':
      return [ctx.actor ? { op: 'ephemeral', user: ctx.actor, text: CANCEL_CONFIRM } : note(CANCEL_CONFIRM)];
    case 'cancelled': {
      const ops = [note(':x: Review cancelled. The answers so far are kept with the review.'), rootUpdate(ctx)];
      // The question it waited on loses its buttons, as an answered one does: a click there could only be refused.
      const left = leftQuestionUpdate(ctx, (question) => endedQuestionMessage(question, 'cancelled'));
      if (left) ops.push(left);
      return ops;
    }
    case 'completed': {
      const ops: OutboxOpInput[] = [rootUpdate(ctx), ...summaryOps(ctx, 'post')];
      // Finished early: the question it waited on loses its buttons (an answered last question was updated by `recorded`).
      const recorded = step.effects.some((other) => other.type === 'recorded' && other.questionId === before.currentQuestionId);
      const left = recorded ? null : leftQuestionUpdate(ctx, (question) => endedQuestionMessage(question, 'completed'));
      if (left) ops.push(left);
      if (ctx.modelConfigured) ops.push({ op: 'job', job: 'redteam' });
      return ops;
    }
    case 'not_active':
      // A click queued just before the review was paused or ended: only the person who clicked needs telling.
      // So does whoever writes in a finished or cancelled review's thread: one public note per reply would only repeat
      // itself. A paused review's note stays public: it tells everyone in the thread how to go on.
      return ctx.actor && (ctx.inputType === 'choose' || ctx.inputType === 'verdict' || effect.status !== 'paused') ? [{ op: 'ephemeral', user: ctx.actor, text: notActiveText(effect.status) }] : [note(notActiveText(effect.status))];
    case 'suggest':
      return [suggestionJob(state, effect)];
    case 'suggestions_added': {
      const ops = suggestionsAddedOps(ctx, effect.suggestionIds);
      // Taken by a finished review only for a metric edited since: the cards now count the new card (countedSuggestions).
      // The leads' card only where the drain looked up its channel (inbox.ts, CARD_EFFECTS); a verdict's step always does.
      if (state.status === 'completed') ops.push(...summaryOps(ctx, 'update'));
      return ops;
    }
    case 'questions_added': {
      const ops: OutboxOpInput[] = [];
      // Follow-ups asked before a question already posted: that one loses its buttons until its turn comes again.
      const postponed = before.currentQuestionId && before.currentQuestionId !== state.currentQuestionId ? findQuestion(flow, before, before.currentQuestionId) : null;
      if (postponed && !state.answers[postponed.id]) ops.push(update(REF.question(postponed.id), postponedQuestionMessage(postponed)));
      ops.push(note(`:bulb: I added ${effect.questionIds.length} suggested follow-up question${effect.questionIds.length === 1 ? '' : 's'} about this system. They are optional: type *skip* to pass.`));
      return ops;
    }
    case 'verdict_recorded': {
      const item = state.suggestions.find((suggestion) => suggestion.id === effect.suggestionId);
      const ops = item ? [suggestionCardUpdate(ctx, item)] : [];
      if (state.status === 'completed') ops.push(...summaryOps(ctx, 'update'));
      return ops;
    }
    case 'redteam_added':
      return summaryOps(ctx, 'update');
    case 'decided': {
      // The cards change in place; the note in the thread tells the team, and the person who started the review, what was decided.
      const ops = summaryOps(ctx, 'update');
      if (state.decision) ops.push(post(decisionNoteMessage({ decision: state.decision, before: before.decision, startedBy: state.startedBy })));
      return ops;
    }
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

/**
 * A step that answers the metric asks the next question and starts the
 * proxy-failure suggestions. The question then waits for them, at most
 * SUGGESTIONS_WAIT_MS (a 'post_after_job' right after the job, outbox.ts):
 * suggestions ready by then are posted first, by the step that applies them,
 * with the question once below them; slower ones come after it, as before.
 * Returns the effects in the order to render them, and the ask to hold.
 */
function holdForSuggestions(effects: Effect[]): { effects: Effect[]; held?: Effect } {
  const suggest = effects.find((effect) => effect.type === 'suggest' && effect.kind === 'proxy-failures');
  const ask = effects.find((effect) => effect.type === 'ask');
  if (!suggest || !ask) return { effects };
  return { effects: [...effects.filter((effect) => effect !== suggest && effect !== ask), suggest, ask], held: ask };
}

export function renderStep(ctx: RenderContext): OutboxOpInput[] {
  const { effects, held } = holdForSuggestions(questionFirst(ctx.step.effects.filter((effect) => shownTo(ctx, effect))));
  const ops = effects.flatMap((effect) => renderEffect(ctx, effect, effect === held));
  const cardTaken = ctx.step.effects.some((effect) => effect.type === 'suggestions_added');
  return ctx.inputType === 'add_suggestions' && !cardTaken ? [...ops, ...heldQuestionsLeftOut(ctx)] : ops;
}
