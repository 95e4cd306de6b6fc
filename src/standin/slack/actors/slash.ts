/**
 * A person running a slash command: Slack POSTs the command's form fields
 * (fixture 01) with a response_url and a trigger_id, shows a message carried
 * by the acknowledgement, and tells the person when the app failed to answer.
 */
import { slashCommandForm } from '../payloads/interactive.js';
import { applyResponseMessage } from '../response-url.js';
import { addEphemeral } from '../world/world.js';
import { observe, parseJsonBody, requireChannel, requireUser, type ActResult, type ActorContext } from './context.js';

export interface SlashCommandInput {
  userId: string;
  channelId: string;
  command: string;
  text: string;
}

export interface SlashCommandResult extends ActResult {
  triggerId: string;
  responseUrl: string;
}

export async function slashCommand(context: ActorContext, input: SlashCommandInput): Promise<SlashCommandResult> {
  const { runtime } = context;
  const user = requireUser(runtime, input.userId);
  const channel = requireChannel(runtime, input.channelId);
  const triggerId = runtime.issueTrigger(user.id);
  const target = { userId: user.id, channelId: channel.id, source: 'command' as const };
  const responseUrl = runtime.issueResponseUrl(target);
  const form = slashCommandForm({ world: runtime.world, user, channel, command: input.command, text: input.text, responseUrl, triggerId });

  const finish = observe(runtime);
  const delivery = await runtime.deliverer.deliver({
    kind: 'command',
    description: input.command,
    body: new URLSearchParams(form).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });

  if (delivery.status === 200) {
    const ack = parseJsonBody(delivery.responseBody);
    const ackTarget = { ...target, uses: 0 };
    if (typeof ack === 'object' && ack !== null && ('text' in ack || 'blocks' in ack)) {
      applyResponseMessage(runtime, ackTarget, ack as Record<string, unknown>);
    } else if (ack === undefined && delivery.responseBody.trim() !== '') {
      // A plain-text acknowledgement is shown to the person as it is.
      applyResponseMessage(runtime, ackTarget, { text: delivery.responseBody });
    }
  } else {
    const reason = delivery.error?.includes('timeout') || delivery.error?.includes('aborted') ? 'operation_timeout' : 'dispatch_failed';
    addEphemeral(runtime.world, {
      userId: user.id,
      channel: channel.id,
      ts: runtime.clock.nextTs(),
      text: `${input.command} failed with the error "${reason}"`,
      via: 'slack',
    });
    runtime.changed('ephemeral');
  }
  return { ...finish(delivery), triggerId, responseUrl };
}
