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
 *
 * The search is kept as a tree (one child per answer its conditions can tell
 * apart), so a review's own answers lead down it to the range still open:
 * "Question 5 of 27–31" narrows as the answers a branch depends on come in,
 * and never contradicts the number shown before, as a count of the questions
 * that apply so far did ("4 of 28", then "5 of 27").
 */
import { conditionHolds, forEachLeaf, type LeafCondition } from './conditions.js';
import { optionConflict } from './option-rules.js';
import { applicableQuestions } from './questions.js';
import type { AnswerValue, Flow, Option, Question, ReviewState } from './types.js';

export interface QuestionCountRange {
  fewest: number;
  most: number;
}

/** Past this many complete walks the search stops and reports the bounds every flow has (see looseRange). */
const MAX_WALKS = 20_000;
/** A multiple-choice question with more options than this is not enumerated (2^n answers). */
const MAX_MULTI_OPTIONS = 12;

/** The flow's range over every way a review can be answered, worked out once per loaded flow. */
export function questionCountRange(flow: Flow): QuestionCountRange {
  const found = countsOf(flow);
  return found ? { fewest: found.root.fewest, most: found.root.most } : looseRange(flow);
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

/** What a question's conditions see of an answer: which of their leaves it makes true. */
function answerKey(value: AnswerValue, leaves: readonly LeafCondition[]): string {
  let key = '';
  for (const leaf of leaves) key += conditionHolds(leaf, () => value) ? '1' : '0';
  return key;
}

/** Every answer a question can be given, or null when there are too many to try (a multi question with many options). */
function possibleAnswers(question: Question): AnswerValue[] | null {
  const answers: AnswerValue[] = [{ kind: 'skipped' }];
  if (question.options.length === 0) return [...answers, { kind: 'text', text: 'answered' }];
  const picks = (options: readonly Option[]): AnswerValue => ({ kind: 'options', optionIds: options.map((option) => option.id) });
  if (question.kind !== 'multi') return [...answers, ...question.options.map((option) => picks([option]))];
  if (question.options.length > MAX_MULTI_OPTIONS) return null;
  for (let mask = 1; mask < 1 << question.options.length; mask++) {
    const ticked = question.options.filter((_, bit) => (mask & (1 << bit)) !== 0);
    // Options that rule each other out are never ticked together.
    if (!optionConflict(ticked)) answers.push(picks(ticked));
  }
  return answers;
}

/**
 * The answers of a question that its conditions can tell apart: one for each
 * set of its conditions' leaves an answer can make true (most options of a
 * multi question behave alike), with that set as its key.
 */
function distinctAnswers(question: Question, leaves: readonly LeafCondition[]): { keys: string[]; answers: AnswerValue[] } | null {
  const possible = possibleAnswers(question);
  if (possible === null) return null;
  const keys: string[] = [];
  const answers: AnswerValue[] = [];
  for (const value of possible) {
    const key = answerKey(value, leaves);
    if (keys.includes(key)) continue;
    keys.push(key);
    answers.push(value);
  }
  return { keys, answers };
}

/**
 * The search's result: at each applicable question a condition reads, one
 * child per answer it can tell apart (`keys`, as answerKey gives them), and
 * the fewest and most questions below. A leaf has no question: every answer
 * that matters is given.
 */
interface CountNode extends QuestionCountRange {
  questionId?: string;
  keys?: string[];
  children?: CountNode[];
}

interface FlowCounts {
  root: CountNode;
  /** The leaves of conditions, by the question they read. */
  leaves: Map<string, LeafCondition[]>;
}

function searchCounts(flow: Flow): FlowCounts | null {
  const leaves = leavesByQuestion(flow);
  const choices = new Map<string, { keys: string[]; answers: AnswerValue[] }>();
  for (const [questionId, read] of leaves) {
    const question = flow.questions.find((candidate) => candidate.id === questionId);
    if (!question) continue;
    const distinct = distinctAnswers(question, read);
    if (distinct === null) return null;
    choices.set(questionId, distinct);
  }
  let walks = 0;
  const answers: ReviewState['answers'] = {};
  const state = { extraQuestions: [], answers };

  // The node for the questions from `index` on, in flow order; null when the search ran out of walks.
  const walk = (index: number): CountNode | null => {
    let next = index;
    while (next < flow.questions.length && !choices.has(flow.questions[next]!.id)) next++;
    if (next === flow.questions.length) {
      const count = applicableQuestions(flow, state).length;
      return ++walks <= MAX_WALKS ? { fewest: count, most: count } : null;
    }
    const question = flow.questions[next]!;
    // A question that does not apply is never answered: its conditions read nothing.
    if (!applicableQuestions(flow, state).some((candidate) => candidate.id === question.id)) return walk(next + 1);
    const node: CountNode = { questionId: question.id, children: [], fewest: Infinity, most: 0 };
    const { keys, answers: distinct } = choices.get(question.id)!;
    node.keys = keys;
    for (const value of distinct) {
      answers[question.id] = { questionId: question.id, value, by: 'count', at: '' };
      const child = walk(next + 1);
      delete answers[question.id];
      if (!child) return null;
      node.children!.push(child);
      node.fewest = Math.min(node.fewest, child.fewest);
      node.most = Math.max(node.most, child.most);
    }
    return node;
  };

  const root = walk(0);
  return root ? { root, leaves } : null;
}

const counts = new WeakMap<Flow, FlowCounts | null>();

function countsOf(flow: Flow): FlowCounts | null {
  let found = counts.get(flow);
  if (found === undefined) {
    found = searchCounts(flow);
    counts.set(flow, found);
  }
  return found;
}

/**
 * The questions a review asks in all, as far as its answers so far tell: the
 * range narrows with each answer a branch depends on, and is one number once
 * no unanswered question can change it. Suggested follow-ups that apply are
 * counted on top.
 */
export function questionCountNow(flow: Flow, state: Pick<ReviewState, 'answers' | 'extraQuestions'>): QuestionCountRange {
  return countGiven(flow, state, applicableQuestions(flow, state));
}

/** questionCountNow, given the questions that apply now (worked out once per message built). */
function countGiven(flow: Flow, state: Pick<ReviewState, 'answers' | 'extraQuestions'>, applicable: readonly Question[]): QuestionCountRange {
  const found = countsOf(flow);
  const extras = applicable.filter((question) => question.suggested).length;
  if (!found) {
    const range = looseRange(flow);
    return { fewest: Math.max(range.fewest, applicable.length - extras) + extras, most: range.most + extras };
  }
  const applies = new Set(applicable.map((question) => question.id));
  let node = found.root;
  while (node.questionId !== undefined) {
    const answer = applies.has(node.questionId) ? state.answers[node.questionId] : undefined;
    if (!answer) break;
    const index = node.keys!.indexOf(answerKey(answer.value, found.leaves.get(node.questionId)!));
    if (index < 0) break;
    node = node.children![index]!;
  }
  return { fewest: node.fewest + extras, most: node.most + extras };
}

/** Where a question stands: its number among the questions that apply now, and how many the review asks in all, as far as known. */
export interface QuestionProgress {
  number: number;
  total: QuestionCountRange;
}

export function questionProgress(flow: Flow, state: Pick<ReviewState, 'answers' | 'extraQuestions'>, questionId: string): QuestionProgress {
  const applicable = applicableQuestions(flow, state);
  const index = applicable.findIndex((question) => question.id === questionId);
  return { number: index >= 0 ? index + 1 : applicable.length, total: countGiven(flow, state, applicable) };
}

/** "28", or "27–31" while answers still to come decide. */
export function totalText(range: QuestionCountRange): string {
  return range.fewest === range.most ? String(range.most) : `${range.fewest}–${range.most}`;
}

/**
 * "26–34 questions, depending on the answers" (`short`: "26–34 questions"),
 * or "12 questions" when every review asks the same.
 */
export function questionCountText(range: QuestionCountRange, short = false): string {
  if (range.fewest === range.most) return `${range.most} question${range.most === 1 ? '' : 's'}`;
  return `${range.fewest}–${range.most} questions${short ? '' : ', depending on the answers'}`;
}
