/**
 * Cross-checks of a flow whose shape zod already accepted: the references
 * between its parts (question ids, option ids, safeguards) that a schema
 * cannot express. Each issue carries the path of the value at fault.
 */
import { AREAS } from './areas.js';
import { forEachLeaf, type LeafCondition } from './conditions.js';
import { formatPath, type FlowIssue } from './flow-error.js';
import type { Condition, FlowFile, QuestionSpec, SignalSpec } from './flow-schema.js';
import { NO, NOT_SURE, YES } from './types.js';

type Path = (string | number)[];

/** The option ids a question has once loaded (yes/no questions get their fixed three). */
export function optionIdsOf(question: QuestionSpec): string[] {
  switch (question.kind) {
    case 'text':
      return [];
    case 'yesno':
      return [YES, NO, NOT_SURE];
    default:
      return question.options.map((option) => option.id);
  }
}

export function crossCheckFlow(flow: FlowFile): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const add = (path: Path, message: string) => issues.push({ path: formatPath(path), message });

  const indexById = new Map<string, number>();
  flow.questions.forEach((question, i) => {
    const first = indexById.get(question.id);
    if (first === undefined) indexById.set(question.id, i);
    else add(['questions', i, 'id'], `duplicate question id ${JSON.stringify(question.id)}; questions[${first}] already uses it`);
  });

  flow.questions.forEach((question, i) => {
    const at: Path = ['questions', i];
    checkQuestionOwnFields(question, at, add);
    if (question.when) {
      checkCondition(question.when, [...at, 'when'], flow, indexById, add, { index: i, id: question.id });
    }
  });

  const gateIds = new Map<string, number>();
  flow.gates.forEach((gate, i) => {
    const first = gateIds.get(gate.id);
    if (first === undefined) gateIds.set(gate.id, i);
    else add(['gates', i, 'id'], `duplicate gate id ${JSON.stringify(gate.id)}; gates[${first}] already uses it`);
    checkCondition(gate.when, ['gates', i, 'when'], flow, indexById, add, null);
  });

  const summaryRefs: [Path, string | undefined][] = [
    [['summary', 'human_goal'], flow.summary.human_goal],
    [['summary', 'objective'], flow.summary.objective],
    [['summary', 'system_description'], flow.summary.system_description],
    ...flow.summary.proxy_metrics.map((id, i): [Path, string] => [['summary', 'proxy_metrics', i], id]),
  ];
  for (const [path, id] of summaryRefs) {
    if (id !== undefined && !indexById.has(id)) add(path, `unknown question ${JSON.stringify(id)}`);
  }
  return issues;
}

function checkQuestionOwnFields(question: QuestionSpec, at: Path, add: (path: Path, message: string) => void): void {
  if (question.suggest === 'proxy-failures' && question.kind !== 'text') {
    add([...at, 'suggest'], `"proxy-failures" needs a text question (the metric in the team's words); this one is ${question.kind}`);
  }
  switch (question.kind) {
    case 'text':
      if (question.max_length < question.min_length) {
        add([...at, 'max_length'], `${question.max_length} is less than min_length ${question.min_length}`);
      }
      return;
    case 'yesno':
      checkSignals(question.yes, [...at, 'yes'], add);
      checkSignals(question.no, [...at, 'no'], add);
      return;
    default: {
      const seen = new Map<string, number>();
      question.options.forEach((option, k) => {
        const first = seen.get(option.id);
        if (first === undefined) seen.set(option.id, k);
        else add([...at, 'options', k, 'id'], `duplicate option id ${JSON.stringify(option.id)}; options[${first}] already uses it`);
        checkSignals(option.signals, [...at, 'options', k, 'signals'], add);
        if (option.exclusive && question.kind !== 'multi') {
          add([...at, 'options', k, 'exclusive'], `only a multi question's option can rule out the others; this question is ${question.kind}, where one answer is chosen anyway`);
        }
        if (option.excludes?.length && question.kind !== 'multi') {
          add([...at, 'options', k, 'excludes'], `only a multi question's option can rule out others; this question is ${question.kind}, where one answer is chosen anyway`);
        }
        option.excludes?.forEach((excluded, e) => {
          if (excluded === option.id) add([...at, 'options', k, 'excludes', e], 'an option cannot rule out itself');
          else if (!question.options.some((other) => other.id === excluded)) add([...at, 'options', k, 'excludes', e], `unknown option ${JSON.stringify(excluded)} of this question`);
        });
      });
    }
  }
}

function checkSignals(signals: SignalSpec[], at: Path, add: (path: Path, message: string) => void): void {
  signals.forEach((signal, s) => {
    const allowed = AREAS[signal.area].safeguards;
    if (signal.safeguard !== undefined && !allowed.includes(signal.safeguard)) {
      add(
        [...at, s, 'safeguard'],
        `safeguard ${JSON.stringify(signal.safeguard)} is not one of ${signal.area}'s safeguards: ${allowed.join(', ')}`,
      );
    }
  });
}

/**
 * `owner` is the question the condition belongs to (it may only use earlier
 * answers), or null for a gate (it may use any question).
 */
function checkCondition(
  condition: Condition,
  at: Path,
  flow: FlowFile,
  indexById: ReadonlyMap<string, number>,
  add: (path: Path, message: string) => void,
  owner: { index: number; id: string } | null,
): void {
  forEachLeaf(condition, (leaf, leafPath) => {
    const path = [...at, ...leafPath];
    const target = indexById.get(leaf.question);
    if (target === undefined) return add([...path, 'question'], `unknown question ${JSON.stringify(leaf.question)}`);
    if (owner && leaf.question === owner.id) return add([...path, 'question'], 'a question cannot depend on its own answer');
    if (owner && target > owner.index) {
      return add(
        [...path, 'question'],
        `question ${JSON.stringify(leaf.question)} comes later (questions[${target}]); a condition may only use earlier answers`,
      );
    }
    checkLeafOptions(leaf, path, flow.questions[target]!, add);
  });
}

function checkLeafOptions(leaf: LeafCondition, path: Path, target: QuestionSpec, add: (path: Path, message: string) => void): void {
  if ('answered' in leaf) return;
  const name = JSON.stringify(target.id);
  if (target.kind === 'text') {
    add([...path, 'question'], `question ${name} is a text question; a condition can only test it with "answered"`);
    return;
  }
  const known = optionIdsOf(target);
  const check = (optionId: string, optionPath: Path) => {
    if (!known.includes(optionId)) {
      add(optionPath, `question ${name} has no option ${JSON.stringify(optionId)}; its options are ${known.join(', ')}`);
    }
  };
  if ('equals' in leaf) check(leaf.equals, [...path, 'equals']);
  else if ('includes' in leaf) check(leaf.includes, [...path, 'includes']);
  else leaf.any_of.forEach((optionId, k) => check(optionId, [...path, 'any_of', k]));
}
