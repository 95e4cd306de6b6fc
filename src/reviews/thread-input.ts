/**
 * A person's reply, edit or click in a review's thread, on its way to the
 * inbox: who may answer, the read-only words (status, help) answered at
 * once, everything else queued and applied in order.
 */
import type { WebClient } from '@slack/web-api';
import { applicableQuestions, currentQuestion, interpretWord, questionCountNow } from '../engine/index.js';
import type { ReviewInput } from '../engine/types.js';
import { deletedThreadNoteText } from '../slack/blocks/confirm-delete.js';
import { statusMessage, THREAD_WORDS_HELP } from '../slack/blocks/notes.js';
import { simpleMessage } from '../slack/blocks/message.js';
import { chatClientFor } from '../slack/chat-client.js';
import type { Enqueued, ReviewRecord, ThreadDeletion } from '../store/types.js';
import { errorMessage } from '../logger.js';
import type { ReviewDeps } from './deps.js';
import type { ReviewInbox } from './inbox.js';
import { readThreadEntry, type ThreadEntry } from './thread-directory.js';

export const COULD_NOT_SAVE = 'I could not save that answer; please send it again in a minute.';

/**
 * Past this many inputs a minute from one person to one review, the rest are
 * ignored (a script, a paste gone wrong). A person answers a whole review in
 * fewer; tests and the benchmark answer much faster than people, and stay under it.
 */
export const INPUTS_PER_MINUTE_PER_PERSON = 60;

export interface ThreadContext {
  teamId: string;
  channelId: string;
  threadTs: string;
  userId: string;
  /**
   * Lets Slack's acknowledgement of the request go, where it is held until
   * the input is queued (slack/ack-hold.ts): called once the input is
   * queued or could not be, and before anything is said in Slack, so the
   * ack never waits on a Web API call.
   */
  acknowledge?: () => void;
}

/** A Slack ts ("1700000000.000100") as an ISO time. */
export function tsToIso(ts: string): string {
  const seconds = Number(ts);
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : new Date().toISOString();
}

export type Lookup = ThreadEntry | null;

/** The review of a thread, or null when the app did not start it. */
export async function reviewOfThread(deps: ReviewDeps, ctx: Pick<ThreadContext, 'teamId' | 'channelId' | 'threadTs'>): Promise<Lookup> {
  if (deps.threads) return deps.threads.find(ctx.teamId, ctx.channelId, ctx.threadTs);
  return readThreadEntry(deps.store, ctx.teamId, ctx.channelId, ctx.threadTs);
}

/** What a person sent, for a refusal to name it. */
export type SentInput = 'message' | 'edit' | 'click';

/** The refusal's last sentence: a click is not a message, and one not named (a caller that does not say) is told in words true of any input. */
const NOT_RECORDED: Record<SentInput | 'unknown', string> = {
  message: 'Your message was not recorded.',
  edit: 'Your edit was not applied.',
  click: 'Your click was not recorded.',
  unknown: 'Nothing was recorded.',
};

/**
 * When respondents are named, only they may answer or change the review;
 * others are told privately. The read-only words (status, help) never come
 * here: anyone in the channel may ask them (handleThreadReply).
 */
export async function mayAnswer(client: WebClient, record: Pick<ReviewRecord, 'placement'>, ctx: ThreadContext, sent?: SentInput): Promise<boolean> {
  if (isRespondent(record, ctx.userId)) return true;
  const respondents = record.placement.respondents ?? [];
  ctx.acknowledge?.();
  await client.chat.postEphemeral({
    channel: ctx.channelId,
    thread_ts: ctx.threadTs,
    user: ctx.userId,
    text: `Only ${respondents.map((id) => `<@${id}>`).join(', ')} can answer this review. ${NOT_RECORDED[sent ?? 'unknown']}`,
  });
  return false;
}

/** Whether the person may answer: anyone when no respondents are named. Reads nothing. */
function isRespondent(record: Pick<ReviewRecord, 'placement'>, userId: string): boolean {
  const respondents = record.placement.respondents;
  return !respondents?.length || respondents.includes(userId);
}

/**
 * mayAnswer for a reply or an edit in a thread the process knows. A person who
 * may answer costs nothing more than before. One who may not is first looked for
 * a deletion of the review (one read, on a refusal only): once it is deleted, who
 * may answer no longer matters, and the deletion is what they are told. A failed
 * look refuses as before: nothing is recorded either way.
 */
