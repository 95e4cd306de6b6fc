/**
 * Loads the store's Lua scripts (src/store/lua/*.lua) and registers them on a
 * connection with `defineCommand`, which sends EVALSHA and falls back to EVAL
 * once when the server does not have the script yet (after a restart, or on a
 * new cluster node).
 *
 * The files are found relative to this module, so they load from src/ under
 * tsx and from dist/src/ once the build has copied src/store/lua there. When
 * the build has not copied them, the source tree next to dist/ is tried.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Cluster, Redis } from 'ioredis';

type Arg = string | Buffer | number;

interface ScriptSpec {
  file: string;
  /** How many keys it takes; 'any' for a script that takes as many as its caller gives (sent as EVALSHA's numkeys). */
  keys: number | 'any';
  /** Replies as Buffers (ioredis's `<command>Buffer`): for scripts that return packed binary state. */
  buffers?: boolean;
  /** Files under lua/include/ whose functions the script calls: put in front of it when loaded. */
  include?: readonly string[];
}

const SCRIPTS = {
  create: { file: 'create.lua', keys: 8, include: ['refuse-if-late.lua'] },
  indexAdd: { file: 'index-add.lua', keys: 4 },
  indexTouch: { file: 'index-touch.lua', keys: 4 },
  indexRemove: { file: 'index-remove.lua', keys: 3 },
  enqueue: { file: 'enqueue.lua', keys: 8, buffers: true, include: ['load-review.lua'] },
  peek: { file: 'peek.lua', keys: 2, include: ['load-review.lua'] },
  commit: { file: 'commit.lua', keys: 7, include: ['remove-performed.lua', 'load-review.lua'] },
  dropInput: { file: 'drop-input.lua', keys: 3 },
  outboxDone: { file: 'outbox-done.lua', keys: 3, include: ['remove-performed.lua'] },
  lockAndLoad: { file: 'lock-and-load.lua', keys: 6, buffers: true, include: ['load-review.lua'] },
  unlock: { file: 'unlock.lua', keys: 5, include: ['remove-performed.lua'] },
  delete: { file: 'delete.lua', keys: 9, include: ['refuse-if-late.lua'] },
  hit: { file: 'hit.lua', keys: 1 },
  hitInTurn: { file: 'hit-in-turn.lua', keys: 'any' },
  setRef: { file: 'set-ref.lua', keys: 2 },
  setSetting: { file: 'set-setting.lua', keys: 1, include: ['refuse-if-late.lua'] },
  scheduleReminder: { file: 'schedule-reminder.lua', keys: 1 },
  claimReminders: { file: 'claim-reminders.lua', keys: 1 },
  finishReminder: { file: 'finish-reminder.lua', keys: 1 },
  fetchInstallation: { file: 'fetch-installation.lua', keys: 1 },
  claimLostStarts: { file: 'claim-lost-starts.lua', keys: 1 },
} as const satisfies Record<string, ScriptSpec>;

export type ScriptName = keyof typeof SCRIPTS;

/** Runs one script: its keys, then its arguments. Replies come back as ioredis gives them (strings, numbers, arrays). */
export type StoreScripts = Record<ScriptName, (keys: string[], args: Arg[]) => Promise<unknown>>;

const SCRIPT_DIRS = ['./lua/', '../../../src/store/lua/'];

export function findScriptDir(base: string | URL = import.meta.url): string {
  for (const dir of SCRIPT_DIRS) {
    const url = new URL(dir, base);
    if (existsSync(new URL('commit.lua', url))) return fileURLToPath(url);
  }
  throw new Error(
    `The store's Lua scripts were not found next to ${fileURLToPath(base)} (looked in ${SCRIPT_DIRS.join(', ')}); copy src/store/lua into the build output.`,
  );
}

/** Reads every script once; the same sources serve every connection. */
export function loadScriptSources(dir: string = findScriptDir()): Record<ScriptName, string> {
  const sources = {} as Record<ScriptName, string>;
  for (const [name, spec] of Object.entries(SCRIPTS) as [ScriptName, ScriptSpec][]) {
    const included = (('include' in spec ? spec.include : undefined) ?? []).map((file) => readFileSync(`${dir}include/${file}`, 'utf8'));
    sources[name] = [...included, readFileSync(`${dir}${spec.file}`, 'utf8')].join('\n');
  }
  return sources;
}

/** Commands defined on a connection, under a prefix unlikely to clash with other users of it. */
const COMMAND_PREFIX = 'arStore_';

type CommandHost = Record<string, ((...args: Arg[]) => Promise<unknown>) | undefined>;

export function registerScripts(redis: Redis | Cluster, sources: Record<ScriptName, string> = loadScriptSources()): StoreScripts {
  const host = redis as unknown as CommandHost;
  const scripts = {} as StoreScripts;
  for (const [name, spec] of Object.entries(SCRIPTS) as [ScriptName, ScriptSpec][]) {
    const command = `${COMMAND_PREFIX}${name}`;
    if (typeof host[command] !== 'function') {
      redis.defineCommand(command, spec.keys === 'any' ? { lua: sources[name] } : { numberOfKeys: spec.keys, lua: sources[name] });
    }
    scripts[name] = (keys, args) => {
      if (spec.keys !== 'any' && keys.length !== spec.keys) {
        return Promise.reject(new Error(`Script ${name} takes ${spec.keys} keys, got ${keys.length}`));
      }
      const run = host['buffers' in spec && spec.buffers ? `${command}Buffer` : command];
      if (!run) return Promise.reject(new Error(`Script ${name} is not registered`));
      return spec.keys === 'any' ? run.call(redis, keys.length, ...keys, ...args) : run.call(redis, ...keys, ...args);
    };
  }
  return scripts;
}
