/**
 * Engine speed: loading and validating the shipped flows, one input through
 * the full alignment review, scoring and the summary. Prints figures; run
 * with `npx tsx bench/engine.ts`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { currentQuestion } from '../src/engine/questions.js';
import { applyInput, startReview } from '../src/engine/review.js';
import { scoreReview } from '../src/engine/scoring.js';
import { buildSummary } from '../src/engine/summary.js';
import type { Flow, ReviewInput, ReviewState } from '../src/engine/types.js';
import { loadFlowDirectory } from '../src/flows/load.js';

const shippedDir = fileURLToPath(new URL('../flows', import.meta.url));
const fixtureDir = fileURLToPath(new URL('../test/engine/fixtures', import.meta.url));
const usingShipped = existsSync(shippedDir) && loadFlowDirectory(shippedDir).flows.length > 0;
const flowsDir = usingShipped ? shippedDir : fixtureDir;

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** `count` timings of `run`, after a warm-up so the figures are of compiled code, not the JIT's first passes. */
function samples(count: number, run: () => void): number[] {
  for (let i = 0; i < 200; i++) run();
  return Array.from({ length: count }, () => time(run));
}

function report(name: string, samples: number[], target?: string): void {
  const median = quantile(samples, 0.5);
  const p99 = quantile(samples, 0.99);
  const unit = median < 1 ? { scale: 1000, label: 'µs' } : { scale: 1, label: 'ms' };
  const format = (ms: number) => `${(ms * unit.scale).toFixed(unit.scale === 1 ? 2 : 1)} ${unit.label}`;
  console.log(`${name.padEnd(44)} median ${format(median).padStart(10)}   p99 ${format(p99).padStart(10)}   (n=${samples.length})${target ? `   target ${target}` : ''}`);
}

/** A reply a person could give: alternating option numbers, a sentence for text questions. */
function replyFor(flow: Flow, state: ReviewState, turn: number): string {
  const question = currentQuestion(flow, state)!;
  if (question.kind === 'text') return `An answer of a realistic length for question ${question.id}, written by a person.`;
  return String((turn % question.options.length) + 1);
}

console.log(`Flows from ${usingShipped ? 'flows/' : 'test/engine/fixtures/ (flows/ is not there yet)'}`);

const loadSamples = Array.from({ length: 20 }, () => time(() => loadFlowDirectory(flowsDir)));
const { flows } = loadFlowDirectory(flowsDir);
console.log(`${flows.length} flows, ${flows.reduce((sum, flow) => sum + flow.questions.length, 0)} questions`);
report('load + validate every flow', loadSamples, '< 100 ms');

const flow = flows.find((candidate) => candidate.id === 'alignment-review') ?? flows.reduce((a, b) => (a.questions.length >= b.questions.length ? a : b));
console.log(`Review flow: ${flow.id} (${flow.questions.length} questions)`);

const stepSamples: number[] = [];
let finished: ReviewState | undefined;
for (let review = 0; review < 300; review++) {
  let state = startReview(flow, { id: `R${review}`, systemName: 'Bench', startedBy: 'U1', at: new Date(0).toISOString() }).state;
  for (let turn = review; state.status === 'active'; turn++) {
    const input: ReviewInput = { type: 'reply', text: replyFor(flow, state, turn), messageTs: `${turn}.0001`, by: 'U1', at: new Date(turn * 1000).toISOString() };
    const before = state;
    stepSamples.push(
      time(() => {
        state = applyInput(flow, before, input).state;
        currentQuestion(flow, state);
      }),
    );
  }
  finished = state;
}
report('applyInput + next question', stepSamples.slice(1000), 'median < 0.2 ms');

const completed = finished!;
report('scoreReview (completed review)', samples(2000, () => scoreReview(flow, completed)));
report('buildSummary (completed review)', samples(2000, () => buildSummary(flow, completed)));
