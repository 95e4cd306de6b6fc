/**
 * Starting a review: check the request, post the root message in the
 * channel (joining a public channel first if needed), store the review with
 * its first question in the outbox, and post that question in the thread.
 */
import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { applicableQuestions, startReview as startEngineReview } from '../engine/index.js';
import { rootMessage } from '../slack/blocks/root-message.js';
import { fromSlack } from '../slack/blocks/text.js';
import { slackErrorCode } from '../slack/api-errors.js';
import type { ReviewDeps } from './deps.js';
import type { ReviewInbox } from './inbox.js';
import { toOutboxItems } from './inbox.js';
import { encodeRef } from './outbox.js';
import { REF, renderStep } from './render-step.js';

export interface StartRequest {
  teamId: string;
  enterpriseId?: string;
  channelId: string;
  userId: string;
  systemName: string;
  flowId: string;
  respondents?: string[];
  leadsChannel?: string;
  /**
   * Slack's id of this request (a command's trigger_id, a modal's view id):
   * the same request twice (a replay within Slack's five minutes) starts one review.
   */
  requestId?: string;
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

export async function startReview(deps: ReviewDeps, inbox: ReviewInbox, client: WebClient, request: StartRequest): Promise<StartResult> {
  const flow = deps.flows.get(request.flowId);
  if (!flow) {
    return { ok: false, message: `There is no flow called \`${fromSlack(request.flowId.slice(0, 64))}\`. Flows: ${[...deps.flows.keys()].map((id) => `\`${id}\``).join(', ')}.` };
  }
  const systemName = request.systemName.trim().replace(/\s+/g, ' ');
  if (!systemName) return { ok: false, message: 'Name the AI system to review, e.g. `/alignment-review Resume screener`.' };
  if (systemName.length > MAX_SYSTEM_NAME) return { ok: false, message: `Keep the system's name under ${MAX_SYSTEM_NAME} characters.` };

  if (request.requestId && (await deps.store.hit(`start-once:${request.teamId}:${request.requestId.slice(0, 100)}`, ONCE_SECONDS)) > 1) {
    deps.logger.info({ teamId: request.teamId, channel: request.channelId }, 'Ignored a start request seen before');
    return { ok: false, message: '', duplicate: true };
  }
  // One person's flood is refused before it counts against the team, so the others can still start reviews.
  const perUser = deps.settings.reviewsPerMinutePerUser ?? Math.max(1, Math.ceil(deps.settings.reviewsPerMinutePerTeam / 4));
  if ((await deps.store.hit(`start:${request.teamId}:${request.userId}`, 60)) > perUser) {
    return { ok: false, message: `You have started ${perUser} review${perUser === 1 ? '' : 's'} in the last minute. Please wait a minute and try again.` };
  }
  const started = await deps.store.hit(`start:${request.teamId}`, 60);
  if (started > deps.settings.reviewsPerMinutePerTeam) {
    return { ok: false, message: `This workspace has started ${deps.settings.reviewsPerMinutePerTeam} reviews in the last minute. Please wait a minute and try again.` };
  }

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

  let posted;
  try {
    posted = await client.chat.postMessage({ channel: request.channelId, text: root.text, blocks: root.blocks });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== 'not_in_channel') throw error;
    try {
      await client.conversations.join({ channel: request.channelId });
    } catch (joinError) {
      if (['method_not_supported_for_channel_type', 'channel_not_found', 'is_private'].includes(slackErrorCode(joinError) ?? '')) {
        return { ok: false, message: 'I am not in this private channel, so I cannot hear the thread. Invite me with `/invite @Alignment Review`, then start the review again.' };
      }
      throw joinError;
    }
    posted = await client.chat.postMessage({ channel: request.channelId, text: root.text, blocks: root.blocks });
  }
  const threadTs = posted.ts;
  if (!threadTs) throw new Error('Slack did not return the ts of the root message');

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
  await deps.store.create({ placement, state: step.state }, toOutboxItems(ops));
  await deps.store.setRef(request.teamId, reviewId, REF.root, encodeRef(request.channelId, threadTs));
  await deps.reviewChanged?.(placement, step.state);
  deps.logger.info({ reviewId, teamId: request.teamId, channel: request.channelId, flowId: flow.id }, 'Review started');
  await inbox.drain(request.teamId, reviewId);
  return { ok: true, reviewId, threadTs };
}
