/**
 * The shipped flows judged against realistic systems. Each file in
 * test/scenarios/ holds one team's replies, typed as a person would type them;
 * they are fed to the engine in the order it asks, and the levels it reaches
 * must match what a reviewer would conclude. Tune the flows' weights, not the
 * engine, when a scenario disagrees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AREA_IDS, OVERALL_LEVELS } from '../../src/engine/areas.js';
import { applyInput, buildSummary, parseReply, scoreReview, startReview } from '../../src/engine/index.js';
import type { Effect, Flow, ReviewState, Score } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';

const flowsDir = fileURLToPath(new URL('../../flows', import.meta.url));
const scenariosDir = fileURLToPath(new URL('../scenarios', import.meta.url));

const scenarioSchema = z.strictObject({
  flow: z.string(),
  _system: z.string().min(1),
  answers: z.record(z.string(), z.string()),
  expect: z.strictObject({
    overall: z.enum(OVERALL_LEVELS),
    areas: z.partialRecord(z.enum(AREA_IDS), z.enum(['low', 'medium', 'high', 'not_assessed'])).default({}),
    /** Gates that must have set a floor. */
    gates: z.array(z.string()).default([]),
  }),
});
type Scenario = z.infer<typeof scenarioSchema>;

const scenarioFiles = readdirSync(scenariosDir)
  .filter((name) => name.endsWith('.json'))
  .sort();
const scenarios = scenarioFiles.map((name) => ({
  name,
  scenario: scenarioSchema.parse(JSON.parse(readFileSync(join(scenariosDir, name), 'utf8'))),
}));

const { flows, errors } = loadFlows({ builtinDir: flowsDir });

interface Run {
  state: ReviewState;
  effects: Effect[];
}

/** Answers each question the engine asks with the file's reply; fails on a missing or refused reply. */
function runScenario(flow: Flow, scenario: Scenario): Run {
  const by = 'U0SCENARIO';
  let step = startReview(flow, { id: `scenario-${flow.id}`, systemName: scenario._system, startedBy: by, at: '2025-01-06T09:00:00.000Z' });
  const effects: Effect[] = [...step.effects];
  for (let turn = 0; step.state.status === 'active' && step.state.currentQuestionId !== null; turn += 1) {
    if (turn > flow.questions.length) throw new Error(`the review did not finish after ${turn} replies`);
    const questionId = step.state.currentQuestionId;
    const reply = scenario.answers[questionId];
    if (reply === undefined) throw new Error(`the engine asked "${questionId}" but the scenario has no reply for it`);
    const at = new Date(Date.UTC(2025, 0, 6, 9, turn + 1)).toISOString();
    step =
      reply.trim().toLowerCase() === 'skip'
        ? applyInput(flow, step.state, { type: 'skip', by, at })
        : applyInput(flow, step.state, { type: 'reply', text: reply, by, at, messageTs: `1736154000.${String(turn).padStart(6, '0')}` });
    const refused = step.effects.find((effect) => effect.type === 'invalid');
    if (refused) throw new Error(`reply ${JSON.stringify(reply)} to "${questionId}" was refused: ${JSON.stringify(refused)}`);
    effects.push(...step.effects);
  }
  return { state: step.state, effects };
}

