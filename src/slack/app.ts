/**
 * The Bolt app: receiver (HTTP or Socket Mode), Web API client options,
 * listeners and the one error funnel. It only wires; the work is in the
 * listeners and the review use cases.
 */
import { App, ErrorCode as BoltErrorCode, HTTPModuleFunctions, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute, type InstallationStore, type Logger as BoltLogger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { registerListeners } from './listeners/index.js';
import type { ListenerContext } from './listeners/context.js';
import { answerMalformed, guardApp, requestTimestampOf } from './request-guard.js';
import { SLACK_RETRY, SLACK_TIMEOUT_MS } from './chat-client.js';
import { REQUEST_FAILED, commandResponseUrl } from './command-failure.js';
import { sayPrivatelyAt } from './response-url.js';

/** Distribution to many workspaces: Slack's OAuth install flow, with each workspace's token in the installation store. */
export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  scopes: readonly string[];
  installationStore: InstallationStore;
}

export interface SlackAppOptions {
  /** One workspace's bot token; unused when `oauth` is given. */
  botToken?: string;
  oauth?: SlackOAuthOptions;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  port: number;
  logger: Logger;
  /** Known bot ids skip the auth.test round trip at start (tests, playground). */
  botUserId?: string;
  botId?: string;
  customRoutes?: CustomRoute[];
}

/** Seconds, not Slack's default half hour of retries: a reply should not hang on a dead API. */
export function webClientOptions(apiUrl: string | undefined): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    timeout: SLACK_TIMEOUT_MS,
    retryConfig: SLACK_RETRY,
    // Rate-limited calls wait for Retry-After and go through.
    rejectRateLimitedCalls: false,
  };
}

/** Bolt's logger interface over pino. */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const join = (messages: unknown[]) => messages.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...messages) => child.debug(join(messages)),
    info: (...messages) => child.info(join(messages)),
    warn: (...messages) => child.warn(join(messages)),
    error: (...messages) => child.error(join(messages)),
    setLevel: (value) => {
      level = value;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface SlackApp {
  app: App;
  receiver: HTTPReceiver | SocketModeReceiver;
  mode: 'http' | 'socket';
}

/**
 * The receiver's OAuth options: /slack/install goes straight to Slack's
 * consent page (directInstall) with a state cookie, /slack/oauth_redirect
 * stores the installation. The installer's own Web API calls (oauth.v2.access,
 * auth.test) use the same API URL as everything else.
 */
function installerOf(oauth: SlackOAuthOptions | undefined, clientOptions: WebClientOptions) {
  if (!oauth) return {};
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: [...oauth.scopes],
    installationStore: oauth.installationStore,
    installerOptions: { directInstall: true, clientOptions },
  };
}

export function createSlackApp(options: SlackAppOptions, buildContext: (app: App) => ListenerContext): SlackApp {
  const logger = boltLogger(options.logger);
  const clientOptions = webClientOptions(options.apiUrl);
  const installer = installerOf(options.oauth, clientOptions);
  let receiver: HTTPReceiver | SocketModeReceiver;
  let mode: SlackApp['mode'];
  if (options.appToken) {
    mode = 'socket';
    receiver = new SocketModeReceiver({
      appToken: options.appToken,
      logger,
      customRoutes: options.customRoutes,
      customPropertiesExtractor: () => ({}),
      ...installer,
      // clientOptions reach the Socket Mode client's own Web API calls (apps.connections.open), so SLACK_API_URL applies there too.
      installerOptions: { ...('installerOptions' in installer ? installer.installerOptions : {}), port: options.port, clientOptions },
    });
  } else {
    if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is needed in HTTP mode');
    mode = 'http';
    receiver = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: '/slack/events',
      customRoutes: options.customRoutes,
      logger,
      // Answer Slack as soon as a listener acks; slow work continues after.
      processBeforeResponse: false,
      // Slack gives up after 3 s; an unacknowledged request is answered 404 well before.
      unhandledRequestTimeoutMillis: 2_900,
      // Requests the guard refuses are answered 400 or 401 (request-guard.ts); it reads the signed timestamp.
      processEventErrorHandler: answerMalformed(HTTPModuleFunctions.defaultProcessEventErrorHandler),
      customPropertiesExtractor: requestTimestampOf,
      ...installer,
    });
  }
  // With OAuth, Bolt finds each request's token in the installation store; with a bot token, there is one workspace.
  const app = options.oauth
    ? new App({ receiver, logger, clientOptions, convoStore: false, extendedErrorHandler: true })
    : new App({
        token: options.botToken,
        receiver,
        logger,
        clientOptions,
        // Bolt's conversation store keeps per-conversation state in memory; reviews live in Redis, and it cost ~8 % CPU a turn.
        convoStore: false,
        // The error funnel reads the failed request's body (app.error below).
        extendedErrorHandler: true,
        botId: options.botId,
        botUserId: options.botUserId,
        tokenVerificationEnabled: options.botUserId === undefined,
      });
  // The receiver hands requests to the guard, which checks them and answers what no listener does.
  receiver.init(guardApp(app, options.logger));
  const context = buildContext(app);
  registerListeners(app, context);

  // The one error funnel: listeners catch only to tell the person what failed, and throw on; everything lands here, logged once with its review context.
  // A failed slash command is also answered privately: its ack went long before (command-failure.ts).
  app.error(async ({ error, body }: { error: Error; body?: unknown }) => {
    const original = (error as { original?: unknown }).original ?? error;
    const code = (original as { code?: string }).code;
    options.logger.error({ err: original instanceof Error ? { message: original.message, name: original.name, stack: original.stack } : original, code }, 'Listener failed');
    // A workspace that has not installed the app is not answered at all.
    const responseUrl = code === BoltErrorCode.AuthorizationError ? undefined : commandResponseUrl(body);
    if (!responseUrl) return;
    await sayPrivatelyAt(responseUrl, REQUEST_FAILED).catch((failure: unknown) => {
      options.logger.warn({ err: failure instanceof Error ? failure.message : String(failure) }, 'Could not tell the sender that their command failed');
    });
  });
  return { app, receiver, mode };
}
