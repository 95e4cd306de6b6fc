/**
 * The review engine's data: a loaded flow, the serializable review state, the
 * inputs a review accepts and the effects each step asks the outside world to
 * show. Everything here is plain JSON-able data: the state is what the store
 * keeps, and it must survive an upgrade (see REVIEW_SCHEMA_VERSION).
 */
import type { AreaId, AreaLevel, Level, OverallLevel } from './areas.js';
import type { Condition, FlowFile, GateSpec, SignalSpec } from './flow-schema.js';

export type QuestionKind = 'text' | 'choice' | 'multi' | 'scale' | 'yesno';

export interface Option {
  id: string;
  label: string;
  aliases: string[];
  signals: SignalSpec[];
  impact: number;
  /** On a multi question: chosen only alone ("Nothing else", "None"). Absent when false. */
  exclusive?: true;
  /** On a multi question: the options it cannot be chosen with. Absent when none. */
  excludes?: string[];
}

/** A question after loading: yes/no questions get their three fixed options. */
export interface Question {
  id: string;
  kind: QuestionKind;
  section?: string;
  prompt: string;
  help?: string;
  example?: string;
  optional: boolean;
  when?: Condition;
  suggest?: 'proxy-failures' | 'clarify';
  /** text only */
  minLength: number;
  maxLength: number;
  /** choice, multi, scale, yesno; empty for text */
  options: Option[];
  /** Added during the review by the model (clarifying follow-ups); always optional text. */
  suggested?: boolean;
  /**
   * Suggested questions only: the question they follow. They are asked right
   * after it (in the order they were added) and apply only while it applies.
   */
  afterQuestionId?: string;
}

/** The option ids of a yes/no question. "not_sure" is an open answer, never scored as safe. */
export const YES = 'yes';
export const NO = 'no';
export const NOT_SURE = 'not_sure';

export interface Flow {
  id: string;
  version: number;
  title: string;
  description: string;
  /** The file it came from, for messages. */
  source: string;
  summary: FlowFile['summary'];
  scoring: FlowFile['scoring'];
  impact: FlowFile['impact'];
  questions: Question[];
  gates: GateSpec[];
  recommendations: FlowFile['recommendations'];
  overall: FlowFile['overall'];
}

export const REVIEW_SCHEMA_VERSION = 1;

export type AnswerValue =
  | { kind: 'text'; text: string }
  /**
   * `detail`: what the person wrote after the answer ("Yes — the credit risk
   * lead owns it" keeps "the credit risk lead owns it"), as Slack delivered
   * it, like a text answer. Absent when they wrote only the answer or
   * clicked; states stored before it existed have none and read as before.
   */
  | { kind: 'options'; optionIds: string[]; detail?: string }
  | { kind: 'skipped' };

export interface Answer {
  questionId: string;
  value: AnswerValue;
  /** Slack user id (or any stable person id) of who gave it. */
  by: string;
  /** ISO 8601 time it was given. */
  at: string;
  /** The chat message that carried it, so an edit of that message updates it. */
  messageTs?: string;
}

export type ReviewStatus = 'active' | 'paused' | 'completed' | 'cancelled';

export interface HistoryEntry {
  at: string;
  by: string;
  action:
    | 'start'
    | 'answer'
    | 'edit'
    | 'skip'
    | 'back'
    | 'pause'
    | 'resume'
    | 'cancel'
    | 'finish'
    | 'complete'
    | 'suggestions'
    | 'verdict'
    | 'questions_added'
    | 'redteam'
    | 'decision';
  questionId?: string;
  suggestionId?: string;
  before?: AnswerValue | string | boolean | null;
  after?: AnswerValue | string | boolean | null;
  /** A decision's conditions (or notes on changes needed), kept in the history so a later decision does not erase them. */
  conditions?: string;
}

/** A way the team's metric could be won while the real goal is harmed. */
export interface Suggestion {
  id: string;
  title: string;
  why: string;
  safeguard: string;
  area: Extract<AreaId, 'reward_misspecification' | 'over_optimization'>;
  source: 'model' | 'offline';
  /** Where an offline entry comes from (the article or a public example). */
  reference?: string;
  /** The question after which it was made. */
  afterQuestionId: string;
  /**
   * Which answer to that question it was made for (answerFingerprint): a
   * result made for an answer since edited is refused. Absent on suggestions
   * stored before answers were told apart.
   */
  forAnswer?: string;
  /** The run that made it: the suggestions of one run share a message. Absent as forAnswer is. */
  batch?: string;
  verdict?: { relevant: boolean; by: string; at: string };
}

