/**
 * Starting a review: check the request, post the root message in the
 * channel (joining a public channel first if needed), store the review with
 * its first question in the outbox, and post that question in the thread.
 * Once the review is stored it has started: a failure to post the question
 * is retried, not told as a failed start.
 * A start noted before its ack (noteStart) is noted again once its root
 * message is posted, and cleared at the end whatever happened: a start whose
 * process died in between is found and told by lost-starts.ts.
 */
import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { applicableQuestions, startReview as startEngineReview, typedLength } from '../engine/index.js';
import { rootMessage } from '../slack/blocks/root-message.js';
import { fromSlack } from '../slack/blocks/text.js';
import { slackErrorCode } from '../slack/api-errors.js';
import { chatClientFor } from '../slack/chat-client.js';
import { ReviewExistsError } from '../store/errors.js';
import type { PendingStart, TeamCounter } from '../store/types.js';
import type { ReviewDeps } from './deps.js';
import type { ReviewInbox } from './inbox.js';
import { toOutboxItems } from './inbox.js';
import { leadsChannelProblem } from './leads-channel-check.js';
import { markRootNotStarted, notStartedRootText, rootMark } from './lost-starts.js';
import { encodeRef } from './outbox.js';
import { REF, renderStep } from './render-step.js';
import { writeWaitingForStore } from './store-wait.js';
import { errorMessage } from '../logger.js';

export interface StartRequest {
  teamId: string;
  enterpriseId?: string;
  channelId: string;
  userId: string;
  systemName: string;
  flowId: string;
  respondents?: string[];
  leadsChannel?: string;
  /** The leads' channel was found fit before the start form closed: no need to ask Slack again. */
  leadsChannelChecked?: boolean;
  /**
   * Slack's id of this request (a command's trigger_id, a modal's view id):
   * the same request twice (a replay within Slack's five minutes) starts one review.
   */
  requestId?: string;
  /** What noteStart noted for it, before Slack was acknowledged. */
  noted?: NotedStart;
}

/** A start noted in the store while it runs (see lost-starts.ts). */
export interface NotedStart {
  startId: string;
  start: PendingStart;
}

/** The longest a start's ack waits for its note: the store's own timeout is longer, and Slack allows 3 s. */
const NOTE_WAIT_MS = 1_000;

/**
 * Notes a start before its ack goes to Slack, so that a process that dies
 * after the ack leaves a trace (lost-starts.ts), and one that dies before it
 * leaves the request unanswered, which Slack shows the person as a failure.
 * Waits at most NOTE_WAIT_MS: past that the ack goes, and the note with it
 * when it lands. Never rejects: a store that cannot take the note fails the
 * start itself a moment later, and that failure is told. Undefined when
 * nothing was noted: no request id, the store refused, or a replay of a
 * request already noted (whose note stays the first request's).
 */
export async function noteStart(deps: ReviewDeps, request: Pick<StartRequest, 'teamId' | 'enterpriseId' | 'channelId' | 'userId' | 'systemName' | 'requestId'>, responseUrl?: string): Promise<NotedStart | undefined> {
  if (!request.requestId) return undefined;
  const noted: NotedStart = {
    startId: request.requestId.slice(0, 100),
    start: {
      channelId: request.channelId,
      userId: request.userId,
      // A longer name is refused by the start itself, which then clears the note.
      systemName: request.systemName.slice(0, MAX_SYSTEM_NAME),
      ...(request.enterpriseId ? { enterpriseId: request.enterpriseId } : {}),
      ...(responseUrl ? { responseUrl } : {}),
      notedAt: deps.now().getTime(),
    },
  };
  const written = deps.store.noteStart(request.teamId, noted.startId, noted.start, 'new').then(
    (fresh) => fresh,
    (error: unknown) => {
      deps.logger.warn({ teamId: request.teamId, channel: request.channelId, err: errorMessage(error) }, 'Could not note a start');
      return false;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), NOTE_WAIT_MS);
  });
  const outcome = await Promise.race([written, waited]);
  clearTimeout(timer);
  return outcome === false ? undefined : noted;
}

/** `duplicate`: the request was seen before; nothing to say to anyone. */
export type StartResult = { ok: true; reviewId: string; threadTs: string } | { ok: false; message: string; duplicate?: true };

