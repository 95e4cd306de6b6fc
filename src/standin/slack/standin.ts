/**
 * startSlackStandin: a local stand-in for Slack. It serves the Web API the
 * app calls (point the app's client at `apiUrl`) and acts as people do in
 * Slack, delivering their commands, messages, edits and clicks to the app's
 * /slack/events URL signed and shaped exactly as Slack sends them.
 */
import type { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { uninstallApp, type UninstallAppInput } from './actors/workspace.js';
import { deleteMessage, editMessage, openHome, sendMessage, type DeleteMessageInput, type EditMessageInput, type SendMessageInput } from './actors/messages.js';
import type { ActResult, ActorContext } from './actors/context.js';
import { clickButton, selectOption, submitCheckboxes, type ClickButtonInput, type SelectOptionInput, type SubmitCheckboxesInput } from './actors/interactive.js';
import { deliverRaw, redeliverLastEvent, type DeliverRawInput, type RedeliverInput } from './actors/raw.js';
import { slashCommand, type SlashCommandInput, type SlashCommandResult } from './actors/slash.js';
import { closeView, submitView, type SubmitViewInput, type SubmitViewResult } from './actors/views.js';
import { createDeliverer, type Delivery } from './deliverer.js';
import { createFailureQueue, type InjectedFailure } from './failures.js';
import { resolveOptions, type StandinOptions } from './options.js';
import { createRuntime, type RecordedCall } from './runtime.js';
import { createStandinServer } from './server.js';
import { waitFor, type WaitPredicate } from './wait.js';
import { createIdMaker, createTsClock } from './world/clock.js';
import type { World } from './world/types.js';
import { createWorld } from './world/world.js';

export interface SlackStandin {
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  readonly url: string;
  /** What the app's Web API client takes as slackApiUrl: `${url}/api/`. */
  readonly apiUrl: string;
  /** The bot token the Web API accepts. */
  readonly botToken: string;
  /** Every Web API call (plus response_url and upload posts), in order. */
  readonly calls: RecordedCall[];
  /** Every request delivered to the app, in order, with its answer. */
  readonly deliveries: Delivery[];
  /** The live world model (see world/types.ts). */
  readonly world: World;
  /** 'change' ({ reason }) when the world changes, 'call' per recorded call, 'delivery' per delivery. */
  readonly events: EventEmitter;
  /**
   * Where deliveries go. With several URLs each delivery goes to one of them
   * at random, as a load balancer without sticky sessions would send it to
   * one replica.
   */
  setAppUrl(url: string | readonly string[] | undefined): void;
  setEchoBotEvents(on: boolean): void;
  /** A JSON-safe copy of the world. */
  snapshot(): World;
  waitFor<T>(predicate: WaitPredicate<T>, options?: { timeoutMs?: number; description?: string }): Promise<T>;
  slashCommand(input: SlashCommandInput): Promise<SlashCommandResult>;
  sendMessage(input: SendMessageInput): Promise<ActResult & { ts: string }>;
  editMessage(input: EditMessageInput): Promise<ActResult>;
  deleteMessage(input: DeleteMessageInput): Promise<ActResult>;
  clickButton(input: ClickButtonInput): Promise<ActResult>;
  submitCheckboxes(input: SubmitCheckboxesInput): Promise<ActResult>;
  selectOption(input: SelectOptionInput): Promise<ActResult>;
  submitView(input: SubmitViewInput): Promise<SubmitViewResult>;
  closeView(input: { userId: string; viewId: string }): Promise<ActResult>;
  openHome(input: { userId: string }): Promise<ActResult>;
  /** A workspace admin removes the app: its token is refused from then on, and tokens_revoked and app_uninstalled are delivered. */
  uninstallApp(input?: UninstallAppInput): Promise<ActResult>;
  deliverRaw(input: DeliverRawInput): Promise<ActResult>;
  redeliverLastEvent(input: RedeliverInput): Promise<ActResult>;
  /** Make the next call(s) of a Web API method fail. */
  failNext(method: string, failure?: InjectedFailure): void;
  /** Resolves once every echo of the app's own actions has been delivered and answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startSlackStandin(input: StandinOptions): Promise<SlackStandin> {
  const options = resolveOptions(input);
  const clock = createTsClock(options.now);
  const world = createWorld(options, clock.nowSeconds());
  let appUrls: readonly string[] = options.appUrl ? [options.appUrl] : [];
  let baseUrl = '';
  const deliverer = createDeliverer({
    appUrl: () => (appUrls.length <= 1 ? appUrls[0] : appUrls[Math.floor(Math.random() * appUrls.length)]),
    signingSecret: options.signingSecret,
    timeoutMs: options.deliveryTimeoutMs,
    eventRetryDelaysMs: options.eventRetryDelaysMs,
    onDelivery: (delivery) => runtime.events.emit('delivery', delivery),
  });
  const runtime = createRuntime({ options, world, clock, ids: createIdMaker(), deliverer, baseUrl: () => `${baseUrl}/` });
  const failures = createFailureQueue();
  const snapshot = () => JSON.parse(JSON.stringify(world)) as World;
  const server = createStandinServer({ runtime, failures, snapshot: () => snapshot() as unknown as Record<string, unknown> });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host}:${address.port}`;
  const actors: ActorContext = { runtime };

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    botToken: options.botToken,
    calls: runtime.calls,
    deliveries: deliverer.deliveries,
    world,
    events: runtime.events,
    setAppUrl: (url) => {
      appUrls = url === undefined ? [] : typeof url === 'string' ? [url] : [...url];
    },
    setEchoBotEvents: (on) => {
      options.echoBotEvents = on;
    },
    snapshot,
    waitFor: (predicate, waitOptions) => waitFor(runtime, predicate, waitOptions),
    slashCommand: (args) => slashCommand(actors, args),
    sendMessage: (args) => sendMessage(actors, args),
    editMessage: (args) => editMessage(actors, args),
    deleteMessage: (args) => deleteMessage(actors, args),
    clickButton: (args) => clickButton(actors, args),
    submitCheckboxes: (args) => submitCheckboxes(actors, args),
    selectOption: (args) => selectOption(actors, args),
    submitView: (args) => submitView(actors, args),
    closeView: (args) => closeView(actors, args),
    openHome: (args) => openHome(actors, args),
    uninstallApp: (args) => uninstallApp(actors, args),
    deliverRaw: (args) => deliverRaw(actors, args),
    redeliverLastEvent: (args) => redeliverLastEvent(actors, args),
    failNext: (method, failure = {}) => failures.add(method, failure),
    settled: () => runtime.settled(),
    close: async () => {
      // Nothing more goes to the app once the stand-in is closed.
      appUrls = [];
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
