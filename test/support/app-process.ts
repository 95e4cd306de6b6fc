/**
 * The app as a child process, as it runs in production: `node --import tsx
 * src/main.ts` from the checkout (or `node dist/src/main.js` from a build),
 * configured only by its environment. Tests use it for what an in-process
 * app cannot show: signals and exit codes, several replicas, a dead Redis.
 *
 *   const app = await startAppProcess({ env: appEnv({ slack, redisUrl, prefix }) });
 *   slack.setAppUrl(app.eventsUrl);
 *   …
 *   const exit = await app.stop();   // SIGTERM, then waits for the exit
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './global-setup.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcessOptions {
  /** The app's environment (PORT is added when missing). Nothing else of the test's environment leaks in but PATH and HOME. */
  env: Record<string, string>;
  /** 'source' runs src/main.ts through tsx (default); 'built' runs dist/src/main.js from `cwd`. */
  mode?: 'source' | 'built';
  /** Where to run; the checkout by default. */
  cwd?: string;
  /** Extra node flags, e.g. ['--expose-gc'] or ['--cpu-prof']; in 'source' mode they come after tsx, so they may import .ts files. */
  nodeArgs?: string[];
  /** Another entry file instead of the app's (relative to `cwd`), e.g. 'bench/bare-app.ts'. */
  script?: string;
  /** Keep every JSON log line in `logs` (default true); `onLog` hears each either way. */
  keepLogs?: boolean;
  onLog?: (line: Record<string, unknown>) => void;
  /** How long to wait for /healthz before giving up (default 30 s). */
  startTimeoutMs?: number;
  /** The node binary to run (default: the one running the tests), e.g. the container image's Node. */
  node?: string;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the stop signal to the exit (0 when the process exited on its own). */
  ms: number;
}

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Where Slack delivers: `${url}/slack/events`. */
  eventsUrl: string;
  /** Every JSON log line the app wrote to stdout, parsed, in order. */
  logs: Record<string, unknown>[];
  /** Every other line (stderr, console output), for failure messages. */
  output: string[];
  /** Resolves when the process has exited, however that happened. */
  exited: Promise<AppExit>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILLs after `timeoutMs` (default 15 s). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<AppExit>;
}

/** The environment a replica needs to talk to a Slack stand-in and a Redis. */
export function appEnv(input: {
  apiUrl: string;
  signingSecret: string;
  redisUrl?: string;
  prefix?: string;
  botToken?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: input.botToken ?? 'xoxb-standin',
    SLACK_SIGNING_SECRET: input.signingSecret,
    SLACK_API_URL: input.apiUrl,
    LLM_ENABLED: 'false',
    ...(input.redisUrl ? { REDIS_URL: input.redisUrl } : {}),
    ...(input.prefix ? { REDIS_PREFIX: input.prefix } : {}),
    ...input.extra,
  };
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    rest += chunk.toString();
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  };
}

async function waitForHealth(url: string, exited: Promise<AppExit>, timeoutMs: number): Promise<'up' | 'exited' | 'timeout'> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) return 'exited';
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return 'up';
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return 'timeout';
}

export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const port = options.env.PORT ? Number(options.env.PORT) : await freePort();
  const mode = options.mode ?? 'source';
  const cwd = options.cwd ?? REPO_ROOT;
  const args =
    mode === 'source'
      ? ['--import', 'tsx', ...(options.nodeArgs ?? []), options.script ?? 'src/main.ts']
      : [...(options.nodeArgs ?? []), options.script ?? 'dist/src/main.js'];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...options.env,
    PORT: String(port),
  };
  const child = spawn(options.node ?? process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  const output: string[] = [];
  child.stdout.on(
    'data',
    splitLines((line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        output.push(line);
        return;
      }
      if (options.keepLogs !== false) logs.push(parsed);
      options.onLog?.(parsed);
    }),
  );
  child.stderr.on(
    'data',
    splitLines((line) => output.push(line)),
  );

  let stopSentAt: number | undefined;
  const exited = new Promise<AppExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, ms: stopSentAt === undefined ? 0 : Date.now() - stopSentAt }));
  });
  const url = `http://127.0.0.1:${port}`;
  const health = await waitForHealth(url, exited, options.startTimeoutMs ?? 30_000);
  if (health !== 'up') {
    if (health === 'timeout') child.kill('SIGKILL');
    await exited;
    throw new Error(`The app did not start (${health}):\n${[...output, ...logs.map((line) => JSON.stringify(line))].join('\n')}`);
  }

  return {
    child,
    pid: child.pid!,
    port,
    url,
    eventsUrl: `${url}/slack/events`,
    logs,
    output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      stopSentAt = Date.now();
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}