/** Longer than the five minutes in which a signed request can be replayed. */
const ONCE_SECONDS = 10 * 60;

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Short ids people can type: "R" and seven letters or digits without look-alikes. */
export function newReviewId(): string {
  const bytes = randomBytes(7);
  return `R${[...bytes].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('')}`;
}

export const MAX_SYSTEM_NAME = 200;

/** What the person is told when a review could not be started after its modal closed. */
export function startFailedMessage(systemName: string): string {
  return `:warning: I could not start the review of ${fromSlack(systemName)}. Please try again in a minute.`;
}

/**
 * The checks a start passes before anything is posted, counted in one round
 * trip and in this order: a request seen before (a replay) counts against
 * nothing, and one person's flood is refused before it counts against the
 * team, so the others can still start reviews. Null when the start may go on.
 */
async function startGate(deps: ReviewDeps, request: StartRequest): Promise<Extract<StartResult, { ok: false }> | null> {
  const perUser = deps.settings.reviewsPerMinutePerUser ?? Math.max(1, Math.ceil(deps.settings.reviewsPerMinutePerTeam / 4));
  const perTeam = deps.settings.reviewsPerMinutePerTeam;
  const counters: (TeamCounter & { refusal: Extract<StartResult, { ok: false }> })[] = [
    ...(request.requestId ? [{ name: `start-once:${request.requestId.slice(0, 100)}`, windowSeconds: ONCE_SECONDS, limit: 1, refusal: { ok: false as const, message: '', duplicate: true as const } }] : []),
    {
      name: `start:${request.userId}`,
      windowSeconds: 60,
      limit: perUser,
      refusal: { ok: false, message: `You have started ${perUser} review${perUser === 1 ? '' : 's'} in the last minute. Please wait a minute and try again.` },
    },
    { name: 'start', windowSeconds: 60, limit: perTeam, refusal: { ok: false, message: `This workspace has started ${perTeam} reviews in the last minute. Please wait a minute and try again.` } },
  ];
  const over = counters[await deps.store.hitInTurn(request.teamId, counters)];
  if (over?.refusal.duplicate) deps.logger.info({ teamId: request.teamId, channel: request.channelId }, 'Ignored a start request seen before');
  return over?.refusal ?? null;
}

export async function startReview(deps: ReviewDeps, inbox: ReviewInbox, client: WebClient, request: StartRequest): Promise<StartResult> {
  try {
    return await startNoted(deps, inbox, client, request);
  } finally {
    // Done, refused or failed (and told by the caller or the error funnel): nothing left for the look for lost starts.
    const { noted } = request;
    if (noted) await clearNote(deps, request.teamId, noted.startId);
  }
}

/**
 * Clears a start's note. A start that failed because the store was down was
 * told already (the error funnel, or a note after the modal), and its note
 * cannot be cleared while the store is down: left there, the look for lost
 * starts would tell the person a second time, and wrongly ("the app stopped").
 * The store remembers a clear that failed and makes it as soon as it can
 * (see ReviewStore.clearStart), so here it is only logged.
 */
async function clearNote(deps: ReviewDeps, teamId: string, startId: string): Promise<void> {
  await deps.store.clearStart(teamId, startId).catch((error: unknown) => {
    deps.logger.warn({ teamId, err: errorMessage(error) }, 'Could not clear the note of a start yet; it is cleared once the store is back');
  });
}

