/**
 * Reading a flow file: YAML text → shape check (flow-schema.ts) → cross
 * checks (flow-validate.ts) → the loaded `Flow` the engine runs. Any problem
 * throws one FlowError listing every issue found in that stage.
 */
import { parseDocument } from 'yaml';
import { FlowError, type FlowIssue } from './flow-error.js';
import { flowSchema, type OptionSpec, type QuestionSpec, type SignalSpec } from './flow-schema.js';
import { describeShapeIssues } from './flow-shape-issues.js';
import { crossCheckFlow } from './flow-validate.js';
import { NO, NOT_SURE, YES, type Flow, type Option, type Question } from './types.js';

export { FlowError } from './flow-error.js';

/** Guards against YAML alias bombs; a real flow uses few, if any. */
const MAX_ALIAS_COUNT = 100;

export function parseFlow(yamlText: string, fileName: string): Flow {
  const raw = readYaml(yamlText, fileName);
  const parsed = flowSchema.safeParse(raw);
  if (!parsed.success) throw new FlowError(fileName, describeShapeIssues(parsed.error.issues, raw));
  const crossIssues = crossCheckFlow(parsed.data);
  if (crossIssues.length > 0) throw new FlowError(fileName, crossIssues);

  const file = parsed.data;
  return {
    id: file.id,
    version: file.version,
    title: file.title,
    description: file.description,
    source: fileName,
    summary: file.summary,
    scoring: file.scoring,
    impact: file.impact,
    questions: file.questions.map(toQuestion),
    gates: file.gates,
    recommendations: file.recommendations,
    overall: file.overall,
  };
}

function readYaml(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues: FlowIssue[] = doc.errors.map((error) => {
      const position = error.linePos?.[0];
      // The pretty message repeats the position and quotes the source; keep the first sentence.
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { path: position ? `line ${position.line}, column ${position.col}` : '(top)', message };
    });
    throw new FlowError(fileName, issues);
  }
  const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  if (value === null || value === undefined) throw new FlowError(fileName, [{ path: '(top)', message: 'the file is empty' }]);
  return value;
}

function toQuestion(spec: QuestionSpec): Question {
  const question: Question = {
    id: spec.id,
    kind: spec.kind,
    prompt: spec.prompt,
    optional: spec.optional,
    minLength: 0,
    maxLength: 0,
    options: [],
  };
  if (spec.section !== undefined) question.section = spec.section;
  if (spec.help !== undefined) question.help = spec.help;
  if (spec.example !== undefined) question.example = spec.example;
  if (spec.when !== undefined) question.when = spec.when;
  if (spec.suggest !== undefined) question.suggest = spec.suggest;
  switch (spec.kind) {
    case 'text':
      question.minLength = spec.min_length;
      question.maxLength = spec.max_length;
      break;
    case 'yesno':
      question.options = [
        fixedOption(YES, 'Yes', spec.yes, spec.yes_impact),
        fixedOption(NO, 'No', spec.no, spec.no_impact),
        // "Not sure" is an open answer: it carries no signals and is never scored as safe.
        fixedOption(NOT_SURE, 'Not sure', [], undefined),
      ];
      break;
    default:
      question.options = spec.options.map(toOption);
  }
  return question;
}

function toOption(spec: OptionSpec): Option {
  return { id: spec.id, label: spec.label, aliases: spec.aliases ?? [], signals: spec.signals, impact: spec.impact ?? 0, ...(spec.exclusive ? { exclusive: true as const } : {}), ...(spec.excludes?.length ? { excludes: spec.excludes } : {}) };
}

function fixedOption(id: string, label: string, signals: SignalSpec[], impact: number | undefined): Option {
  return { id, label, aliases: [], signals, impact: impact ?? 0 };
}
