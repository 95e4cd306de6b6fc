/**
 * The playground for tests: started as `npm start` starts it (startPlayground
 * with a Config from parseConfig), on a free port, quiet, with the app's log
 * collected instead of printed.
 */
import { parseConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startPlayground, type Playground } from '../../../src/playground/index.js';
import { logCollector } from '../../support/app-harness.js';

export interface TestPlayground extends Playground {
  /** http://127.0.0.1:<port>, which the loopback check accepts. */
  base: string;
  printed: string[];
  logs: Record<string, unknown>[];
}

export async function startTestPlayground(env: Record<string, string> = {}): Promise<TestPlayground> {
  const config = parseConfig({ LOG_LEVEL: 'warn', ...env });
  const printed: string[] = [];
  const collector = logCollector();
  const playground = await startPlayground(config, { port: 0, print: (line) => printed.push(line), logger: createLogger(config.logLevel, collector.stream) });
  return { ...playground, base: `http://127.0.0.1:${playground.port}`, printed, logs: collector.lines };
}
