import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowError } from '../../src/engine/flow-error.js';
import { loadFlowDirectory, loadFlows } from '../../src/flows/load.js';
import { fixturePath } from './helpers.js';

const dirs: string[] = [];
function folder(files: Record<string, string | { copyOf: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flows-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'string') writeFileSync(join(dir, name), content);
    else copyFileSync(content.copyOf, join(dir, name));
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mini = { copyOf: fixturePath('mini.yaml') };
const tiny = (id: string) => `id: ${id}\nversion: 2\ntitle: T\ndescription: D\nquestions:\n  - { id: q, kind: text, prompt: Why? }\n`;

describe('loadFlowDirectory', () => {
  it('loads every .yaml and .yml file and nothing else', () => {
    const dir = folder({ 'a.yaml': mini, 'b.yml': tiny('other'), 'notes.md': '# not a flow', 'c.json': '{}' });
    mkdirSync(join(dir, 'sub.yaml'));
    const { flows, errors } = loadFlowDirectory(dir);
    expect(errors).toEqual([]);
    expect(flows.map((flow) => [flow.id, flow.source])).toEqual([
      ['mini', join(dir, 'a.yaml')],
      ['other', join(dir, 'b.yml')],
    ]);
  });

  it('keeps loading after a broken file, and reports it', () => {
    const dir = folder({ 'a-broken.yaml': 'id: [\n', 'b.yaml': mini });
    const { flows, errors } = loadFlowDirectory(dir);
    expect(flows.map((flow) => flow.id)).toEqual(['mini']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FlowError);
    expect(errors[0]!.message.startsWith(`${join(dir, 'a-broken.yaml')}: line `)).toBe(true);
  });

  it('refuses a second flow with the same id, naming both files', () => {
    const dir = folder({ 'a.yaml': mini, 'b.yaml': mini });
    const { flows, errors } = loadFlowDirectory(dir);
    expect(flows).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      `${join(dir, 'b.yaml')}: id: flow id "mini" is already used by ${join(dir, 'a.yaml')}`,
    ]);
  });

  it('reports a folder it cannot read', () => {
    const { flows, errors } = loadFlowDirectory('/nonexistent/flows');
    expect(flows).toEqual([]);
    expect(errors[0]!.message).toMatch(/^\/nonexistent\/flows: \(top\): cannot read the file: /);
  });
});

describe('loadFlows', () => {
  it('loads the shipped and the custom flows, telling their errors apart', () => {
    const builtinDir = folder({ 'mini.yaml': mini, 'bad.yaml': 'id: x\n' });
    const customDir = folder({ 'team.yaml': tiny('team-review'), 'broken.yaml': tiny('Bad Id') });
    const { flows, errors } = loadFlows({ builtinDir, customDir });
    expect([...flows.keys()]).toEqual(['mini', 'team-review']);
    expect(errors.map((error) => [error.file, error.builtin])).toEqual([
      [join(builtinDir, 'bad.yaml'), true],
      [join(customDir, 'broken.yaml'), false],
    ]);
    expect(errors[1]!.message).toBe(`${join(customDir, 'broken.yaml')}: id: must be 1–64 lowercase letters, digits, "-" or "_"`);
  });

  it('refuses a custom flow that takes a shipped flow’s id, keeping the shipped one', () => {
    const builtinDir = folder({ 'mini.yaml': mini });
    const customDir = folder({ 'mine.yaml': tiny('mini') });
    const { flows, errors } = loadFlows({ builtinDir, customDir });
    expect(flows.get('mini')!.source).toBe(join(builtinDir, 'mini.yaml'));
    expect(errors).toEqual([
      {
        file: join(customDir, 'mine.yaml'),
        builtin: false,
        message: `${join(customDir, 'mine.yaml')}: id: flow id "mini" belongs to the shipped flow ${join(builtinDir, 'mini.yaml')}; choose another id`,
      },
    ]);
  });

  it('treats a missing custom folder as none, and a missing shipped folder as an error', () => {
    expect(loadFlows({ builtinDir: folder({ 'mini.yaml': mini }), customDir: '/nonexistent/custom' }).errors).toEqual([]);
    expect(loadFlows({ builtinDir: '/nonexistent/flows' }).errors).toMatchObject([{ file: '/nonexistent/flows', builtin: true }]);
  });
});

describe('the shipped flows', () => {
  it('all load without errors', () => {
    const { flows, errors } = loadFlows({ builtinDir: fileURLToPath(new URL('../../flows', import.meta.url)) });
    expect(errors).toEqual([]);
    expect([...flows.keys()].sort()).toEqual(expect.arrayContaining(['agent-autonomy', 'alignment-review', 'quick-check']));
  });
});
