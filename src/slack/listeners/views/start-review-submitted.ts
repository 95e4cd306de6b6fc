/**
 * The start modal's submission: checked before it closes (errors show under
 * the field, and everything typed stays), then the review starts in the
 * channel the command came from.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { leadsChannelFieldError } from '../../../reviews/leads-channel-check.js';
import { MAX_SYSTEM_NAME, noteStart, startFailedMessage, startReview } from '../../../reviews/start-review.js';
import { INPUTS } from '../../ids.js';
import type { ListenerContext } from '../context.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * How long the form waits on Slack's word about the leads' channel before it
 * closes anyway. Slack gives a submission 3 seconds in all; this leaves the
 * rest for the way in, noting the start (a Redis write) and the answer's way
 * back, so a slow check never costs the form its answer.
 */
export const LEADS_CHECK_BEFORE_CLOSE_MS = 1_200;

const metadataSchema = z.object({ channelId: z.string().regex(/^[CGD][A-Z0-9]+$/) });

type Values = ViewSubmitAction['view']['state']['values'];

function valueOf(values: Values, input: { block: string; action: string }) {
  return values[input.block]?.[input.action];
}

export function startReviewSubmitted(ctx: ListenerContext) {
  return async ({ ack, view, body, client }: Args): Promise<void> => {
    const values = view.state.values;
    const flowId = valueOf(values, INPUTS.flow)?.selected_option?.value ?? '';
    const systemName = (valueOf(values, INPUTS.system)?.value ?? '').trim();
    const respondents = valueOf(values, INPUTS.respondents)?.selected_users ?? [];
    const leadsChannel = valueOf(values, INPUTS.leadsChannel)?.selected_conversation ?? undefined;
    const metadata = metadataSchema.safeParse((() => {
      try {
        return JSON.parse(view.private_metadata);
      } catch {
        return undefined;
      }
    })());

    const errors: Record<string, string> = {};
    if (!ctx.deps.flows.has(flowId)) errors[INPUTS.flow.block] = 'Pick one of the flows.';
    if (!systemName) errors[INPUTS.system.block] = 'Name the AI system to review.';
    else if (systemName.length > MAX_SYSTEM_NAME) errors[INPUTS.system.block] = `Keep it under ${MAX_SYSTEM_NAME} characters.`;
    if (!metadata.success) errors[INPUTS.system.block] = 'This form lost track of its channel: run /alignment-review again.';
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const teamId = body.team?.id ?? body.user.team_id;
    if (!teamId || !metadata.success) {
      await ack();
      return;
    }
    // A leads' channel the summary cannot reach is said under its field while the form is open; past the time
    // Slack allows, the start checks it after the form closes and says so privately, as it did before.
    const leadsCheck = leadsChannel ? await leadsChannelFieldError(client, ctx.deps.logger, leadsChannel, LEADS_CHECK_BEFORE_CLOSE_MS) : undefined;
    if (leadsCheck?.kind === 'error') {
      await ack({ response_action: 'errors', errors: { [INPUTS.leadsChannel.block]: leadsCheck.error } });
      return;
    }
    const request = {
      teamId,
      enterpriseId: body.enterprise?.id,
      channelId: metadata.data.channelId,
      userId: body.user.id,
      systemName,
      flowId,
      respondents,
      leadsChannel: leadsChannel ?? undefined,
      leadsChannelChecked: leadsCheck?.kind === 'ok',
      requestId: view.id,
    };
    // Noted before the modal closes: a process that dies after it is found and the person told (lost-starts.ts).
    const noted = await noteStart(ctx.deps, request);
    await ack();
    let result;
    try {
      result = await startReview(ctx.deps, ctx.inbox, client, { ...request, noted });
    } catch (error) {
      // The modal has closed: a start that failed (the store down) would otherwise pass without a word.
      await client.chat.postEphemeral({ channel: metadata.data.channelId, user: body.user.id, text: startFailedMessage(systemName) }).catch(() => undefined);
      throw error;
    }
    if (!result.ok && !result.duplicate) {
      await client.chat.postEphemeral({ channel: metadata.data.channelId, user: body.user.id, text: result.message });
    }
  };
}