async function mayAnswerInThread(deps: ReviewDeps, client: WebClient, lookup: ThreadEntry, ctx: ThreadContext, sent: SentInput, inputId: string): Promise<boolean> {
  if (isRespondent(lookup, ctx.userId)) return true;
  const deletion = await deps.store.findThreadDeletion(ctx.teamId, ctx.channelId, ctx.threadTs).catch((error: unknown) => {
    deps.logger.warn({ teamId: ctx.teamId, channel: ctx.channelId, err: errorMessage(error) }, 'Could not look for a deletion of the thread’s review');
    return null;
  });
  if (!deletion) return mayAnswer(client, lookup, ctx, sent);
  await tellReviewDeleted(deps, client, ctx, deletion, sent, inputId);
  return false;
}

async function answerReadOnlyWord(deps: ReviewDeps, client: WebClient, record: ReviewRecord, word: 'status' | 'help', ctx: ThreadContext): Promise<void> {
  const flow = deps.flows.get(record.state.flowId);
  let message;
  if (word === 'help' || !flow) {
    message = simpleMessage(THREAD_WORDS_HELP, 'Review help');
  } else {
    const applicable = applicableQuestions(flow, record.state);
    // A skipped question has an entry in `answers` but no answer: it counts as open, not as answered.
    const answered = applicable.filter((question) => {
      const value = record.state.answers[question.id]?.value;
      return value !== undefined && value.kind !== 'skipped';
    });
    const open = applicable.filter((question) => {
      const value = record.state.answers[question.id]?.value;
      return value?.kind === 'skipped' || (value?.kind === 'options' && value.optionIds.includes('not_sure'));
    });
    const current = currentQuestion(flow, record.state);
    message = statusMessage({
      systemName: record.state.systemName,
      status: record.state.status,
      answered: answered.length,
      total: questionCountNow(flow, record.state),
      open: open.length,
      current: current ? { number: applicable.findIndex((question) => question.id === current.id) + 1, prompt: current.prompt } : undefined,
    });
  }
  await chatClientFor(client).chat.postMessage({ channel: ctx.channelId, thread_ts: ctx.threadTs, text: message.text, blocks: message.blocks });
}

/**
 * The thread's review. When the store is unreachable, the person is told
 * their message was not saved — only in threads the app started, which
 * Slack's parent_user_id tells without the store.
 */
async function reviewOfThreadOrTell(deps: ReviewDeps, client: WebClient, ctx: ThreadContext, parentIsOurs: boolean): Promise<Lookup> {
  try {
    return await reviewOfThread(deps, ctx);
  } catch (error) {
    if (parentIsOurs) await tellNotSaved(client, ctx);
    throw error;
  }
}

/**
 * Tells the person privately that the thread's review was deleted (by whom, when) and that what they sent was
 * not recorded: once per input (`inputId`, m:<ts> or edit:<ts>:<edited ts>), so Slack's retry of an event whose
 * first delivery timed out after the note went out says nothing more. The mark is taken before the note is sent,
 * on this path only; a mark that cannot be taken lets the note go (told twice rather than not at all).
 */
async function tellReviewDeleted(deps: ReviewDeps, client: WebClient, ctx: ThreadContext, deletion: ThreadDeletion, sent: SentInput, inputId: string): Promise<void> {
  ctx.acknowledge?.();
  const first = await deps.store.markDeletedThreadNote(ctx.teamId, ctx.channelId, inputId).catch((error: unknown) => {
    deps.logger.warn({ teamId: ctx.teamId, channel: ctx.channelId, err: errorMessage(error) }, 'Could not mark the deleted thread’s note as sent');
    return true;
  });
  if (!first) return;
  await client.chat.postEphemeral({ channel: ctx.channelId, thread_ts: ctx.threadTs, user: ctx.userId, text: `${deletedThreadNoteText(deletion)} ${NOT_RECORDED[sent]}` });
}

/**
 * The thread's review is not there: when a deletion left the thread its
 * tombstone, the person is told; otherwise nothing is said. Nothing of what
 * they sent was stored, so the store failing here is told as any failed save is.
 */
