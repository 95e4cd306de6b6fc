import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlowsCli } from '../../src/cli/flows.js';
import type { Summary } from '../../src/engine/types.js';
import { fixturePath } from './helpers.js';

function run(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runFlowsCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line), now: () => new Date('2025-03-04T10:00:00.000Z') });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const scratch = mkdtempSync(join(tmpdir(), 'flows-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('flows check', () => {
  it('prints ok with id, version and question count for each valid file', () => {
    const file = fixturePath('mini.yaml');
    expect(run('check', file)).toEqual({ code: 0, out: `ok ${file} (mini v3, 11 questions; a review asks 8–11)`, err: '' });
  });

  it('prints every error and exits 1 when any file is wrong', () => {
    const bad = scratchFile('bad.yaml', 'id: bad\nversion: 0\ntitle: T\ndescription: D\nquestions: []\n');
    const result = run('check', fixturePath('mini.yaml'), bad);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^ok .*mini\.yaml/);
    expect(result.err.split('\n')).toEqual([
      `${bad}: version: Too small: expected number to be >=1`,
      `${bad}: questions: a flow needs at least one question`,
    ]);
    expect(run('check', join(scratch, 'missing.yaml'))).toMatchObject({ code: 1, err: expect.stringContaining('cannot read the file') });
  });

  it('checks every file in flows/ by default', () => {
    const result = run('check');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^ok flows\/alignment-review\.yaml \(alignment-review v\d+, \d+ questions; a review asks \d+–\d+\)$/m);
  });

  it('runs as `npm run flows`', () => {
    const out = execFileSync('npx', ['tsx', 'src/cli/flows.ts', 'check', fixturePath('mini.yaml')], { encoding: 'utf8' });
    expect(out.trim()).toBe(`ok ${fixturePath('mini.yaml')} (mini v3, 11 questions; a review asks 8–11)`);
  });
});

describe('flows simulate', () => {
  it('answers the questions in the order asked and prints the summary as JSON', () => {
    const result = run('simulate', fixturePath('mini.yaml'), fixturePath('mini-answers.json'));
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out) as Summary;
    expect(summary).toMatchObject({ systemName: 'Ticket helper', status: 'completed', flowId: 'mini', startedAt: '2025-03-04T10:00:00.000Z' });
    expect(summary.score.overall).toBe('IV');
    expect(summary.answers.find((answer) => answer.questionId === 'gaming')!.answer).toBe('(skipped)');
    expect(summary.answers.find((answer) => answer.questionId === 'actions')!.answer).toBe('Sends messages or emails, Runs code');
    expect(result.err).toBe('never asked: never-asked');
  });

  it('prints Markdown with --markdown, and takes the system name from --system', () => {
    const result = run('simulate', fixturePath('mini.yaml'), fixturePath('mini-answers.json'), '--markdown', '--system', 'Renamed');
    expect(result.code).toBe(0);
    expect(result.out.startsWith('# Alignment review: Renamed\n')).toBe(true);
    expect(result.out).toContain('## Risks by area');
  });

  it('skips a question missing from the file and says so', () => {
    const answers = scratchFile('partial.json', JSON.stringify({ system: 'S', goal: 'Helpful answers', objective: 'O', metric: 'M', actions: '1', tested: '3', severity: '1' }));
    const result = run('simulate', fixturePath('mini.yaml'), answers);
    expect(result.code).toBe(0);
    expect(result.err).toBe(`skipped gaming: asked, but not in ${answers}\nskipped adversarial-detail: asked, but not in ${answers}`);
    expect((JSON.parse(result.out) as Summary).score.openQuestions.map((open) => open.questionId)).toEqual(['gaming']);
  });

  it('stops on an invalid reply with the engine’s message', () => {
    const answers = scratchFile('invalid.json', JSON.stringify({ system: 'S', goal: 'Helpful answers', objective: 'O', metric: 'M', actions: 'teleports' }));
    const result = run('simulate', fixturePath('mini.yaml'), answers);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(new RegExp(`^${answers.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: actions: "teleports" is not one of the answers\\. The answers are:\n1\\. `));
  });

  it('reads scenario files (replies under "answers") and finds shipped flows by id', () => {
    const scenario = scratchFile(
      'scenario.json',
      JSON.stringify({ flow: 'mini', _system: 'From a scenario', answers: { system: 'S', goal: 'Helpful answers', objective: 'O', metric: 'M', actions: '1', gaming: 'yes', tested: '2', severity: '1' }, expect: {} }),
    );
    const result = run('simulate', fixturePath('mini.yaml'), scenario);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.out) as Summary).systemName).toBe('From a scenario');
    expect(run('simulate', 'no-such-flow', scenario)).toMatchObject({ code: 1, err: expect.stringMatching(/^no flow "no-such-flow" in flows\/; known: .*alignment-review/) });
  });

  it('shows usage for a wrong command line', () => {
    expect(run('simulate', 'only-one-arg')).toMatchObject({ code: 1, err: expect.stringContaining('Usage:') });
    expect(run('frobnicate').code).toBe(1);
  });
});