export interface RedTeamScenario {
  kind: 'violates_intent' | 'wrong_proxy' | 'harmful_shortcut' | 'unsafe_under_pressure' | 'ignores_context';
  scenario: string;
}

export interface ReviewState {
  schema: typeof REVIEW_SCHEMA_VERSION;
  id: string;
  flowId: string;
  flowVersion: number;
  systemName: string;
  startedBy: string;
  startedAt: string;
  status: ReviewStatus;
  finishedAt?: string;
  /** The question the review waits on, or null when it is not waiting (completed, cancelled). */
  currentQuestionId: string | null;
  /** Question ids in the order they were asked; `back` walks it. */
  asked: string[];
  /** Latest answer per question id, kept even when a question stops applying. */
  answers: Record<string, Answer>;
  /** Clarifying questions the model proposed, asked as optional text questions. */
  extraQuestions: Question[];
  suggestions: Suggestion[];
  redTeam: RedTeamScenario[];
  /** A lead's sign-off on a finished review. */
  decision?: Decision;
  /**
   * A typed `cancel` waiting to be confirmed: the same person's next input,
   * if it is `cancel` again within CANCEL_CONFIRM_MS of `at`, cancels the
   * review; anything else they send drops it. Absent when none waits.
   * `earlier` holds other people's requests still waiting when this one came
   * (oldest first), so one person's `cancel` never resets another's.
   */
  cancelRequest?: CancelRequest & { earlier?: CancelRequest[] };
  history: HistoryEntry[];
}

export interface CancelRequest {
  by: string;
  at: string;
}

export interface Decision {
  outcome: 'approved' | 'approved_with_conditions' | 'changes_needed';
  conditions?: string;
  by: string;
  at: string;
  /** When an answer was first edited after the decision: it no longer covers the answers as they are, and the cards say so until a lead decides again. */
  answersChangedAt?: string;
}

interface By {
  by: string;
  at: string;
}

export type ReviewInput =
  /** A free-text reply: parsed against the current question's kind. */
  | ({ type: 'reply'; text: string; messageTs?: string; questionId?: string } & By)
  /** Buttons or checkboxes: option ids for a given question (must be the current one). */
  | ({ type: 'choose'; questionId: string; optionIds: string[] } & By)
  | ({ type: 'skip' } & By)
  | ({ type: 'back' } & By)
  /** An edit of the message that answered a question. */
  | ({ type: 'edit'; messageTs: string; text: string } & By)
  | ({ type: 'pause' } & By)
  | ({ type: 'resume' } & By)
  | ({ type: 'cancel' } & By)
  /** End now; the questions not yet answered are listed as open. */
  | ({ type: 'finish' } & By)
  | ({ type: 'add_questions'; afterQuestionId: string; questions: { id: string; prompt: string; help?: string }[] } & By)
  | ({ type: 'add_suggestions'; suggestions: Omit<Suggestion, 'verdict'>[] } & By)
  | ({ type: 'verdict'; suggestionId: string; relevant: boolean } & By)
  | ({ type: 'add_redteam'; scenarios: RedTeamScenario[] } & By)
  /** A lead's sign-off; only on a completed review. Who may decide is the adapter's rule. */
  | ({ type: 'decide'; outcome: Decision['outcome']; conditions?: string } & By);

