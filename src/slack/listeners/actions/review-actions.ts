/**
 * Buttons and checkboxes in a review thread. Each click is checked against
 * the review it names and queued like a reply, so a click and a typed
 * answer arriving together are applied in order, once. Its ack waits until
 * the click is queued (ack-hold.ts): a process that dies before that leaves
 * the click unanswered, and Slack shows the person a warning on it instead
 * of taking it silently.
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { ReviewInput } from '../../../engine/types.js';
import { notActiveText } from '../../../reviews/render-step.js';
import { mayAnswer, submitOrExplain, tellNotSaved, tsToIso } from '../../../reviews/thread-input.js';
import { AckHold } from '../../ack-hold.js';
import { ACTIONS, BLOCKS } from '../../ids.js';
import type { ListenerContext } from '../context.js';
import { channelIdSchema, reviewIdSchema, slackTsSchema, teamIdSchema, userIdSchema } from '../slack-ids.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

const answerValue = z.object({ r: reviewIdSchema, q: z.string().min(1).max(64), o: z.string().max(64).optional() });
const suggestionValue = z.object({ r: reviewIdSchema, s: z.string().min(1).max(64) });

/** Where a click happened, checked: these go into store keys and into the notes the app posts. */
const clickSchema = z.object({ teamId: teamIdSchema, channelId: channelIdSchema, threadTs: slackTsSchema, userId: userIdSchema, actionTs: slackTsSchema });

function parseJson(value: string | undefined): unknown {
  try {
    return JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
}

interface Click {
  teamId: string;
  channelId: string;
  threadTs: string;
  userId: string;
  actionTs: string;
}

function clickOf(body: BlockAction, actionTs: string | undefined): Click | null {
  const message = body.message as { thread_ts?: string; ts?: string } | undefined;
  const click = clickSchema.safeParse({
    teamId: body.team?.id ?? body.user?.team_id,
    channelId: body.channel?.id ?? body.container?.channel_id,
    threadTs: message?.thread_ts ?? message?.ts,
    userId: body.user?.id,
    actionTs,
  });
  return click.success ? click.data : null;
}

/** The app's own buttons always carry a well-formed value and place: anything else is worth one log line, without its content. */
function ignoreMalformed(ctx: ListenerContext, args: Args, what: string): void {
  ctx.deps.logger.warn({ actionId: (args.action as { action_id?: string }).action_id?.slice(0, 64), what }, 'Ignored a click of an unexpected shape');
}

/** Runs a click's listener with its ack held until the click is queued; whatever happens, the ack goes when it ends. */
async function withHeldAck(ctx: ListenerContext, args: Args, work: (acknowledge: () => void) => Promise<void>): Promise<void> {
  const hold = new AckHold(() => args.ack(), ctx.deps.logger);
  await hold.ack();
  try {
    await work(hold.release);
  } finally {
    hold.release();
  }
}

async function submitClick(ctx: ListenerContext, args: Args, reviewId: string, click: Click, input: ReviewInput, acknowledge: () => void): Promise<void> {
  const { deps, inbox } = ctx;
  let record;
  try {
    record = await deps.store.get(click.teamId, reviewId);
  } catch (error) {
    // The store is unreachable: the click was on our own message, so say it was not saved.
    await tellNotSaved(args.client, { ...click, acknowledge });
    throw error;
  }
  // A button from another channel's review, or a deleted one: nothing to do.
  if (!record || record.placement.channelId !== click.channelId) return;
  const thread = { teamId: click.teamId, channelId: click.channelId, threadTs: record.placement.threadTs, userId: click.userId, acknowledge };
  if (!(await mayAnswer(args.client, record, thread, 'click'))) return;
  // An answer button on a review that is no longer active (an old copy, or a client showing the message before
  // its update) is refused here, privately: queued, the refusal would be a note in the thread for everyone, on every click.
  if (input.type === 'choose' && record.state.status !== 'active') {
    acknowledge();
    await args.client.chat.postEphemeral({ channel: click.channelId, thread_ts: record.placement.threadTs, user: click.userId, text: notActiveText(record.state.status) });
    return;
  }
  const key = `a:${click.actionTs}:${click.userId}`;
  await submitOrExplain(deps, inbox, args.client, thread, reviewId, { id: key, seq: click.actionTs, input }, [key]);
}

export function answerOptionAction(ctx: ListenerContext) {
  return (args: Args): Promise<void> => withHeldAck(ctx, args, async (acknowledge) => {
    const action = args.action as { value?: string; action_ts?: string };
    const value = answerValue.safeParse(parseJson(action.value));
    const click = clickOf(args.body, action.action_ts);
    if (!value.success || !value.data.o || !click) return ignoreMalformed(ctx, args, !click ? 'place' : 'value');
    await submitClick(ctx, args, value.data.r, click, {
      type: 'choose',
      questionId: value.data.q,
      optionIds: [value.data.o],
      by: click.userId,
      at: tsToIso(click.actionTs),
    }, acknowledge);
  });
}

export function multiSubmitAction(ctx: ListenerContext) {
  return (args: Args): Promise<void> => withHeldAck(ctx, args, async (acknowledge) => {
    const action = args.action as { value?: string; action_ts?: string };
    const value = answerValue.safeParse(parseJson(action.value));
    const click = clickOf(args.body, action.action_ts);
    if (!value.success || !click) return ignoreMalformed(ctx, args, !click ? 'place' : 'value');
    const state = args.body.state?.values?.[BLOCKS.multiActions]?.[ACTIONS.multiSelect] as { selected_options?: { value: string }[] } | undefined;
    const selected = (state?.selected_options ?? []).map((option) => option.value);
    if (selected.length === 0) {
      acknowledge();
      await args.client.chat.postEphemeral({
        channel: click.channelId,
        thread_ts: click.threadTs,
        user: click.userId,
        text: 'Tick at least one box before you press Submit (or type *skip*).',
      });
      return;
    }
    await submitClick(ctx, args, value.data.r, click, {
      type: 'choose',
      questionId: value.data.q,
      optionIds: selected,
      by: click.userId,
      at: tsToIso(click.actionTs),
    }, acknowledge);
  });
}

/** Ticking a box only changes the selection Slack keeps in the message; Submit reads it. */
export async function acknowledgeOnly({ ack }: Args): Promise<void> {
  await ack();
}

export function suggestionVerdictAction(ctx: ListenerContext, relevant: boolean) {
  return (args: Args): Promise<void> => withHeldAck(ctx, args, async (acknowledge) => {
    const action = args.action as { value?: string; action_ts?: string };
    const value = suggestionValue.safeParse(parseJson(action.value));
    const click = clickOf(args.body, action.action_ts);
    if (!value.success || !click) return ignoreMalformed(ctx, args, !click ? 'place' : 'value');
    await submitClick(ctx, args, value.data.r, click, {
      type: 'verdict',
      suggestionId: value.data.s,
      relevant,
      by: click.userId,
      at: tsToIso(click.actionTs),
    }, acknowledge);
  });
}
