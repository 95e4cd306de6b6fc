/**
 * `npm run flows -- check [files…]` validates flow files;
 * `npm run flows -- simulate <flow-id|file> <answers.json> [--markdown] [--system <name>]`
 * runs a review from a file of replies and prints its summary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { FlowError } from '../engine/flow-error.js';
import { parseFlow } from '../engine/flow-parse.js';
import { summaryToMarkdown } from '../engine/markdown.js';
import { simulateReview } from '../engine/simulate.js';
import { questionCountRange } from '../engine/question-count.js';
import type { Flow } from '../engine/types.js';
import { loadFlowDirectory } from '../flows/load.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
}

/** The shipped flows, relative to where the command runs (npm runs it from the project's root). */
const FLOWS_DIR = 'flows';

const USAGE = `Usage:
  npm run flows -- check [files…]            validate flow files (default: every file in flows/)
  npm run flows -- simulate <flow-id|file> <answers.json> [--markdown] [--system <name>]
                                             run a review from a file of replies and print its summary`;

export function runFlowsCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === 'check') return check(rest, io);
  if (command === 'simulate') return simulate(rest, io);
  io.err(USAGE);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 1;
}

function describe(flow: Flow, file: string): string {
  const { fewest, most } = questionCountRange(flow);
  const asked = fewest === most ? `a review asks ${most}` : `a review asks ${fewest}–${most}`;
  return `ok ${file} (${flow.id} v${flow.version}, ${flow.questions.length} questions; ${asked})`;
}

function check(files: string[], io: CliIo): number {
  if (files.length === 0) {
    const { flows, errors } = loadFlowDirectory(FLOWS_DIR);
    for (const flow of flows) io.out(describe(flow, flow.source));
    for (const error of errors) io.err(error.message);
    if (flows.length === 0 && errors.length === 0) io.err(`no flow files in ${FLOWS_DIR}/`);
    return errors.length > 0 || flows.length === 0 ? 1 : 0;
  }
  let failed = false;
  for (const file of files) {
    try {
      io.out(describe(parseFlow(readFileSync(file, 'utf8'), file), file));
    } catch (error) {
      failed = true;
      io.err(error instanceof FlowError ? error.message : `${file}: (top): cannot read the file: ${(error as Error).message}`);
    }
  }
  return failed ? 1 : 0;
}

/** Question id → reply as typed; a number is read as the digits a person would type. */
const replyMapSchema = z.record(z.string(), z.union([z.string(), z.number().transform(String)]));
/** A scenario file (test/scenarios/*.json) keeps the replies under "answers". */
const scenarioFileSchema = z.object({ _system: z.string().optional(), answers: replyMapSchema });

function readReplies(text: string): { replies: Record<string, string>; system?: string | undefined } {
  const json: unknown = JSON.parse(text);
  const scenario = scenarioFileSchema.safeParse(json);
  if (scenario.success) return { replies: scenario.data.answers, system: scenario.data._system };
  const { _system: system, ...replies } = replyMapSchema.parse(json);
  return { replies, system };
}

function findFlow(reference: string): Flow {
  if (/\.ya?ml$/i.test(reference) || existsSync(reference)) return parseFlow(readFileSync(reference, 'utf8'), reference);
  const { flows } = loadFlowDirectory(FLOWS_DIR);
  const flow = flows.find((candidate) => candidate.id === reference);
  if (!flow) throw new Error(`no flow "${reference}" in flows/; known: ${flows.map((candidate) => candidate.id).join(', ') || 'none'}`);
  return flow;
}

function simulate(args: string[], io: CliIo): number {
  const positional: string[] = [];
  let markdown = false;
  let systemName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--markdown') markdown = true;
    else if (arg === '--system') systemName = args[++i];
    else positional.push(arg);
  }
  const [flowRef, answersFile] = positional;
  if (flowRef === undefined || answersFile === undefined || positional.length > 2) {
    io.err(USAGE);
    return 1;
  }
  let flow: Flow;
  let file: ReturnType<typeof readReplies>;
  try {
    flow = findFlow(flowRef);
    file = readReplies(readFileSync(answersFile, 'utf8'));
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const result = simulateReview(flow, file.replies, { systemName: systemName ?? file.system ?? 'Simulated system', startAt: io.now() });
  if (!result.ok) {
    io.err(`${answersFile}: ${result.questionId}: ${result.message}`);
    return 1;
  }
  for (const id of result.missing) io.err(`skipped ${id}: asked, but not in ${answersFile}`);
  if (result.unused.length > 0) io.err(`never asked: ${result.unused.join(', ')}`);
  io.out(markdown ? summaryToMarkdown(result.summary).trimEnd() : JSON.stringify(result.summary, null, 2));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runFlowsCli(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    now: () => new Date(),
  });
}
