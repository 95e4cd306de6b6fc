/**
 * Entry point. With SLACK_BOT_TOKEN (or OAuth settings) it runs the Slack
 * app; without, `npm start` runs the local playground: the same app against
 * a local Slack stand-in in the browser.
 */
import 'dotenv/config';
import { ConfigError, parseConfig } from './config.js';
import { StartupError, startServer, type ServerHandle } from './server.js';

const SHUTDOWN_LIMIT_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  let handle: { stop(): Promise<void> };
  if (!config.slack.botToken && !config.slack.oauth) {
    const { startPlayground } = await import('./playground/index.js');
    handle = await startPlayground(config);
  } else {
    handle = (await startServer(config)) satisfies ServerHandle;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing replies in flight, then stopping`);
    const timer = setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS);
    timer.unref();
    handle.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) console.error(`Cannot start: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
