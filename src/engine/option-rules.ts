/**
 * Which options of a multi question may be chosen together. An option may
 * rule out every other (`exclusive`: "Nothing else") or some of them
 * (`excludes`: "Only suggests or drafts" cannot go with "Runs code"). The
 * parser refuses such answers, and the question count never tries them.
 */
import type { Option } from './types.js';

export type OptionConflict = { kind: 'alone'; option: Option } | { kind: 'pair'; first: Option; second: Option };

/** Why these options cannot be chosen together, or undefined when they can. */
export function optionConflict(options: readonly Option[]): OptionConflict | undefined {
  if (options.length < 2) return undefined;
  const alone = options.find((option) => option.exclusive);
  if (alone) return { kind: 'alone', option: alone };
  for (const first of options) {
    const second = options.find((other) => first.excludes?.includes(other.id) || other.excludes?.includes(first.id));
    if (second) return options.indexOf(first) < options.indexOf(second) ? { kind: 'pair', first, second } : { kind: 'pair', first: second, second: first };
  }
  return undefined;
}
