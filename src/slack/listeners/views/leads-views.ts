/**
 * The leads' modals. A decision is checked and queued in the review's inbox
 * before the modal closes (errors, and a store that cannot be reached, show
 * under the field), then applied. A deletion is confirmed, then carried
 * out and reported privately, a failed one included.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { deleteConfirmed, deleteFailedMessage } from '../../../leads/delete-review.js';
import { checkSignOff, DECISION_NOT_SAVED, queueDecision, readSignOffForm } from '../../../leads/sign-off.js';
import { INPUTS } from '../../ids.js';
import type { ListenerContext } from '../context.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const metadataSchema = z.object({ r: z.string().regex(/^R[A-Z0-9]{4,12}$/), c: z.string().regex(/^[CGD][A-Z0-9]+$/) });

function metadataOf(text: string) {
  try {
    return metadataSchema.safeParse(JSON.parse(text));
  } catch {
    return metadataSchema.safeParse(undefined);
  }
}

export function signOffSubmitted(ctx: ListenerContext) {
  return async ({ ack, view, body, client }: Args): Promise<void> => {
    const metadata = metadataOf(view.private_metadata);
    const teamId = body.team?.id ?? body.user.team_id;
    if (!metadata.success || !teamId) {
      await ack({ response_action: 'errors', errors: { [INPUTS.decision.block]: 'This form lost track of its review: press the button on the card again.' } });
      return;
    }
    const form = readSignOffForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const problem = await checkSignOff(ctx.deps, client, teamId, metadata.data.r, body.user.id);
    if (problem) {
      await ack({ response_action: 'errors', errors: { [INPUTS.decision.block]: problem } });
      return;
    }
    // Queued before the modal closes: a decision that could not be stored keeps the modal open, with the lead's choices, and says so.
    let queued: boolean;
    try {
      queued = await queueDecision(ctx.deps, ctx.inbox, {
        teamId,
        reviewId: metadata.data.r,
        userId: body.user.id,
        viewId: view.id,
        submissionId: body.trigger_id,
        outcome: form.outcome,
        ...(form.conditions ? { conditions: form.conditions } : {}),
      });
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [INPUTS.decision.block]: DECISION_NOT_SAVED } });
      throw error;
    }
    await ack();
    if (queued) await ctx.inbox.drain(teamId, metadata.data.r);
  };
}

export function confirmDeleteSubmitted(ctx: ListenerContext) {
  return async ({ ack, view, body, client }: Args): Promise<void> => {
    await ack();
    const metadata = metadataOf(view.private_metadata);
    const teamId = body.team?.id ?? body.user.team_id;
    if (!metadata.success || !teamId) return;
    let result;
    try {
      result = await deleteConfirmed(ctx.deps, client, { teamId, userId: body.user.id, reviewId: metadata.data.r, deletionId: view.id });
    } catch (error) {
      // The modal has closed: a deletion the store refused would otherwise pass without a word.
      await client.chat.postEphemeral({ channel: metadata.data.c, user: body.user.id, text: deleteFailedMessage(metadata.data.r) }).catch(() => undefined);
      throw error;
    }
    const text = result.ok ? `:wastebasket: Review \`${metadata.data.r}\` and its history were deleted.` : result.message;
    await client.chat.postEphemeral({ channel: metadata.data.c, user: body.user.id, text }).catch(() => undefined);
  };
}