async function startNoted(deps: ReviewDeps, inbox: ReviewInbox, client: WebClient, request: StartRequest): Promise<StartResult> {
  const flow = deps.flows.get(request.flowId);
  if (!flow) {
    return { ok: false, message: `There is no flow called \`${fromSlack(request.flowId.slice(0, 64))}\`. Flows: ${[...deps.flows.keys()].map((id) => `\`${id}\``).join(', ')}.` };
  }
  const systemName = request.systemName.trim().replace(/\s+/g, ' ');
  if (!systemName) return { ok: false, message: 'Name the AI system to review, e.g. `/alignment-review Resume screener`.' };
  // Counted as typed: a slash command's text arrives with & < > escaped.
  if (typedLength(systemName) > MAX_SYSTEM_NAME) return { ok: false, message: `Keep the system's name under ${MAX_SYSTEM_NAME} characters.` };

  // Before the limits count it, and before anything is posted: a refused start changes nothing.
  // The start form may have checked it already, before it closed (start-review-submitted.ts).
  const leadsProblem = request.leadsChannel && !request.leadsChannelChecked ? await leadsChannelProblem(client, deps.logger, request.leadsChannel) : undefined;
  if (leadsProblem) return { ok: false, message: leadsProblem };

  const refusal = await startGate(deps, request);
  if (refusal) return refusal;

  const reviewId = newReviewId();
  const at = deps.now().toISOString();
  const step = startEngineReview(flow, { id: reviewId, systemName, startedBy: request.userId, at });
  const root = rootMessage({
    systemName,
    startedBy: request.userId,
    flow,
    questionCount: applicableQuestions(flow, step.state).length,
    reviewId,
    respondents: request.respondents,
  });

  // Through the lean client, as every post of a review: a root message whose answer was lost is not posted twice.
  const chat = chatClientFor(client);
  // Marked with the start's id: should the process die before it hears Slack's answer, the look for lost starts finds it by that.
  const metadata = request.noted ? rootMark(request.noted.startId) : undefined;
  let posted;
  try {
    posted = await chat.chat.postMessage({ channel: request.channelId, text: root.text, blocks: root.blocks, ...(metadata ? { metadata } : {}) });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== 'not_in_channel') throw error;
    try {
      await chat.conversations.join({ channel: request.channelId });
    } catch (joinError) {
      if (['method_not_supported_for_channel_type', 'channel_not_found', 'is_private'].includes(slackErrorCode(joinError) ?? '')) {
        return { ok: false, message: 'I am not in this private channel, so I cannot hear the thread. Invite me with `/invite @Alignment Review`, then start the review again.' };
      }
      throw joinError;
    }
    posted = await chat.chat.postMessage({ channel: request.channelId, text: root.text, blocks: root.blocks, ...(metadata ? { metadata } : {}) });
  }
  const threadTs = posted.ts;
  if (!threadTs) throw new Error('Slack did not return the ts of the root message');
  // Should the process die before the review is stored, the look for lost starts marks this message, and sees the
  // review when it was stored after all. Sent with the create rather than before it, one round trip sooner: on one
  // connection Redis runs it first (in a Cluster, on another node, at the same moment). Not needed to start: with
  // the store away for a moment, the create below waits for it instead.
  const rootNoted = request.noted
    ? deps.store.noteStart(request.teamId, request.noted.startId, { ...request.noted.start, rootTs: threadTs }, 'update').catch((error: unknown) => {
        deps.logger.warn({ teamId: request.teamId, channel: request.channelId, err: errorMessage(error) }, 'Could not note the root message of a start');
      })
    : undefined;

  const placement = {
    teamId: request.teamId,
    enterpriseId: request.enterpriseId,
    channelId: request.channelId,
    threadTs,
    leadsChannel: request.leadsChannel,
    respondents: request.respondents?.length ? request.respondents : undefined,
  };
  const ops = renderStep({
    flow,
    placement,
    before: step.state,
    step,
    modelConfigured: deps.suggester.modelConfigured,
  });
  try {
    // The root message is in the channel: a store away for a moment delays the review rather than failing it.
    await writeWaitingForStore(deps, () => deps.store.create({ placement, state: step.state }, toOutboxItems(ops), { [REF.root]: encodeRef(request.channelId, threadTs) }), {
      what: 'store a new review',
      context: { reviewId, teamId: request.teamId, channel: request.channelId },
      isFinal: (error) => error instanceof ReviewExistsError,
    });
  } catch (error) {
    await rootNoted;
    // The person is told (the error funnel, or a note after the modal); the channel should not wait for questions either.
    await markRootNotStarted(deps, client, { teamId: request.teamId, channelId: request.channelId, rootTs: threadTs }, notStartedRootText(systemName, 'I could not save it'));
    throw error;
  }
  // Stored, the review has started: its first question is in its outbox, and whatever fails from here is retried
  // (the drain's recovery, then the look for reviews left with work). Telling the person it failed would be untrue.
  deps.logger.info({ reviewId, teamId: request.teamId, channel: request.channelId, flowId: flow.id }, 'Review started');
  // The reminder is scheduled while the first question goes out: neither waits on the other.
  await Promise.all([
    rootNoted,
    deps.reviewChanged?.(placement, step.state),
    inbox.drain(request.teamId, reviewId).catch((error: unknown) => {
      deps.logger.warn({ reviewId, teamId: request.teamId, channel: request.channelId, err: errorMessage(error) }, 'Could not post the first question yet; it is retried');
    }),
  ]);
  return { ok: true, reviewId, threadTs };
}