describe('shipped flows', () => {
  it('all load without errors', () => {
    expect(errors).toEqual([]);
    expect([...flows.keys()].sort()).toEqual(['agent-autonomy', 'alignment-review', 'quick-check']);
  });

  it('give every question an example that is itself a valid reply', () => {
    // People copy the example's form, so an example the engine would refuse teaches the wrong answer.
    const problems: string[] = [];
    for (const flow of flows.values()) {
      for (const question of flow.questions) {
        if (question.example === undefined) problems.push(`${flow.id}/${question.id}: no example`);
        else {
          const parsed = parseReply(question, question.example);
          if (!parsed.ok) problems.push(`${flow.id}/${question.id}: ${parsed.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the quick check asks at most eight questions', () => {
    expect(flows.get('quick-check')?.questions.length).toBeLessThanOrEqual(8);
  });
});

describe('scenario files', () => {
  it('cover at least six systems, each flow, and every area somewhere', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(6);
    const flowIds = new Set(scenarios.map(({ scenario }) => scenario.flow));
    for (const id of ['alignment-review', 'quick-check', 'agent-autonomy']) expect(flowIds).toContain(id);
    const areasExpected = new Set(scenarios.flatMap(({ scenario }) => Object.keys(scenario.expect.areas)));
    expect([...areasExpected].sort()).toEqual([...AREA_IDS].sort());
  });

  it('expect every gate of every shipped flow to fire somewhere', () => {
    const expected = new Set(scenarios.flatMap(({ scenario }) => scenario.expect.gates.map((gate) => `${scenario.flow}/${gate}`)));
    const gates = [...flows.values()].flatMap((flow) => flow.gates.map((gate) => `${flow.id}/${gate.id}`));
    expect(gates.filter((gate) => !expected.has(gate)), 'gates no scenario exercises').toEqual([]);
  });
});

describe.each(scenarios)('scenario $name', ({ scenario }) => {
  const flow = flows.get(scenario.flow);

  it('names a shipped flow', () => {
    expect(flow, `flow "${scenario.flow}"`).toBeDefined();
  });
  if (!flow) return;

  // A refused or missing reply fails this scenario's tests, not the whole file.
  let outcome: { run: Run; score: Score } | Error;
  try {
    const run = runScenario(flow, scenario);
    outcome = { run, score: scoreReview(flow, run.state) };
  } catch (error) {
    outcome = error instanceof Error ? error : new Error(String(error));
  }
  const result = () => {
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };

  it('completes with every reply in the file actually asked', () => {
    const { run } = result();
    expect(run.state.status).toBe('completed');
    const notAsked = Object.keys(scenario.answers).filter((id) => !run.state.asked.includes(id));
    expect(notAsked, 'replies the engine never asked for (stale answers)').toEqual([]);
  });

  it(`lands at overall level ${scenario.expect.overall}`, () => {
    const { score } = result();
    expect(score.overall).toBe(scenario.expect.overall);
  });

  it('lands each listed area at its expected level', () => {
    const { score } = result();
    const levels = Object.fromEntries(score.areas.map((area) => [area.area, area.level]));
    const listed = Object.fromEntries(Object.keys(scenario.expect.areas).map((area) => [area, levels[area]]));
    expect(listed).toEqual(scenario.expect.areas);
  });

  it('sets the floors of the gates it expects', () => {
    const { score } = result();
    const fired = score.areas.flatMap((area) => area.gates.map((gate) => gate.id));
    for (const gate of scenario.expect.gates) expect(fired).toContain(gate);
  });

  it('fills the summary headline and asks for proxy-failure suggestions after the metric', () => {
    const { run } = result();
    const summary = buildSummary(flow, run.state);
    expect(summary.humanGoal).toBeTruthy();
    expect(summary.proxyMetrics.length).toBeGreaterThan(0);
    const metricQuestion = flow.summary.proxy_metrics[0];
    expect(run.effects).toContainEqual({ type: 'suggest', kind: 'proxy-failures', afterQuestionId: metricQuestion });
  });
});

describe('a read-only system', () => {
  const found = scenarios.find(({ name }) => name === 'internal-summarizer.json');

  it('is never asked about approval, rollback, permissions, logs or action limits', () => {
    expect(found).toBeDefined();
    const flow = flows.get(found!.scenario.flow)!;
    const { state } = runScenario(flow, found!.scenario);
    expect(state.asked).toContain('actions');
    for (const id of ['human_approval', 'rollback', 'permissions', 'audit_logs', 'action_limits']) expect(state.asked).not.toContain(id);
  });
});
