/**
 * The local playground: `npm start` without Slack tokens. Inside is the
 * same app as in Slack (startServer, Bolt's HTTP receiver, signed requests),
 * talking to the local Slack stand-in; a small web server shows the
 * stand-in's world as a Slack-like page and turns what the person does there
 * into the stand-in's actions.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { parseConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { StartupError, startServer, type ServerHandle } from '../server.js';
import { startSlackStandin, type SlackStandin } from '../standin/slack/index.js';
import { bannerLines, modelDescription } from './banner.js';
import { playgroundEnv } from './env.js';
import { freePort } from './free-port.js';
import { PortInUseError, startWebServer, type WebServer } from './http/server.js';
import { createPlaygroundStore } from './store.js';
import { COMMANDS, DEFAULT_PERSON, LEADS_CHANNEL, REVIEW_CHANNEL } from './workspace.js';

export interface PlaygroundOptions {
  /** The page's port; PLAYGROUND_PORT unless given; 0 picks a free one. */
  port?: number;
  /** Where the page listens; 127.0.0.1 unless given. */
  host?: string;
  /** Where the start-up lines go (default: the terminal). */
  print?: (line: string) => void;
  logger?: Logger;
  /** Another flows folder in place of the shipped one (tests). */
  flowsDir?: string;
}

export interface Playground {
  /** The page, e.g. http://localhost:3000. */
  url: string;
  port: number;
  slack: SlackStandin;
  app: ServerHandle;
  stop(): Promise<void>;
}

export async function startPlayground(config: Config, options: PlaygroundOptions = {}): Promise<Playground> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const print = options.print ?? ((line: string) => console.log(line));
  const signingSecret = randomBytes(24).toString('hex');
  const appPort = await freePort();
  const slack = await startSlackStandin({ signingSecret, appUrl: `http://127.0.0.1:${appPort}/slack/events` });
  const stops: (() => Promise<void>)[] = [() => slack.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.warn({ err: error }, 'Playground part failed to stop'));
  };

  try {
    const appConfig = parseConfig(
      playgroundEnv(config, { botToken: slack.botToken, apiUrl: slack.apiUrl, signingSecret, appPort, leadsChannel: LEADS_CHANNEL }),
    );
    const { store, description } = createPlaygroundStore(appConfig, logger);
    let app: ServerHandle;
    try {
      app = await startServer(appConfig, { store, logger, botUserId: slack.world.bot.userId, botId: slack.world.bot.botId, flowsDir: options.flowsDir });
    } catch (error) {
      await store.close();
      throw error;
    }
    stops.push(() => app.stop());

    const model = modelDescription(appConfig);
    const web: WebServer = await startWebServer({
      slack,
      logger,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? config.playgroundPort,
      info: { store: description, model, reviewChannel: REVIEW_CHANNEL, leadsChannel: appConfig.reviews.leadsChannel ?? LEADS_CHANNEL, defaultPerson: DEFAULT_PERSON, commands: COMMANDS },
    });
    stops.push(() => web.close());

    for (const line of bannerLines({ url: web.url, store: description, model, flows: [...app.deps.flows.keys()], nodeEnv: config.env })) print(line);
    return { url: web.url, port: web.port, slack, app, stop: stopAll };
  } catch (error) {
    await stopAll();
    if (error instanceof PortInUseError) throw new StartupError(`the playground's ${error.message}`);
    throw error;
  }
}