async function tellIfReviewDeleted(deps: ReviewDeps, client: WebClient, ctx: ThreadContext, sent: SentInput, inputId: string): Promise<void> {
  let deletion;
  try {
    deletion = await deps.store.findThreadDeletion(ctx.teamId, ctx.channelId, ctx.threadTs);
  } catch (error) {
    await tellNotSaved(client, ctx);
    throw error;
  }
  if (deletion) await tellReviewDeleted(deps, client, ctx, deletion, sent, inputId);
}

/**
 * The enqueue answered 'duplicate': usually Slack's retry of an input
 * already stored, but also what a review deleted since this process learned
 * its thread answers. Only the second is told. A failed look says nothing:
 * telling "not saved" of a stored input would have the person send it twice.
 */
async function tellIfDuplicateOfDeleted(deps: ReviewDeps, client: WebClient, ctx: ThreadContext, sent: SentInput, inputId: string): Promise<void> {
  const deletion = await deps.store.findThreadDeletion(ctx.teamId, ctx.channelId, ctx.threadTs).catch((error: unknown) => {
    deps.logger.warn({ teamId: ctx.teamId, channel: ctx.channelId, err: errorMessage(error) }, 'Could not look for a deletion of the thread’s review');
    return null;
  });
  if (deletion) await tellReviewDeleted(deps, client, ctx, deletion, sent, inputId);
}

/**
 * No review in the thread. Only a thread the app started can be a deleted
 * review's, so other threads cost no store read and hear nothing, as before.
 */
async function noReviewInThread(deps: ReviewDeps, client: WebClient, ctx: ThreadContext, sent: SentInput, inputId: string, parentIsOurs: boolean): Promise<void> {
  if (parentIsOurs) await tellIfReviewDeleted(deps, client, ctx, sent, inputId);
}

/** A new message in a thread. `parentIsOurs` says the thread's root was posted by this app (Slack's parent_user_id). */
export async function handleThreadReply(
  deps: ReviewDeps,
  inbox: ReviewInbox,
  client: WebClient,
  ctx: ThreadContext & { ts: string; text: string; eventId?: string; parentIsOurs: boolean },
): Promise<void> {
  const inputId = `m:${ctx.ts}`;
  const lookup = await reviewOfThreadOrTell(deps, client, ctx, ctx.parentIsOurs);
  if (!lookup) return noReviewInThread(deps, client, ctx, 'message', inputId, ctx.parentIsOurs);
  const { reviewId } = lookup;

  const word = interpretWord(ctx.text);
  // Read-only words change nothing, so anyone in the channel may ask them (the person who started a
  // review without answering it, a lead); answers and the words that steer the review stay with its respondents.
  if (word === 'status' || word === 'help') {
    // Nothing to queue: a read-only word.
    ctx.acknowledge?.();
    // Messages committed but never posted (a crash between the two) go out first, so
    // the question the status names is in the thread; a failed drain is retried on its own.
    await inbox.drain(ctx.teamId, reviewId).catch(() => undefined);
    const record = await deps.store.get(ctx.teamId, reviewId);
    // Gone since this process learned the thread's review (the thread directory keeps it): deleted, perhaps.
    if (!record) return tellIfReviewDeleted(deps, client, ctx, 'message', inputId);
    await answerReadOnlyWord(deps, client, record, word, ctx);
    return;
  }
  if (!(await mayAnswerInThread(deps, client, lookup, ctx, 'message', inputId))) return;
  const by = { by: ctx.userId, at: tsToIso(ctx.ts) };
  const input: ReviewInput = word ? { type: word, ...by } : { type: 'reply', text: ctx.text, messageTs: ctx.ts, ...by };
  // The store remembers the input id (m:<ts>) for the dedupe window, and it already catches both a retried
  // event (same event id, same ts) and the same message delivered twice: more keys would only cost memory
  // (three marks per reply were a third of a finished review's Redis memory).
  const outcome = await submitOrExplain(deps, inbox, client, ctx, reviewId, { id: inputId, seq: ctx.ts, input }, []);
  if (outcome === 'duplicate') await tellIfDuplicateOfDeleted(deps, client, ctx, 'message', inputId);
}

