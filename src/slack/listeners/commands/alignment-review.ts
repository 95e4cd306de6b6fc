/**
 * `/alignment-review`: acknowledged at once (a start once it is noted, up to
 * a second), then the request is carried out and answered privately (help,
 * list, errors) or in the channel (a review).
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { DEFAULT_FLOW_ID } from '../../../reviews/deps.js';
import { LEADS_SETTING } from '../../../reviews/placement.js';
import { noteStart, startReview } from '../../../reviews/start-review.js';
import { helpMessage, reviewListMessage } from '../../blocks/notes.js';
import { startModal } from '../../blocks/start-modal.js';
import { flowChoices, type ListenerContext } from '../context.js';
import { parseCommandText } from './parse-command.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function alignmentReviewCommand(ctx: ListenerContext) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    const { deps } = ctx;
    const request = parseCommandText(command.text ?? '');
    const teamId = command.team_id;
    const start =
      request.kind === 'start'
        ? { teamId, enterpriseId: command.enterprise_id, channelId: command.channel_id, userId: command.user_id, systemName: request.systemName, flowId: request.flowId, requestId: command.trigger_id }
        : undefined;
    // A start is noted before Slack hears back: a process that dies after the ack is found and the person told (lost-starts.ts).
    const noted = start ? await noteStart(deps, start, command.response_url) : undefined;
    await ack();
    const privately = (text: string, blocks?: unknown[]) => respond({ response_type: 'ephemeral', text, blocks: blocks as never });

    switch (request.kind) {
      case 'help': {
        const message = helpMessage(flowChoices(deps));
        await privately(message.text, message.blocks);
        return;
      }
      case 'error':
        await privately(request.message);
        return;
      case 'modal':
        await client.views.open({
          trigger_id: command.trigger_id,
          view: startModal(flowChoices(deps), { channelId: command.channel_id }, DEFAULT_FLOW_ID),
        });
        return;
      case 'list': {
        const entries = await deps.store.listByChannel(teamId, command.channel_id, 20);
        const message = reviewListMessage(entries, {});
        await privately(message.text, message.blocks);
        return;
      }
      case 'config_show': {
        const settings = await deps.store.getSettings(teamId);
        const leads = settings[LEADS_SETTING] ?? deps.settings.leadsChannel;
        await privately(leads ? `Summary cards go to <#${leads}>.` : 'No leads\' channel is set. Set one with `/alignment-review config leads #channel`.');
        return;
      }
      case 'config_leads':
      case 'export':
      case 'delete':
        await ctx.leads.handle(request, { teamId, channelId: command.channel_id, userId: command.user_id, triggerId: command.trigger_id, client, respond: privately });
        return;
      case 'start': {
        const result = await startReview(deps, ctx.inbox, client, { ...start!, noted });
        if (!result.ok && !result.duplicate) await privately(result.message);
        return;
      }
    }
  };
}