/** What a step asks the outside world to show. The adapter renders each one. */
export type Effect =
  | { type: 'ask'; questionId: string }
  /** An answer (or skip) was stored for this question: show it in place of its buttons. */
  | { type: 'recorded'; questionId: string }
  | { type: 'invalid'; questionId: string; message: string }
  | { type: 'cannot_skip'; questionId: string }
  | { type: 'went_back'; questionId: string }
  | { type: 'nothing_to_go_back_to' }
  | { type: 'edited'; questionId: string }
  | { type: 'edit_ignored'; reason: 'unknown_message' | 'invalid'; message?: string }
  | { type: 'paused' }
  | { type: 'resumed' }
  /** A first `cancel`: the review goes on until the same person confirms it (see ReviewState.cancelRequest). */
  | { type: 'cancel_requested' }
  | { type: 'cancelled' }
  | { type: 'completed' }
  /** The review is not active (paused, completed, cancelled): the input changed nothing. */
  | { type: 'not_active'; status: ReviewStatus }
  | { type: 'suggest'; kind: 'proxy-failures' | 'clarify'; afterQuestionId: string }
  | { type: 'suggestions_added'; suggestionIds: string[] }
  | { type: 'questions_added'; questionIds: string[] }
  | { type: 'verdict_recorded'; suggestionId: string }
  | { type: 'redteam_added' }
  | { type: 'decided' }
  /** An input that no longer fits (a stale button, an unknown suggestion): nothing changed. */
  | { type: 'stale'; message: string };

export interface Step {
  state: ReviewState;
  effects: Effect[];
  /** False when the input changed nothing (the caller need not store anything). */
  changed: boolean;
}

/** How impact points raised the overall level above the areas' level. */
export interface LevelRaise {
  /** The level the areas alone give. */
  from: OverallLevel;
  /** Levels actually added (1 or 2; never above IV). */
  by: number;
  points: number;
  raiseOneAt: number;
  raiseTwoAt: number;
  /** The answered options that carry impact, in a few words (see impactAnswerText). */
  answers: { questionId: string; answer: string; points: number }[];
  /** Open questions that carry impact, counted at half their highest. */
  open: { count: number; points: number };
}

export interface AreaScore {
  area: AreaId;
  level: AreaLevel;
  /** Open questions (skipped, not sure, never reached) that bear on the area: answering them would assess it. */
  open?: number;
  /**
   * Set on an area no question of this review could bear on, which the
   * coverage line does not count: `flow` when no question of the flow can,
   * `asked` when only questions not asked here could (a branch not taken, an
   * optional question left out). Its level is `not_assessed`, but nothing
   * was left unanswered about it. Absent on an area the review covers.
   */
  notCovered?: 'flow' | 'asked';
  /** Raw sum and what the questions asked could reach; level comes from their ratio. */
  total: number;
  reachable: number;
  drivers: { questionId: string; answer: string; reason?: string; weight: number }[];
  safeguardsPresent: string[];
  safeguardsMissing: string[];
  /** Gates that set a floor, with their reasons. */
  gates: { id: string; floor: Level; reason: string }[];
  recommendations: string[];
}

export interface Score {
  areas: AreaScore[];
  /** Why the overall level is above what the areas alone give: the impact points of the answers (see levelRaiseText in scoring.ts). */
  levelRaise?: LevelRaise;
  overall: OverallLevel;
  overallLabel?: string;
  nextSteps: string[];
  impactPoints: number;
  openQuestions: { questionId: string; prompt: string; reason: 'skipped' | 'not_sure' | 'unanswered' }[];
  /**
   * How much of the review the overall level rests on: the areas the
   * applicable questions reach (`assessable`) and how many of them have a
   * level (`assessed`). Below half, `verdict` is `not_enough_answered` and
   * overallLabel and nextSteps say so instead of giving the level's advice;
   * short of all, the level is `provisional`. Optional only so that scores
   * built before it existed still type-check.
   */
  coverage?: { assessed: number; assessable: number; verdict: 'complete' | 'provisional' | 'not_enough_answered' };
  /** Why impactPoints counts open questions, when it does: to show after the impact points. */
  impactNote?: string;
}

export interface Summary {
  reviewId: string;
  systemName: string;
  flowId: string;
  flowVersion: number;
  flowTitle: string;
  status: ReviewStatus;
  startedBy: string;
  startedAt: string;
  finishedAt?: string;
  participants: string[];
  humanGoal?: string;
  objective?: string;
  systemDescription?: string;
  proxyMetrics: string[];
  score: Score;
  /** Every applicable question with its answer as people read it. */
  answers: { questionId: string; section?: string; prompt: string; answer: string; by?: string; at?: string; suggested?: boolean }[];
  relevantSuggestions: Suggestion[];
  redTeam: RedTeamScenario[];
  /** A lead's sign-off, once given. */
  decision?: Decision;
}
