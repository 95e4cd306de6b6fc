/**
 * Entry point. With SLACK_BOT_TOKEN (or OAuth settings) it runs the Slack
 * app; without, `npm start` runs the local playground: the same app against
 * a local Slack stand-in in the browser.
 *
 * On SIGTERM or SIGINT it stops taking requests, finishes the replies in
 * flight, closes Redis and exits 0, or exits 1 if that takes longer than
 * SHUTDOWN_LIMIT_MS (orchestrators kill at 30 s; we stay well inside).
 */
import 'dotenv/config';
import { ConfigError, parseConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { StartupError, startServer } from './server.js';

const SHUTDOWN_LIMIT_MS = 10_000;

function stopOnSignals(handle: { stop(): Promise<void> }, logger: Logger): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping: no new requests; finishing the replies in flight');
    const timer = setTimeout(() => {
      logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'Shutdown took too long; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    timer.unref();
    handle.stop().then(
      () => {
        logger.info('Stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

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

  const logger = createLogger(config.logLevel);
  // A promise nobody awaited is a bug to see in the log, not a reason to drop every review in flight.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, 'Unhandled rejection');
  });

  let handle: { stop(): Promise<void> };
  if (!config.slack.botToken && !config.slack.oauth) {
    const { startPlayground } = await import('./playground/index.js');
    handle = await startPlayground(config);
  } else {
    handle = await startServer(config, { logger });
  }
  stopOnSignals(handle, logger);
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) console.error(`Cannot start: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
