/**
 * What acting as a person shares: the runtime, the last event a person's
 * action delivered (for redelivery), looking people and channels up with
 * readable errors, and the result every action returns — what the app
 * answered and what appeared in the world while it handled the request.
 */
import type { Delivery, DeliverRequest } from '../deliverer.js';
import type { Json } from '../payloads/message-json.js';
import type { RecordedCall, Runtime } from '../runtime.js';
import type { WorldChannel, WorldEphemeral, WorldMessage, WorldUser } from '../world/types.js';
import { findChannel, findUser, imChannelFor } from '../world/world.js';

export interface ActorContext {
  runtime: Runtime;
  /** The last event_callback a person's action delivered. */
  lastEvent?: DeliverRequest;
}

export interface ActResult {
  /** HTTP status the app answered; 0 when unreachable; null when Slack sends nothing for this action. */
  status: number | null;
  /** The app's response body as text. */
  body: string;
  /** The body parsed as JSON when it is JSON. */
  json?: unknown;
  delivery?: Delivery;
  /** Messages and ephemerals that appeared while the app handled the request (including its ack). */
  posted: { messages: WorldMessage[]; ephemerals: WorldEphemeral[] };
  /** Web API calls made while the app handled the request. */
  calls: RecordedCall[];
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The items of a world list added after `seq`, oldest first. Lists only ever
 * grow at their end in seq order (addMessage, addEphemeral; removals keep the
 * order), so the new ones are a tail: found from the end, where a filter of
 * the whole list cost the benchmark's load driver a tenth of its time.
 */
export function addedSince<T extends { seq: number }>(list: readonly T[], seq: number): T[] {
  let start = list.length;
  while (start > 0 && list[start - 1]!.seq > seq) start -= 1;
  return list.slice(start);
}

/** Start watching the world; the returned function builds the result once the app answered. */
export function observe(runtime: Runtime): (delivery: Delivery | undefined) => ActResult {
  const seqBefore = runtime.world.seq;
  const callsBefore = runtime.calls.length;
  return (delivery) => {
    const json = delivery ? parseJsonBody(delivery.responseBody) : undefined;
    return {
      status: delivery ? delivery.status : null,
      body: delivery?.responseBody ?? '',
      ...(json !== undefined ? { json } : {}),
      ...(delivery ? { delivery } : {}),
      posted: {
        messages: addedSince(runtime.world.messages, seqBefore),
        ephemerals: addedSince(runtime.world.ephemerals, seqBefore),
      },
      calls: runtime.calls.slice(callsBefore),
    };
  };
}

export function requireUser(runtime: Runtime, userId: string): WorldUser {
  const user = findUser(runtime.world, userId);
  if (!user) throw new Error(`No person ${userId} in the stand-in workspace (known: ${runtime.world.users.map((u) => u.id).join(', ')})`);
  return user;
}

export function requireChannel(runtime: Runtime, channelId: string): WorldChannel {
  // A person's direct-message channel with the bot exists as soon as they use it.
  const dmUser = /^D/.test(channelId) ? findUser(runtime.world, `U${channelId.slice(1)}`) : undefined;
  if (dmUser && !dmUser.isBot && !findChannel(runtime.world, channelId)) imChannelFor(runtime.world, dmUser.id, runtime.clock.nowSeconds());
  const channel = findChannel(runtime.world, channelId);
  if (!channel) throw new Error(`No channel ${channelId} in the stand-in workspace (known: ${runtime.world.channels.map((c) => c.id).join(', ')})`);
  return channel;
}

/** Deliver an event caused by a person and remember it for redeliverLastEvent. */
export async function deliverPersonEvent(context: ActorContext, event: Json, channelId?: string): Promise<Delivery> {
  const { runtime } = context;
  const { body, eventId } = runtime.eventBody(event, channelId);
  const request: DeliverRequest = {
    kind: 'event',
    description: typeof event.subtype === 'string' ? event.subtype : String(event.type),
    body,
    eventId,
    contentType: 'application/json',
  };
  context.lastEvent = request;
  return runtime.deliverer.deliver(request);
}
