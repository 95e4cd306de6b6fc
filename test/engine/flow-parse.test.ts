import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AREA_IDS } from '../../src/engine/areas.js';
import { FlowError, parseFlow } from '../../src/engine/flow-parse.js';
import { loadFixture } from './helpers.js';

/** A small valid flow as data; each test breaks one thing in a copy. */
function baseFlow(): Record<string, unknown> & { questions: Record<string, unknown>[]; gates: Record<string, unknown>[] } {
  return {
    id: 'quick-check',
    version: 1,
    title: 'Quick check',
    description: 'A test flow.',
    summary: { human_goal: 'goal', proxy_metrics: ['metric'] },
    questions: [
      { id: 'goal', kind: 'text', prompt: 'What do people want?' },
      { id: 'metric', kind: 'text', prompt: 'What metric?', suggest: 'proxy-failures' },
      {
        id: 'acts',
        kind: 'choice',
        prompt: 'Can it act?',
        options: [
          { id: 'read', label: 'Read only' },
          { id: 'act', label: 'It acts', signals: [{ area: 'autonomy_risk', weight: 3 }] },
        ],
      },
      {
        id: 'approval',
        kind: 'yesno',
        prompt: 'Approval?',
        when: { question: 'acts', equals: 'act' },
        yes: [{ area: 'autonomy_risk', weight: -2, safeguard: 'human_approval' }],
        no: [{ area: 'autonomy_risk', weight: 2 }],
        no_impact: 1,
      },
    ],
    gates: [{ id: 'unchecked', area: 'autonomy_risk', floor: 'high', reason: 'No approval.', when: { question: 'approval', equals: 'no' } }],
  };
}

function errorOf(flow: unknown, file = 'flows/quick-check.yaml'): FlowError {
  try {
    parseFlow(typeof flow === 'string' ? flow : stringify(flow), file);
  } catch (error) {
    if (error instanceof FlowError) return error;
    throw error;
  }
  throw new Error('the flow was accepted');
}

describe('parseFlow: loading', () => {
  it('normalises a flow: yes/no options, defaults, empty options for text', () => {
    const flow = parseFlow(stringify(baseFlow()), 'flows/quick-check.yaml');
    expect(flow.source).toBe('flows/quick-check.yaml');
    expect(flow.scoring).toEqual({ medium_at: 0.25, high_at: 0.5 });
    expect(flow.impact).toEqual({ raise_one_at: 2, raise_two_at: 4 });
    const [goal, , acts, approval] = flow.questions;
    expect(goal).toMatchObject({ kind: 'text', options: [], minLength: 1, maxLength: 3000, optional: false });
    expect(acts!.options[0]).toEqual({ id: 'read', label: 'Read only', aliases: [], signals: [], impact: 0 });
    expect(approval!.options).toEqual([
      { id: 'yes', label: 'Yes', aliases: [], signals: [{ area: 'autonomy_risk', weight: -2, safeguard: 'human_approval' }], impact: 0 },
      { id: 'no', label: 'No', aliases: [], signals: [{ area: 'autonomy_risk', weight: 2 }], impact: 1 },
      { id: 'not_sure', label: 'Not sure', aliases: [], signals: [], impact: 0 },
    ]);
    expect(flow.gates).toHaveLength(1);
  });

  it('loads the fixture that uses every question kind', () => {
    const flow = loadFixture('mini.yaml');
    expect(new Set(flow.questions.map((question) => question.kind))).toEqual(new Set(['text', 'choice', 'multi', 'scale', 'yesno']));
  });
});

