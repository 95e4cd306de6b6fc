import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findScriptDir, loadScriptSources } from '../../src/store/scripts.js';

describe('store scripts', () => {
  it('loads every script, each documenting its KEYS, ARGV and reply', () => {
    const sources = loadScriptSources();
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(14);
    for (const [name, source] of Object.entries(sources)) {
      expect(source, name).toMatch(/^--\[\[/);
      expect(source, name).toMatch(/KEYS\[1\]/);
      expect(source, name).toMatch(/Returns /);
    }
  });

  it('finds the scripts from a built copy in dist/ that lacks them, in the source tree', () => {
    const builtModule = new URL('../../dist/src/store/scripts.js', import.meta.url);
    const dir = findScriptDir(builtModule);
    expect(dir.endsWith('/src/store/lua/')).toBe(true);
    expect(existsSync(`${dir}commit.lua`)).toBe(true);
  });

  it('says where it looked when the scripts are nowhere', () => {
    expect(() => findScriptDir(new URL('file:///nowhere/at/all/scripts.js'))).toThrow(/copy src\/store\/lua/);
  });
});
