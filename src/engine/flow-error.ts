/**
 * The error a flow file is refused with. Its message has one line per issue,
 * `<file>: <path>: <what is wrong>`, so a flow author sees every problem at
 * once and can jump to each one.
 */
export interface FlowIssue {
  /** Where in the file: `questions[3].options[1].signals[0].area`, or `line 4, column 2` for YAML syntax. */
  path: string;
  message: string;
}

export class FlowError extends Error {
  override readonly name = 'FlowError';

  constructor(
    readonly file: string,
    readonly issues: readonly FlowIssue[],
  ) {
    super(issues.map((issue) => `${file}: ${issue.path}: ${issue.message}`).join('\n'));
  }
}

/** `['questions', 3, 'options', 1]` → `questions[3].options[1]`; the empty path is the whole file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(top)' : text;
}