describe('parseFlow: refused flows name the file, the path and the problem', () => {
  it('an unknown area, in the exact format', () => {
    const flow = baseFlow();
    (flow.questions[2]!.options as { signals?: unknown[] }[])[1]!.signals = [{ area: 'autonomy', weight: 3 }];
    expect(errorOf(flow).message).toBe(
      `flows/quick-check.yaml: questions[2].options[1].signals[0].area: unknown area "autonomy"; expected one of ${AREA_IDS.join(', ')}`,
    );
  });

  it('reports every issue, one per line', () => {
    const flow = baseFlow();
    (flow.questions[2]!.options as { signals?: unknown[] }[])[1]!.signals = [{ area: 'autonomy', weight: 9 }];
    flow.questions[0]!.extra = true;
    const lines = errorOf(flow).message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContain('flows/quick-check.yaml: questions[0]: unknown field "extra"');
    expect(lines.some((line) => line.startsWith('flows/quick-check.yaml: questions[2].options[1].signals[0].weight: '))).toBe(true);
  });

  it('an unknown question kind', () => {
    const flow = baseFlow();
    flow.questions[0]!.kind = 'essay';
    expect(errorOf(flow).message).toBe(
      'flows/quick-check.yaml: questions[0].kind: unknown kind "essay"; expected one of text, choice, multi, scale, yesno',
    );
  });

  it('a missing field', () => {
    const flow = baseFlow();
    delete flow.title;
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: title: missing; expected string');
  });

  it('an option list without options', () => {
    const flow = baseFlow();
    flow.questions[2]!.options = [];
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: questions[2].options: needs at least two options');
  });

  it('a condition written wrongly names the field at fault', () => {
    const flow = baseFlow();
    flow.questions[3]!.when = { question: 'acts', equal: 'act' };
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: questions[3].when: the condition on "acts" needs one of equals, includes, any_of, answered');
    flow.questions[3]!.when = { all: [{ question: 'acts', equals: 'act' }, { not: { question: 'acts', equals: 7 } }] };
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: questions[3].when.all[1].not.equals: expected string, got number 7');
  });

  it('duplicate question ids', () => {
    const flow = baseFlow();
    flow.questions[1]!.id = 'goal';
    expect(errorOf(flow).message).toContain('flows/quick-check.yaml: questions[1].id: duplicate question id "goal"; questions[0] already uses it');
  });

  it('duplicate option ids within a question', () => {
    const flow = baseFlow();
    (flow.questions[2]!.options as { id: string }[])[1]!.id = 'read';
    expect(errorOf(flow).message).toContain('flows/quick-check.yaml: questions[2].options[1].id: duplicate option id "read"; options[0] already uses it');
  });

  it('an option that rules out the others on a question where only one is chosen anyway', () => {
    const flow = baseFlow();
    (flow.questions[2]!.options as { exclusive?: boolean }[])[0]!.exclusive = true;
    expect(errorOf(flow).message).toContain(
      "flows/quick-check.yaml: questions[2].options[0].exclusive: only a multi question's option can rule out the others; this question is choice, where one answer is chosen anyway",
    );
  });

  it('an option that rules out others it does not have, or on a question where only one is chosen', () => {
    const flow = baseFlow();
    (flow.questions[2]!.options as { excludes?: string[] }[])[0]!.excludes = ['act', 'ghost'];
    const message = errorOf(flow).message;
    expect(message).toContain("questions[2].options[0].excludes: only a multi question's option can rule out others; this question is choice");
    expect(message).toContain('questions[2].options[0].excludes[1]: unknown option "ghost" of this question');
  });

  it('duplicate gate ids', () => {
    const flow = baseFlow();
    flow.gates.push({ ...flow.gates[0]! });
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: gates[1].id: duplicate gate id "unchecked"; gates[0] already uses it');
  });

  it('a condition on an unknown question, at any depth', () => {
    const flow = baseFlow();
    flow.questions[3]!.when = { any: [{ question: 'acts', equals: 'act' }, { not: { question: 'ghost', answered: true } }] };
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: questions[3].when.any[1].not.question: unknown question "ghost"');
  });

  it('a condition on the question itself', () => {
    const flow = baseFlow();
    flow.questions[3]!.when = { question: 'approval', equals: 'yes' };
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: questions[3].when.question: a question cannot depend on its own answer');
  });

  it('a condition on a later question', () => {
    const flow = baseFlow();
    flow.questions[2]!.when = { all: [{ question: 'approval', equals: 'yes' }] };
    expect(errorOf(flow).message).toBe(
      'flows/quick-check.yaml: questions[2].when.all[0].question: question "approval" comes later (questions[3]); a condition may only use earlier answers',
    );
  });

  it('a condition naming an option the question does not have', () => {
    const flow = baseFlow();
    flow.questions[3]!.when = { question: 'acts', any_of: ['act', 'writes'] };
    expect(errorOf(flow).message).toBe(
      'flows/quick-check.yaml: questions[3].when.any_of[1]: question "acts" has no option "writes"; its options are read, act',
    );
    flow.gates[0]!.when = { question: 'approval', equals: 'maybe' };
    expect(errorOf(flow).message).toContain(
      'flows/quick-check.yaml: gates[0].when.equals: question "approval" has no option "maybe"; its options are yes, no, not_sure',
    );
  });

  it('a condition testing a text question other than with answered', () => {
    const flow = baseFlow();
    flow.questions[2]!.when = { question: 'goal', equals: 'x' };
    expect(errorOf(flow).message).toBe(
      'flows/quick-check.yaml: questions[2].when.question: question "goal" is a text question; a condition can only test it with "answered"',
    );
    flow.questions[2]!.when = { question: 'goal', answered: true };
    expect(() => parseFlow(stringify(flow), 'flows/quick-check.yaml')).not.toThrow();
  });

  it('a safeguard that is not one of its area’s', () => {
    const flow = baseFlow();
    flow.questions[3]!.yes = [{ area: 'autonomy_risk', weight: -2, safeguard: 'diverse_metrics' }];
    expect(errorOf(flow).message).toBe(
      'flows/quick-check.yaml: questions[3].yes[0].safeguard: safeguard "diverse_metrics" is not one of autonomy_risk\'s safeguards: permission_controls, sandboxing, audit_logs, human_approval, rollback, action_limits',
    );
  });

  it('a gate on an unknown question', () => {
    const flow = baseFlow();
    flow.gates[0]!.when = { question: 'nowhere', equals: 'no' };
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: gates[0].when.question: unknown question "nowhere"');
  });

  it('summary fields naming unknown questions', () => {
    const flow = baseFlow();
    flow.summary = { human_goal: 'purpose', proxy_metrics: ['metric', 'kpi'] };
    expect(errorOf(flow).message.split('\n')).toEqual([
      'flows/quick-check.yaml: summary.human_goal: unknown question "purpose"',
      'flows/quick-check.yaml: summary.proxy_metrics[1]: unknown question "kpi"',
    ]);
  });

  it('proxy-failure suggestions on a question that is not text', () => {
    const flow = baseFlow();
    flow.questions[2]!.suggest = 'proxy-failures';
    expect(errorOf(flow).message).toBe(
      'flows/quick-check.yaml: questions[2].suggest: "proxy-failures" needs a text question (the metric in the team\'s words); this one is choice',
    );
  });

  it('max_length below min_length', () => {
    const flow = baseFlow();
    Object.assign(flow.questions[0]!, { min_length: 50, max_length: 10 });
    expect(errorOf(flow).message).toBe('flows/quick-check.yaml: questions[0].max_length: 10 is less than min_length 50');
  });

  it('YAML syntax errors name the file and line', () => {
    const error = errorOf('id: quick-check\nversion: 1\nquestions: [\n  - id: a\ntitle: x\n');
    expect(error.message).toMatch(/^flows\/quick-check\.yaml: line \d+, column \d+: /);
    expect(errorOf('id: a\nid: b\n').message).toBe('flows/quick-check.yaml: line 2, column 1: Map keys must be unique');
  });

  it('an empty file', () => {
    expect(errorOf('').message).toBe('flows/quick-check.yaml: (top): the file is empty');
  });
});
