/**
 * Between the receiver and the Bolt app: requests Slack would never send,
 * and requests no listener answers.
 *
 * - A body of a known kind with the wrong shape (an interaction without a
 *   user, actions that are not a list, a command without its team) would
 *   make Bolt throw and the receiver answer 500: it is refused with 400
 *   before Bolt sees it, and logged once.
 * - A body of a kind the app does not know is answered 200 and logged once
 *   (Bolt would log and leave it to time out with a 404 after 3 seconds).
 * - A request no listener acknowledged (an unknown button, view or command)
 *   is answered 200 as soon as the listeners are done, and logged once.
 *
 * - A message event's ack waits until the person's reply is queued, so a
 *   process that dies before that leaves it unanswered and Slack sends it
 *   again (ack-hold.ts).
 *
 * - A request signed with a timestamp more than five minutes ahead of the
 *   app's clock is refused with 401: Bolt checks only that it is not too
 *   old, so without this a request dated ahead could be replayed for as long
 *   as it is "not old" (Slack's rule is five minutes either way).
 *
 * The guard sits in the receiver's place of the app (`receiver.init`), so
 * Bolt itself is unchanged.
 */
import type { App, ReceiverEvent, ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { AckHold } from './ack-hold.js';

export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
}

export class FutureRequestError extends Error {
  override readonly name = 'FutureRequestError';
}

/** Slack's window for a request's timestamp, both ways. */
const MAX_SKEW_SECONDS = 5 * 60;

/** The receiver's customPropertiesExtractor: carries the signed timestamp to the guard. */
export function requestTimestampOf(request: { headers: Record<string, string | string[] | undefined> }): { slackRequestTimestamp?: string } {
  const value = request.headers['x-slack-request-timestamp'];
  return typeof value === 'string' ? { slackRequestTimestamp: value } : {};
}

const id = z.string().min(1).max(64);
const withUser = z.looseObject({ user: z.looseObject({ id }) });

/** What Bolt needs of each kind of request to route it without throwing. */
const KNOWN: Record<string, z.ZodType> = {
  event_callback: z.looseObject({ event: z.looseObject({ type: z.string().min(1) }) }),
  app_rate_limited: z.looseObject({ team_id: z.string() }),
  block_actions: withUser.extend({ actions: z.array(z.looseObject({ action_id: z.string(), type: z.string().optional() })).min(1) }),
  block_suggestion: withUser.extend({ action_id: z.string() }),
  view_submission: withUser.extend({ view: z.looseObject({ callback_id: z.string(), state: z.looseObject({ values: z.record(z.string(), z.unknown()) }) }) }),
  view_closed: withUser.extend({ view: z.looseObject({ callback_id: z.string() }) }),
  shortcut: withUser.extend({ callback_id: z.string() }),
  message_action: withUser.extend({ callback_id: z.string(), channel: z.looseObject({ id }) }),
};

const command = z.looseObject({ command: z.string().startsWith('/'), team_id: id, user_id: id, channel_id: id });

/** The kind of a request body, or why it cannot be routed. */
export function classifyRequest(body: unknown): { kind: string } | { kind: 'unknown' } | { malformed: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { malformed: 'not an object' };
  const record = body as Record<string, unknown>;
  if ('command' in record) {
    const parsed = command.safeParse(record);
    return parsed.success ? { kind: 'command' } : { malformed: `command: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}` };
  }
  const type = typeof record.type === 'string' ? record.type : undefined;
  const schema = type ? KNOWN[type] : undefined;
  if (!type || !schema) return { kind: 'unknown' };
  const parsed = schema.safeParse(record);
  return parsed.success ? { kind: type } : { malformed: `${type}: ${parsed.error.issues.map((issue) => issue.path.join('.') || '(top)').join(', ')}` };
}

/** The context key under which a held request's listener finds the function that lets its ack go (see ack-hold.ts). */
export const ACKNOWLEDGE = 'acknowledgeQueued';

/** Message events may carry a person's answer: their ack waits for it to be queued. */
function holdsAck(body: unknown): boolean {
  const record = body as { type?: unknown; event?: { type?: unknown } };
  return record.type === 'event_callback' && record.event?.type === 'message';
}

/** The function a held request's listener calls once the input is queued, when the guard held its ack. */
export function acknowledgeOf(context: Record<string, unknown>): (() => void) | undefined {
  const release = context[ACKNOWLEDGE];
  return typeof release === 'function' ? (release as () => void) : undefined;
}

/** The app as the receiver sees it: the same app, with its requests checked and unanswered ones acknowledged. */
export function guardApp(app: App, logger: Logger): App {
  const guarded = Object.create(app) as App;
  guarded.processEvent = async (event: ReceiverEvent) => {
    const signedAt = Number(event.customProperties?.slackRequestTimestamp);
    if (Number.isFinite(signedAt) && signedAt > Date.now() / 1000 + MAX_SKEW_SECONDS) {
      logger.warn({ aheadSeconds: Math.round(signedAt - Date.now() / 1000) }, 'Refused a request dated in the future');
      throw new FutureRequestError('request timestamp ahead of the clock');
    }
    const kind = classifyRequest(event.body);
    if ('malformed' in kind) {
      // Field names only: the body may hold people's text.
      logger.warn({ problem: kind.malformed.slice(0, 200) }, 'Refused a malformed request');
      throw new MalformedRequestError(kind.malformed);
    }
    if (kind.kind === 'unknown') {
      logger.info('Ignored a request of a kind the app does not handle');
      await event.ack();
      return;
    }
    let acknowledged = false;
    const ack: ReceiverEvent['ack'] = async (response) => {
      acknowledged = true;
      await event.ack(response);
    };
    if (holdsAck(event.body)) {
      // Bolt acknowledges an event before any listener runs; the hold keeps that ack until the reply is queued.
      const hold = new AckHold(ack, logger);
      try {
        await app.processEvent({ ...event, ack: hold.ack, customProperties: { ...event.customProperties, [ACKNOWLEDGE]: hold.release } });
      } finally {
        hold.release();
      }
      return;
    }
    await app.processEvent({ ...event, ack });
    if (!acknowledged && kind.kind !== 'event_callback') {
      await event.ack();
      logger.info({ kind: kind.kind }, 'Acknowledged a request no listener answered');
    }
  };
  return guarded;
}

/** The HTTP receiver's error handler: 400 for a malformed request, 401 for one dated ahead, Bolt's default for everything else. */
export function answerMalformed(fallback: (args: ReceiverProcessEventErrorHandlerArgs) => Promise<boolean>) {
  return async (args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    const status = args.error instanceof MalformedRequestError ? 400 : args.error instanceof FutureRequestError ? 401 : undefined;
    if (status === undefined) return fallback(args);
    if (!args.response.headersSent) {
      args.response.writeHead(status);
      args.response.end();
    }
    return false;
  };
}
