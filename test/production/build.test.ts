/**
 * The Dockerfile's steps, outside a container (no container engine runs
 * here): build in a copy of the sources, install only the production
 * dependencies next to the compiled output, flows and data, and run
 * `node dist/src/main.js` there against a Slack stand-in and Redis, on the
 * Node.js major the image runs (installed from the npm registry: see
 * test/support/image-node.ts), whatever Node runs the tests.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandin } from '../../src/standin/slack/index.js';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { REPO_ROOT, appEnv, startAppProcess } from '../support/app-process.js';
import { imageNode, imageNodeMajor } from '../support/image-node.js';

const SIGNING_SECRET = 'build-signing-secret-0123456789';
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** The Dockerfile split into its stages, each with its instructions (continuation lines joined). */
function stages(text: string): { from: string; lines: string[] }[] {
  const instructions = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const result: { from: string; lines: string[] }[] = [];
  for (const line of instructions) {
    if (/^FROM\s/i.test(line)) result.push({ from: line, lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/**
 * The Active LTS line: Node 26 since 28 October 2026 (24 is in maintenance
 * until April 2028, 22 until April 2027). Move both to the next line when
 * it becomes the Active LTS.
 */
const ACTIVE_LTS = 26;

const temp = mkdtempSync(join(tmpdir(), 'ar-build-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The image's Node, which the compiled app and the health check run on below. */
let node: { path: string; version: string };
beforeAll(() => {
  node = imageNode(imageNodeMajor(dockerfile));
}, 180_000);

describe('the Dockerfile', () => {
  it('is multi-stage on the Active LTS Node slim image, installs without dev dependencies, runs as a non-root user with a node health check', () => {
    const all = stages(dockerfile);
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.from).toMatch(new RegExp(`^FROM node:${ACTIVE_LTS}-slim AS \\w+$`, 'i'));
    const [build, runtime] = [all[0]!, all.at(-1)!];
    expect(build.lines).toContain('RUN npm run build');
    expect(runtime.lines.some((line) => /^RUN npm ci --omit=dev\b/.test(line))).toBe(true);
    expect(runtime.lines).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime.lines).toEqual(expect.arrayContaining(['COPY flows ./flows', 'COPY data ./data']));
    expect(runtime.lines.filter((line) => /^COPY (src|test|bench)\b/.test(line))).toEqual([]);
    const user = runtime.lines.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    const healthcheck = runtime.lines.find((line) => line.startsWith('HEALTHCHECK '));
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/healthz/);
    expect(runtime.lines.at(-1)).toBe('CMD ["node", "dist/src/main.js"]');
    expect(runtime.lines.some((line) => line.includes('SLACK_APP_TOKEN'))).toBe(false);

    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env', '.git', 'dist']));
  });

  it('builds, installs without dev dependencies, and the compiled app, on the image\'s Node, answers /healthz and /readyz and runs a review', { timeout: 150_000 }, async () => {
    // Build stage: the sources and the dev dependencies.
    const buildDir = join(temp, 'build');
    mkdirSync(buildDir);
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(REPO_ROOT, file), join(buildDir, file));
    cpSync(join(REPO_ROOT, 'src'), join(buildDir, 'src'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(buildDir, 'node_modules'), 'dir');
    // npm and the TypeScript compiler run on the image's Node too, as in its build stage.
    const onImageNode = { ...process.env, PATH: `${dirname(node.path)}${delimiter}${process.env.PATH ?? ''}` };
    const built = await run('npm', ['run', 'build'], buildDir, onImageNode);
    expect(built.code, built.output).toBe(0);
    expect(existsSync(join(buildDir, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(join(buildDir, 'dist/src/store/lua/commit.lua'))).toBe(true);

    // Runtime stage: package files, dist, flows, data; a clean production install.
    const runDir = join(temp, 'run');
    mkdirSync(runDir);
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(REPO_ROOT, file), join(runDir, file));
    cpSync(join(buildDir, 'dist'), join(runDir, 'dist'), { recursive: true });
    cpSync(join(REPO_ROOT, 'flows'), join(runDir, 'flows'), { recursive: true });
    cpSync(join(REPO_ROOT, 'data'), join(runDir, 'data'), { recursive: true });
    const installed = await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], runDir, onImageNode);
    expect(installed.code, installed.output).toBe(0);
    for (const devOnly of ['typescript', 'tsx', 'vitest', 'eslint']) expect(existsSync(join(runDir, 'node_modules', devOnly)), devOnly).toBe(false);
    expect(existsSync(join(runDir, 'node_modules/@slack/bolt'))).toBe(true);
    expect(existsSync(join(runDir, 'src'))).toBe(false);

    const prefix = `build${randomBytes(4).toString('hex')}`;
    const slack = await startSlackStandin({ signingSecret: SIGNING_SECRET });
    expect(node.version).toMatch(new RegExp(`^v${ACTIVE_LTS}\\.`));
    const app = await startAppProcess({
      mode: 'built',
      cwd: runDir,
      node: node.path,
      env: appEnv({ apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET, redisUrl: process.env.TEST_REDIS_URL, prefix }),
    });
    try {
      slack.setAppUrl(app.eventsUrl);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, store: true });

      // The Dockerfile's own health check command, run as Docker would.
      const healthcheck = /HEALTHCHECK[^\n]*(?:\\\n[^\n]*)*?CMD \["node", "-e", "(.*)"\]/.exec(dockerfile)![1]!.replace(/\\"/g, '"');
      const check = await run(node.path, ['-e', healthcheck], runDir, { PATH: process.env.PATH, PORT: String(app.port) });
      expect(check.code, check.output).toBe(0);

      // The compiled app loads its flows and the store's Lua scripts: a review starts.
      await slack.slashCommand({ userId: 'U0ALICE', channelId: 'C0REVIEWS', command: '/alignment-review', text: '--flow quick-check Built app' });
      await slack.waitFor(({ world }) => world.messages.find((message) => message.botId && message.threadTs && /^Question 1:/.test(message.text)), {
        description: 'the first question from the built app',
      });

      const exit = await app.stop('SIGTERM');
      expect(exit.code).toBe(0);
      const afterStop = await run(node.path, ['-e', healthcheck], runDir, { PATH: process.env.PATH, PORT: String(app.port) });
      expect(afterStop.code).toBe(1);
    } finally {
      await app.stop('SIGKILL');
      await slack.close();
      const redis = createRedisConnection({ url: process.env.TEST_REDIS_URL! });
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
