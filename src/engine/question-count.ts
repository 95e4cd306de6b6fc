/**
 * How many questions a flow asks: the fewest and the most over every way a
 * review can be answered. Branches make the count depend on answers, and a
 * single number ("about 27") read as a promise that question 28 then broke.
 *
 * Exact by search: a question's `when` reads only earlier answers
 * (flow-validate.ts), so walking the questions in order and branching at
 * each applicable question some condition reads, over the answers that
 * condition can tell apart, visits every reachable set of questions. The
 * other questions' answers cannot change what applies. Any question may be
 * skipped, so "skipped" is always one of the answers tried.
 */
import { forEachLeaf, type LeafCondition } from './conditions.js';
import { applicableQuestions } from './questions.js';
import type { AnswerValue, Flow, Option, Question, ReviewState } from './types.js';

export interface QuestionCountRange {
  fewest: number;
  most: number;
}

/** Past this many complete walks the search stops and reports the bounds every flow has (see looseRange). */
const MAX_WALKS = 20_000;
/** A multiple-choice question that this many conditions' options read is not enumerated (2^n answers). */
const MAX_READ_OPTIONS = 10;

const ranges = new WeakMap<Flow, QuestionCountRange>();

/** The flow's range, worked out once per loaded flow. */
export function questionCountRange(flow: Flow): QuestionCountRange {
  let range = ranges.get(flow);
  if (range === undefined) {
    range = searchRange(flow) ?? looseRange(flow);
    ranges.set(flow, range);
  }
  return range;
}

/** Questions without a condition always apply; at most every question does. */
function looseRange(flow: Flow): QuestionCountRange {
  return { fewest: flow.questions.filter((question) => question.when === undefined).length, most: flow.questions.length };
}

/** The leaves of every condition, by the question they read. */
function leavesByQuestion(flow: Flow): Map<string, LeafCondition[]> {
  const leaves = new Map<string, LeafCondition[]>();
  for (const question of flow.questions) {
    if (question.when === undefined) continue;
    forEachLeaf(question.when, (leaf) => leaves.set(leaf.question, [...(leaves.get(leaf.question) ?? []), leaf]));
  }
  return leaves;
}

/** The option ids a condition's leaves name. */
function namedOptions(leaves: readonly LeafCondition[]): Set<string> {
  const named = new Set<string>();
  for (const leaf of leaves) {
    if ('equals' in leaf) named.add(leaf.equals);
    else if ('includes' in leaf) named.add(leaf.includes);
    else if ('any_of' in leaf) leaf.any_of.forEach((id) => named.add(id));
  }
  return named;
}

/**
 * The answers of a question that its conditions can tell apart, or null
 * when there are too many to try. Options no condition names behave alike,
 * so one of them stands for all; on a multiple-choice question what counts
 * is which named options are ticked and whether anything else is (a leaf's
 * `equals` needs exactly one option), and an option that rules out the
 * others is only ever ticked alone.
 */
function distinctAnswers(question: Question, leaves: readonly LeafCondition[]): AnswerValue[] | null {
  const skipped: AnswerValue = { kind: 'skipped' };
  if (question.options.length === 0) return [skipped, { kind: 'text', text: 'answered' }];
  const named = namedOptions(leaves);
  const read = question.options.filter((option) => named.has(option.id));
  const unread = question.options.filter((option) => !named.has(option.id));
  const picks = (options: readonly Option[]): AnswerValue => ({ kind: 'options', optionIds: options.map((option) => option.id) });
  if (question.kind !== 'multi') return [skipped, ...[...read, ...unread.slice(0, 1)].map((option) => picks([option]))];
  if (read.length > MAX_READ_OPTIONS) return null;
  // An option that rules out the others is only ever chosen alone.
  const other = unread.find((option) => !option.exclusive);
  const answers: AnswerValue[] = [skipped, ...unread.filter((option) => option === other || option.exclusive).slice(0, 1).map((option) => picks([option]))];
  for (let mask = 1; mask < 1 << read.length; mask++) {
    const ticked = read.filter((_, bit) => (mask & (1 << bit)) !== 0);
    const canJoin = !ticked.some((option) => option.exclusive);
    if (ticked.length === 1 || canJoin) answers.push(picks(ticked));
    if (other !== undefined && canJoin) answers.push(picks([...ticked, other]));
  }
  return answers;
}

function searchRange(flow: Flow): QuestionCountRange | null {
  const leaves = leavesByQuestion(flow);
  const choices = new Map<string, AnswerValue[]>();
  for (const [questionId, read] of leaves) {
    const question = flow.questions.find((candidate) => candidate.id === questionId);
    if (!question) continue;
    const answers = distinctAnswers(question, read);
    if (answers === null) return null;
    choices.set(questionId, answers);
  }
  let fewest = Infinity;
  let most = 0;
  let walks = 0;
  const answers: ReviewState['answers'] = {};
  const state = { extraQuestions: [], answers };

  // Answers the questions from `index` on, in flow order; false when the search ran out of walks.
  const walk = (index: number): boolean => {
    let next = index;
    while (next < flow.questions.length && !choices.has(flow.questions[next]!.id)) next++;
    if (next === flow.questions.length) {
      const count = applicableQuestions(flow, state).length;
      fewest = Math.min(fewest, count);
      most = Math.max(most, count);
      return ++walks <= MAX_WALKS;
    }
    const question = flow.questions[next]!;
    // A question that does not apply is never answered: its conditions read nothing.
    if (!applicableQuestions(flow, state).some((candidate) => candidate.id === question.id)) return walk(next + 1);
    for (const value of choices.get(question.id)!) {
      answers[question.id] = { questionId: question.id, value, by: 'count', at: '' };
      const goOn = walk(next + 1);
      delete answers[question.id];
      if (!goOn) return false;
    }
    return true;
  };

  return walk(0) ? { fewest, most } : null;
}

/**
 * "26–34 questions, depending on the answers" (`short`: "26–34 questions"),
 * or "12 questions" when every review asks the same.
 */
export function questionCountText(range: QuestionCountRange, short = false): string {
  if (range.fewest === range.most) return `${range.most} question${range.most === 1 ? '' : 's'}`;
  return `${range.fewest}–${range.most} questions${short ? '' : ', depending on the answers'}`;
}
