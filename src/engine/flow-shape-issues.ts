/**
 * Turns zod's issues about a flow file into plain sentences with paths. Zod
 * reports a bad condition as "Invalid input" with one error list per form a
 * condition can take; here the form the author meant is picked from the keys
 * they wrote, and only its errors are reported.
 */
import type { z } from 'zod';
import { formatPath, type FlowIssue } from './flow-error.js';

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

/** The key that selects each form of a condition, in the order conditionSchema lists them. */
const CONDITION_FORMS = ['equals', 'includes', 'any_of', 'answered', 'not', 'all', 'any'] as const;
const LEAF_FORMS = CONDITION_FORMS.slice(0, 4);

export function describeShapeIssues(issues: readonly Issue[], input: unknown): FlowIssue[] {
  const out: FlowIssue[] = [];
  for (const issue of issues) collect(issue, [], input, out);
  return out;
}

function collect(issue: Issue, base: Path, root: unknown, out: FlowIssue[]): void {
  const path = [...base, ...issue.path];
  const value = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator !== undefined) {
        const options = 'options' in issue && Array.isArray(issue.options) ? issue.options.join(', ') : '';
        const what = value === undefined ? 'missing' : `unknown ${String(issue.discriminator)} ${JSON.stringify(value)}`;
        out.push({ path: formatPath(path), message: `${what}; expected one of ${options}` });
        return;
      }
      describeCondition(issue, path, value, root, out);
      return;
    }
    case 'invalid_type':
      out.push({
        path: formatPath(path),
        message: value === undefined ? `missing; expected ${issue.expected}` : `expected ${issue.expected}, got ${kindOf(value)}`,
      });
      return;
    case 'unrecognized_keys':
      out.push({
        path: formatPath(path),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
      });
      return;
    default:
      out.push({ path: formatPath(path), message: issue.message });
  }
}

function describeCondition(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: Path,
  value: unknown,
  root: unknown,
  out: FlowIssue[],
): void {
  const at = formatPath(path);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push({ path: at, message: 'a condition must be a mapping: {question, equals|includes|any_of|answered}, or {not}, {all} or {any}' });
    return;
  }
  const forms = CONDITION_FORMS.filter((form) => form in value);
  if (forms.length === 1) {
    const branch = issue.errors[CONDITION_FORMS.indexOf(forms[0]!)];
    if (branch) for (const inner of branch) collect(inner, path, root, out);
    return;
  }
  if (forms.length > 1) {
    out.push({ path: at, message: `a condition takes one of ${CONDITION_FORMS.join(', ')}; found ${forms.join(', ')} together` });
    return;
  }
  const question = (value as Record<string, unknown>).question;
  out.push({
    path: at,
    message:
      question === undefined
        ? `not a condition; expected {question, ${LEAF_FORMS.join('|')}}, {not}, {all} or {any}`
        : `the condition on ${JSON.stringify(question)} needs one of ${LEAF_FORMS.join(', ')}`,
  });
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
