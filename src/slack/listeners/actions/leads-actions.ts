/**
 * The leads' buttons and selects: "Record a decision" and "Export" on the
 * summary cards, "Open thread" and the filters on App Home. Each is
 * acknowledged at once; anything refused, or failed (the store down), is
 * said privately (on App Home, in the tab itself).
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { exportPlacedText, exportReviewPrivately } from '../../../leads/export-review.js';
import { isHomeShow, isOverallLevel, type HomeFilter } from '../../../leads/home-data.js';
import { publishHomeAsked } from '../../../leads/home.js';
import { openSignOff } from '../../../leads/sign-off.js';
import { REQUEST_FAILED } from '../../command-failure.js';
import { ACTIONS, BLOCKS, HOME_ALL } from '../../ids.js';
import type { ListenerContext } from '../context.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

interface Where {
  teamId: string;
  userId: string;
  channelId?: string;
  threadTs?: string;
}

function whereOf(body: BlockAction): Where | null {
  const teamId = body.team?.id ?? body.user.team_id;
  if (!teamId) return null;
  const message = body.message as { thread_ts?: string } | undefined;
  return { teamId, userId: body.user.id, channelId: body.channel?.id ?? body.container?.channel_id, threadTs: message?.thread_ts };
}

/** A review id as the card's buttons carry it. */
function reviewIdOf(args: Args): string | undefined {
  const value = (args.action as { value?: string }).value;
  return value && /^R[A-Z0-9]{4,12}$/.test(value) ? value : undefined;
}

async function tellPrivately(args: Args, where: Where, text: string): Promise<void> {
  if (!where.channelId) return;
  await args.client.chat.postEphemeral({ channel: where.channelId, user: where.userId, text, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) });
}

/** Runs a card button's work; when it fails after the ack, tells the person (where there is a channel to tell them in) and throws on to the error funnel. */
async function tellingFailure(args: Args, where: Where, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    await tellPrivately(args, where, REQUEST_FAILED).catch(() => undefined);
    throw error;
  }
}

export function signOffAction(ctx: ListenerContext) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const where = whereOf(args.body);
    const reviewId = reviewIdOf(args);
    const channelId = where?.channelId;
    if (!where || !reviewId || !channelId) return;
    await tellingFailure(args, where, async () => {
      const refusal = await openSignOff(ctx.deps, args.client, { ...where, channelId, triggerId: args.body.trigger_id, reviewId });
      if (refusal) await tellPrivately(args, where, refusal);
    });
  };
}

export function exportAction(ctx: ListenerContext) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const where = whereOf(args.body);
    const reviewId = reviewIdOf(args);
    if (!where || !reviewId) return;
    await tellingFailure(args, where, async () => {
      const result = await exportReviewPrivately(ctx.deps, args.client, { teamId: where.teamId, reviewId, userId: where.userId, channelId: where.channelId });
      // The files went to the person's direct messages: say so where they clicked.
      await tellPrivately(args, where, result.ok ? exportPlacedText(result, reviewId) : result.message);
    });
  };
}

/** A link button: Slack opens the thread itself and still tells the app, which only acknowledges. */
export async function openThreadAction({ ack }: Args): Promise<void> {
  await ack();
}

type SelectState = { selected_option?: { value?: string } | null };

export function homeFilterAction(ctx: ListenerContext) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const where = whereOf(args.body);
    if (!where) return;
    const values = args.body.view?.state?.values?.[BLOCKS.homeFilters] as Record<string, SelectState> | undefined;
    const channel = values?.[ACTIONS.homeFilterChannel]?.selected_option?.value;
    const level = values?.[ACTIONS.homeFilterLevel]?.selected_option?.value;
    const show = values?.[ACTIONS.homeFilterShow]?.selected_option?.value;
    const filter: HomeFilter = {
      ...(channel && channel !== HOME_ALL && /^[CGD][A-Z0-9]+$/.test(channel) ? { channel } : {}),
      ...(isOverallLevel(level) ? { level } : {}),
      ...(isHomeShow(show) ? { show } : {}),
    };
    await publishHomeAsked(ctx.deps, args.client, where.teamId, where.userId, { filter });
  };
}
