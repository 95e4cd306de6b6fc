/**
 * What every part of a running stand-in shares: the world, the clock, the
 * deliverer, the recorded calls, the trigger ids and response URLs it issued,
 * and the helpers that turn world changes into events for the app. One value
 * per stand-in, passed to whoever needs it (no module-level state).
 */
import { EventEmitter } from 'node:events';
import type { Deliverer, DeliverRequest } from './deliverer.js';
import type { ResolvedOptions } from './options.js';
import { eventEnvelope } from './payloads/events.js';
import type { Json, RenderContext } from './payloads/message-json.js';
import { randomToken, type IdMaker, type TsClock } from './world/clock.js';
import type { World } from './world/types.js';

export interface RecordedCall {
  id: number;
  /** Web API method name, or "response_url" / "file_upload" for those endpoints. */
  method: string;
  /** Parsed arguments (JSON body, form fields, or query). */
  args: Record<string, unknown>;
  /** ISO time. */
  at: string;
  status: number;
  response: Json;
  /** Things the stand-in noticed but let pass (unknown block types, odd thread_ts). */
  notes: string[];
}

export interface ResponseUrlTarget {
  userId: string;
  channelId: string;
  /** What the interaction came from. */
  source: 'command' | 'message' | 'ephemeral';
  messageTs?: string;
  threadTs?: string;
  uses: number;
}

export interface Runtime {
  options: ResolvedOptions;
  world: World;
  clock: TsClock;
  ids: IdMaker;
  deliverer: Deliverer;
  events: EventEmitter;
  calls: RecordedCall[];
  responseUrls: Map<string, ResponseUrlTarget>;
  baseUrl(): string;
  render(): RenderContext;
  /** Tell watchers (playground, waitFor) the world changed. */
  changed(reason: string): void;
  issueTrigger(userId: string): string;
  issueResponseUrl(target: Omit<ResponseUrlTarget, 'uses'>): string;
  /** Wrap an event in an event_callback body. */
  eventBody(event: Json, channelId?: string): { body: string; eventId: string };
  /** Deliver an event later, after the current answer, in order (the app's own echoes). */
  echo(event: Json, channelId?: string): void;
  /** Resolves when every echo has been delivered and answered. */
  settled(): Promise<void>;
}

export interface RuntimeParts {
  options: ResolvedOptions;
  world: World;
  clock: TsClock;
  ids: IdMaker;
  deliverer: Deliverer;
  baseUrl: () => string;
}

export function createRuntime(parts: RuntimeParts): Runtime {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let pendingEchoes = 0;

  const runtime: Runtime = {
    ...parts,
    events,
    calls: [],
    responseUrls: new Map(),
    render: () => ({ world: parts.world, baseUrl: parts.baseUrl() }),
    changed: (reason) => {
      events.emit('change', { reason });
    },
    issueTrigger(userId) {
      const id = `${parts.clock.nowSeconds()}.${Math.floor(Math.random() * 1e10)}.${randomToken(32).toLowerCase()}`;
      parts.world.triggers[id] = { userId, issuedAt: parts.clock.nowMs(), used: false };
      return id;
    },
    issueResponseUrl(target) {
      const id = `${parts.world.team.id}/${parts.ids.next('R')}/${randomToken(24)}`;
      runtime.responseUrls.set(id, { ...target, uses: 0 });
      return `${parts.baseUrl()}response/${id}`;
    },
    eventBody(event, channelId) {
      const eventId = parts.ids.next('Ev');
      const envelope = eventEnvelope({
        world: parts.world,
        event,
        eventId,
        eventTime: parts.clock.nowSeconds(),
        ...(channelId ? { channelId } : {}),
      });
      return { body: JSON.stringify(envelope), eventId };
    },
    echo(event, channelId) {
      const { body, eventId } = runtime.eventBody(event, channelId);
      const request: DeliverRequest = {
        kind: 'event',
        description: describeEvent(event),
        body,
        eventId,
        contentType: 'application/json',
      };
      // Queued on the next turn so the Web API answer that caused it goes out first.
      pendingEchoes += 1;
      setImmediate(() => {
        pendingEchoes -= 1;
        parts.deliverer.enqueue(request);
      });
    },
    async settled() {
      do {
        while (pendingEchoes > 0) await new Promise((resolve) => setImmediate(resolve));
        await parts.deliverer.settled();
      } while (pendingEchoes > 0);
    },
  };
  return runtime;
}

/** "message", "message_changed", "app_home_opened", … for delivery records. */
export function describeEvent(event: Json): string {
  return typeof event.subtype === 'string' ? event.subtype : String(event.type);
}
