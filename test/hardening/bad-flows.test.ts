/**
 * Broken flow files. A broken shipped flow refuses start-up with an error
 * that points into the file (its name and the place in it); a broken custom
 * flow (FLOWS_DIR) is logged and skipped, and never takes the shipped ones
 * down, while a valid custom flow next to it still loads and runs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { StartupError, startServer } from '../../src/server.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { ALICE, BOT_ID, BOT_USER, SIGNING_SECRET, logCollector } from '../support/app-harness.js';
import { recordFigure } from '../support/fault-figures.js';
import { startFaultHarness } from '../support/fault-harness.js';
import { answerByTyping, startReview, stateOf, waitForSummaryCard } from '../support/review-driver.js';
import { freePort } from '../support/global-setup.js';

const SHIPPED = fileURLToPath(new URL('../../flows', import.meta.url));
const folders: string[] = [];

function copyOfShippedFlows(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bad-flows-'));
  folders.push(dir);
  cpSync(SHIPPED, dir, { recursive: true });
  return dir;
}

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function startWith(flowsDir: string) {
  const config = parseConfig({
    NODE_ENV: 'test',
    SLACK_BOT_TOKEN: 'xoxb-standin',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    PORT: String(await freePort()),
    LOG_LEVEL: 'info',
    LLM_ENABLED: 'false',
  });
  const collector = logCollector();
  return startServer(config, { store: new MemoryStore({ retentionDays: 1 }), logger: createLogger('info', collector.stream), botUserId: BOT_USER, botId: BOT_ID, flowsDir });
}

/** Each breakage, the line it is made in, and what the start-up error must point at. */
const BREAKAGES: { name: string; edit: (yaml: string) => string; expected: RegExp }[] = [
  { name: 'YAML that does not parse', edit: (yaml) => yaml.replace('questions:\n', 'questions:\n  - id: [unclosed\n'), expected: /quick-check\.yaml: line \d+, column \d+/ },
  { name: 'a question of an unknown kind', edit: (yaml) => yaml.replace('    kind: choice', '    kind: essay'), expected: /quick-check\.yaml: questions\[2\]\.kind/ },
  { name: 'a signal for an area that does not exist', edit: (yaml) => yaml.replace('area: reward_misspecification, weight: 1', 'area: vibes, weight: 1'), expected: /quick-check\.yaml: questions\[2\]\.options\[1\]\.signals\[0\]\.area/ },
  { name: 'a condition on a question that does not exist', edit: (yaml) => yaml.replace('questions:\n  - id: human_goal\n', 'questions:\n  - id: human_goal\n    when: { question: no_such_question, is: yes }\n'), expected: /quick-check\.yaml: questions\[0\]/ },
  { name: 'an empty file', edit: () => '', expected: /quick-check\.yaml: / },
];

describe('a broken shipped flow', () => {
  it.each(BREAKAGES)('refuses start-up on $name, pointing into the file', async ({ edit, expected }) => {
    const dir = copyOfShippedFlows();
    const file = join(dir, 'quick-check.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    const starting = startWith(dir);
    await expect(starting).rejects.toBeInstanceOf(StartupError);
    await expect(starting).rejects.toThrow(expected);
    await expect(starting).rejects.toThrow(file);
  });

  it('starts with an intact copy (the breakages above are what stopped it)', async () => {
    const server = await startWith(copyOfShippedFlows());
    expect([...server.deps.flows.keys()].sort()).toEqual(['agent-autonomy', 'alignment-review', 'quick-check']);
    await server.stop();
    recordFigure('bad-flows', { shippedBreakagesRefused: BREAKAGES.length });
  });
});

describe('a broken custom flow (FLOWS_DIR)', () => {
  it('is logged and skipped; the shipped flows and a valid custom flow still run', async () => {
    const custom = mkdtempSync(join(tmpdir(), 'custom-flows-'));
    folders.push(custom);
    const quick = readFileSync(join(SHIPPED, 'quick-check.yaml'), 'utf8');
    writeFileSync(join(custom, 'broken.yaml'), quick.replace('id: quick-check', 'id: team-broken').replace('    kind: choice', '    kind: essay'));
    writeFileSync(join(custom, 'not-yaml.yml'), 'id: [\n');
    writeFileSync(join(custom, 'steals-a-shipped-id.yaml'), quick);
    writeFileSync(join(custom, 'team-check.yaml'), quick.replace('id: quick-check', 'id: team-check').replace('title: Quick alignment check', 'title: Team check'));
    const h = await startFaultHarness({ env: { FLOWS_DIR: custom } });
    try {
      expect([...h.server.deps.flows.keys()].sort()).toEqual(['agent-autonomy', 'alignment-review', 'quick-check', 'team-check']);
      const skipped = h.logs.filter((line) => String(line.msg).startsWith('Custom flow skipped'));
      expect(skipped.map((line) => String(line.file).split('/').at(-1)).sort()).toEqual(['broken.yaml', 'not-yaml.yml', 'steals-a-shipped-id.yaml']);
      expect(skipped.every((line) => line.level === 'error')).toBe(true);
      // Both a shipped flow and the valid custom one run to the end.
      for (const text of ['--flow quick-check Shipped still works', '--flow team-check Custom works too']) {
        const review = await startReview(h, text, ALICE);
        await answerByTyping(h, review, ALICE);
        await waitForSummaryCard(h, review);
        expect((await stateOf(h, review.reviewId)).status).toBe('completed');
      }
      recordFigure('bad-custom-flows', { brokenSkipped: skipped.length, shippedLoaded: 3, validCustomLoaded: 1 });
    } finally {
      await h.close();
    }
  });
});