/** An edit of a message in a review thread. */
export async function handleThreadEdit(
  deps: ReviewDeps,
  inbox: ReviewInbox,
  client: WebClient,
  ctx: ThreadContext & { ts: string; editedTs: string; text: string; parentIsOurs?: boolean },
): Promise<void> {
  const key = `edit:${ctx.ts}:${ctx.editedTs}`;
  const lookup = await reviewOfThreadOrTell(deps, client, ctx, ctx.parentIsOurs ?? false);
  if (!lookup) return noReviewInThread(deps, client, ctx, 'edit', key, ctx.parentIsOurs ?? false);
  if (!(await mayAnswerInThread(deps, client, lookup, ctx, 'edit', key))) return;
  const input: ReviewInput = { type: 'edit', messageTs: ctx.ts, text: ctx.text, by: ctx.userId, at: tsToIso(ctx.editedTs) };
  const outcome = await submitOrExplain(deps, inbox, client, ctx, lookup.reviewId, { id: key, seq: ctx.editedTs, input }, [`${key}:${ctx.channelId}`]);
  if (outcome === 'duplicate') await tellIfDuplicateOfDeleted(deps, client, ctx, 'edit', key);
}

/** Says in the thread, naming the person, that what they just sent was not stored. */
export async function tellNotSaved(client: WebClient, ctx: ThreadContext): Promise<void> {
  ctx.acknowledge?.();
  await chatClientFor(client).chat.postMessage({ channel: ctx.channelId, thread_ts: ctx.threadTs, text: `:warning: <@${ctx.userId}> ${COULD_NOT_SAVE}` }).catch(() => undefined);
}

/**
 * One person flooding a review (each input costs a step and often a message
 * in the thread) is cut off for the rest of the minute, told once, privately;
 * everyone else's inputs, to this review and others, go on as usual. The
 * store counts with the enqueue itself, in the same round trip.
 */
async function tellOverLimit(deps: ReviewDeps, client: WebClient, ctx: ThreadContext, reviewId: string, limit: number): Promise<void> {
  deps.logger.warn({ reviewId, teamId: ctx.teamId, limit }, 'One person is flooding a review; ignoring their inputs for the rest of the minute');
  await client.chat
    .postEphemeral({ channel: ctx.channelId, thread_ts: ctx.threadTs, user: ctx.userId, text: `You have sent more than ${limit} messages to this review in a minute, so I am ignoring the rest for now. Wait a minute, then go on.` })
    .catch(() => undefined);
}

/**
 * Queues the input; when the store fails, says so in the thread instead of losing the answer silently.
 * Resolves with what the enqueue said: a review gone since its thread was looked up answers 'duplicate'
 * (its inbox and dedupe marks went with it), which a caller may want to explain.
 */
export async function submitOrExplain(
  deps: ReviewDeps,
  inbox: ReviewInbox,
  client: WebClient,
  ctx: ThreadContext,
  reviewId: string,
  queued: { id: string; seq: string; input: ReviewInput },
  dedupeKeys: string[],
): Promise<Enqueued['outcome']> {
  // Only people's inputs come through here; the app's own (suggestions) go straight to the inbox.
  const limit = deps.settings.inputsPerMinutePerPerson ?? INPUTS_PER_MINUTE_PER_PERSON;
  let result: Enqueued;
  try {
    result = await inbox.enqueueCounted(ctx.teamId, reviewId, queued, dedupeKeys, { person: ctx.userId, max: limit, windowSeconds: 60 });
  } catch (error) {
    inbox.retract(ctx.teamId, reviewId, queued.id);
    await tellNotSaved(client, ctx);
    throw error;
  }
  // Queued: a process that dies from here on leaves it for the next drain, so Slack may have its ack.
  ctx.acknowledge?.();
  if (result.outcome === 'over_limit') {
    if (result.count === limit + 1) await tellOverLimit(deps, client, ctx, reviewId, limit);
    return result.outcome;
  }
  // Once queued, the input is safe: if applying it fails now, the next drain applies it.
  if (result.outcome === 'queued') await inbox.drain(ctx.teamId, reviewId, result);
  // Slack delivers again what a process took and died before acknowledging: the input may
  // still be queued, and this replica applies it (once the dead one's lock lapses) rather
  // than leave it for the next look for reviews left with work. Nothing queued: one look.
  else if (result.outcome === 'duplicate') await inbox.drain(ctx.teamId, reviewId);
  return result.outcome;
}
