/**
 * Loading flow files from folders: the shipped flows and, optionally, a
 * folder of custom ones. One broken file never stops the others from
 * loading; the caller decides what an error means (the app refuses to start
 * on a broken shipped flow and only logs a broken custom one).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from '../engine/flow-error.js';
import { parseFlow } from '../engine/flow-parse.js';
import type { Flow } from '../engine/types.js';

export interface FlowLoadError {
  file: string;
  message: string;
  /** True for a shipped flow: the app must not start without it. */
  builtin: boolean;
}

const FLOW_FILE = /\.ya?ml$/i;

function readError(file: string, error: unknown): FlowError {
  const reason = error instanceof Error ? error.message : String(error);
  return new FlowError(file, [{ path: '(top)', message: `cannot read the file: ${reason}` }]);
}

/** Every *.yaml / *.yml file of `dir`, in name order; a flow id used twice is refused the second time. */
export function loadFlowDirectory(dir: string): { flows: Flow[]; errors: FlowError[] } {
  const flows: Flow[] = [];
  const errors: FlowError[] = [];
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && FLOW_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    return { flows, errors: [readError(dir, error)] };
  }
  for (const name of names) {
    const file = join(dir, name);
    let flow: Flow;
    try {
      flow = parseFlow(readFileSync(file, 'utf8'), file);
    } catch (error) {
      errors.push(error instanceof FlowError ? error : readError(file, error));
      continue;
    }
    const first = flows.find((loaded) => loaded.id === flow.id);
    if (first) errors.push(new FlowError(file, [{ path: 'id', message: `flow id "${flow.id}" is already used by ${first.source}` }]));
    else flows.push(flow);
  }
  return { flows, errors };
}

/**
 * The shipped flows plus the custom ones. A custom flow may not take a
 * shipped flow's id. A missing custom folder is no error: it is optional.
 */
export function loadFlows({ builtinDir, customDir }: { builtinDir: string; customDir?: string }): {
  flows: Map<string, Flow>;
  errors: FlowLoadError[];
} {
  const flows = new Map<string, Flow>();
  const errors: FlowLoadError[] = [];
  const builtin = loadFlowDirectory(builtinDir);
  for (const flow of builtin.flows) flows.set(flow.id, flow);
  for (const error of builtin.errors) errors.push({ file: error.file, message: error.message, builtin: true });

  if (customDir !== undefined && customDir !== '' && existsSync(customDir)) {
    const custom = loadFlowDirectory(customDir);
    for (const error of custom.errors) errors.push({ file: error.file, message: error.message, builtin: false });
    for (const flow of custom.flows) {
      const shipped = flows.get(flow.id);
      if (shipped) {
        const message = `${flow.source}: id: flow id "${flow.id}" belongs to the shipped flow ${shipped.source}; choose another id`;
        errors.push({ file: flow.source, message, builtin: false });
      } else flows.set(flow.id, flow);
    }
  }
  return { flows, errors };
}
