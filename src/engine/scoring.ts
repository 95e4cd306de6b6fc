/**
 * Scoring a review against the seven risk areas. Only the questions that
 * apply count: a branch not taken neither raises an area nor dilutes it. For
 * each area, every question whose options can move it adds what it could
 * reach (its riskiest option) and what the chosen answer contributed; the
 * ratio gives the level. Open answers ("not sure", a required question
 * skipped or never reached) count as half their reach: never as safe; the
 * same holds for their impact points. When fewer than half of the areas the
 * review reaches could be assessed, the overall level is not given as a
 * verdict (see coverageOf).
 */
import { AREA_IDS, AREAS, OVERALL_LEVELS, type AreaId, type AreaLevel, type OverallLevel } from './areas.js';
import { describeAnswer } from './answer-text.js';
import { conditionHolds } from './conditions.js';
import { applicableAnswerLookup, applicableQuestions } from './questions.js';
import { NOT_SURE, type AreaScore, type Flow, type Option, type Question, type ReviewState, type Score } from './types.js';

/** How an applicable question's answer counts. */
type Standing =
  | { kind: 'answered'; chosen: Option[] }
  | { kind: 'open'; reason: 'skipped' | 'not_sure' | 'unanswered' }
  /** An optional question left out: it counts as not asked. */
  | { kind: 'ignored' };

const LEVEL_ORDER: readonly AreaLevel[] = ['not_assessed', 'low', 'medium', 'high'];

function standingOf(question: Question, state: ReviewState): Standing {
  const value = state.answers[question.id]?.value;
  if (value === undefined || value.kind === 'skipped') {
    if (question.optional) return { kind: 'ignored' };
    return { kind: 'open', reason: value === undefined ? 'unanswered' : 'skipped' };
  }
  if (value.kind === 'text') return question.kind === 'text' ? { kind: 'answered', chosen: [] } : { kind: 'ignored' };
  if (question.kind === 'yesno' && value.optionIds.includes(NOT_SURE)) return { kind: 'open', reason: 'not_sure' };
  const chosen = question.options.filter((option) => value.optionIds.includes(option.id));
  // Only ids the flow no longer has: nothing left to score, so it is still to be answered.
  return chosen.length > 0 ? { kind: 'answered', chosen } : { kind: 'open', reason: 'unanswered' };
}

function weightFor(option: Option, area: AreaId, sign: 'all' | 'positive' = 'all'): number {
  return option.signals.reduce((sum, signal) => (signal.area === area && (sign === 'all' || signal.weight > 0) ? sum + signal.weight : sum), 0);
}

function touches(question: Question, area: AreaId): boolean {
  return question.options.some((option) => option.signals.some((signal) => signal.area === area));
}

/** The most a question can raise an area: its riskiest option (for multi too, since one risky choice already reaches it). */
function reachOf(question: Question, area: AreaId): number {
  return Math.max(0, ...question.options.map((option) => weightFor(option, area, 'positive')));
}

function contributionOf(question: Question, area: AreaId, chosen: Option[], reach: number): number {
  const sum = chosen.reduce((total, option) => total + weightFor(option, area), 0);
  return question.kind === 'multi' ? Math.min(reach, Math.max(-reach - 5, sum)) : sum;
}

function atLeast(level: AreaLevel, floor: AreaLevel): AreaLevel {
  return LEVEL_ORDER.indexOf(floor) > LEVEL_ORDER.indexOf(level) ? floor : level;
}

function scoreArea(
  area: AreaId,
  flow: Flow,
  state: ReviewState,
  standings: ReadonlyMap<Question, Standing>,
  gateHolds: (when: Flow['gates'][number]['when']) => boolean,
): AreaScore {
  let total = 0;
  let reachable = 0;
  let answeredTouching = 0;
  let nonzeroContribution = false;
  const drivers: AreaScore['drivers'] = [];
  const present = new Set<string>();
  const possible = new Set<string>();

  for (const [question, standing] of standings) {
    if (!touches(question, area)) continue;
    for (const option of question.options) {
      for (const signal of option.signals) if (signal.area === area && signal.safeguard) possible.add(signal.safeguard);
    }
    if (standing.kind === 'ignored') continue;
    const reach = reachOf(question, area);
    reachable += reach;
    if (standing.kind === 'open') {
      total += reach / 2;
      if (reach > 0) {
        nonzeroContribution = true;
        drivers.push({
          questionId: question.id,
          answer: describeAnswer(question, state.answers[question.id]),
          reason: 'Open question: counted as half its risk until it is answered',
          weight: reach / 2,
        });
      }
      continue;
    }
    answeredTouching += 1;
    const contribution = contributionOf(question, area, standing.chosen, reach);
    total += contribution;
    if (contribution !== 0) nonzeroContribution = true;
    for (const option of standing.chosen) {
      for (const signal of option.signals) {
        if (signal.area !== area) continue;
        if (signal.safeguard) present.add(signal.safeguard);
        if (signal.weight > 0) {
          const answer = question.kind === 'multi' ? option.label : describeAnswer(question, state.answers[question.id]);
          drivers.push({ questionId: question.id, answer, ...(signal.reason ? { reason: signal.reason } : {}), weight: signal.weight });
        }
      }
    }
  }

  // What the answers alone say, before suggestions: the area's advice is chosen from it (below).
  const answered = { total, reachable, nonzeroContribution };
  const relevant = state.suggestions.filter((suggestion) => suggestion.area === area && suggestion.verdict?.relevant === true);
  for (const suggestion of relevant) {
    total += 1;
    reachable += 1;
    nonzeroContribution = true;
    drivers.push({ questionId: suggestion.afterQuestionId, answer: suggestion.title, reason: `The team marked this as relevant: ${suggestion.why}`, weight: 1 });
  }

  let level = levelOf(flow, total, reachable, nonzeroContribution, answeredTouching > 0 || relevant.length > 0);
  let adviceLevel = levelOf(flow, answered.total, answered.reachable, answered.nonzeroContribution, answeredTouching > 0);

  const gates: AreaScore['gates'] = [];
  for (const gate of flow.gates) {
    if (gate.area !== area || !gateHolds(gate.when)) continue;
    gates.push({ id: gate.id, floor: gate.floor, reason: gate.reason });
    level = atLeast(level, gate.floor);
    adviceLevel = atLeast(adviceLevel, gate.floor);
  }
  // The advice follows from the answers. Relevant suggestions still raise the
  // area's level, but each brings its own safeguard (listed with it); taking
  // the advice of the level they raised it to would ask for what the answers
  // already have ("written down, and a second signal watches for it" was told
  // to write it down and add a second signal). Only when suggestions are the
  // area's sole evidence does the area's level choose the advice.
  if (adviceLevel === 'not_assessed') adviceLevel = level;

  const safeguards = AREAS[area].safeguards;
  return {
    area,
    level,
    total,
    reachable,
    drivers: drivers.sort((a, b) => b.weight - a.weight),
    safeguardsPresent: safeguards.filter((id) => present.has(id)),
    safeguardsMissing: safeguards.filter((id) => possible.has(id) && !present.has(id)),
    gates,
    recommendations: adviceLevel === 'not_assessed' ? [] : [...(flow.recommendations[area]?.[adviceLevel] ?? [])],
  };
}

/** An area's level from its total and reach; `assessed`: some answer (or relevant suggestion) touching it stands. */
function levelOf(flow: Flow, total: number, reachable: number, nonzeroContribution: boolean, assessed: boolean): AreaLevel {
  if ((reachable === 0 && !nonzeroContribution) || !assessed) return 'not_assessed';
  if (reachable <= 0) return 'low';
  const ratio = Math.max(0, total) / reachable;
  return ratio >= flow.scoring.high_at ? 'high' : ratio >= flow.scoring.medium_at ? 'medium' : 'low';
}

function overallOf(areas: readonly AreaScore[], impactPoints: number, flow: Flow): OverallLevel {
  const highs = areas.filter((area) => area.level === 'high').length;
  let index = highs >= 3 ? 3 : highs > 0 ? 2 : areas.some((area) => area.level === 'medium') ? 1 : 0;
  if (impactPoints >= flow.impact.raise_two_at) index += 2;
  else if (impactPoints >= flow.impact.raise_one_at) index += 1;
  return OVERALL_LEVELS[Math.min(index, OVERALL_LEVELS.length - 1)]!;
}

/**
 * How many of the areas the review reaches have a level. An area is reachable
 * when an applicable question could raise it (open ones included), a relevant
 * suggestion touches it or a gate set its floor; it is assessed when it has a
 * level. The overall level is set by the worst areas (any high one makes
 * III), so each area not assessed could be the one that decides it: with
 * fewer than half assessed, the missing areas outnumber the ones the level
 * rests on, and a level (even "I — go ahead") would say more about what was
 * left unanswered than about the system. From half up to all, the level is
 * shown but marked provisional.
 */
function coverageOf(areas: readonly AreaScore[]): NonNullable<Score['coverage']> {
  const assessable = areas.filter((area) => area.reachable > 0 || area.level !== 'not_assessed').length;
  const assessed = areas.filter((area) => area.level !== 'not_assessed').length;
  const verdict = assessed * 2 < assessable ? 'not_enough_answered' : assessed < assessable ? 'provisional' : 'complete';
  return { assessed, assessable, verdict };
}

/** The overall line's label and next steps: the flow's advice for the level, unless too little was answered to give it. */
function overallAdvice(flow: Flow, overall: OverallLevel, coverage: NonNullable<Score['coverage']>, open: number): Pick<Score, 'overallLabel' | 'nextSteps'> {
  const advice = flow.overall[overall];
  const counted = `${coverage.assessed} of ${coverage.assessable} areas assessed`;
  const questions = open === 1 ? 'the open question' : `the ${open} open questions`;
  switch (coverage.verdict) {
    case 'complete':
      return { ...(advice ? { overallLabel: advice.label } : {}), nextSteps: [...(advice?.next_steps ?? [])] };
    case 'provisional':
      return {
        overallLabel: advice ? `${advice.label} (provisional: ${counted})` : `Provisional: ${counted}`,
        nextSteps: [`Answer ${questions} to confirm this level.`, ...(advice?.next_steps ?? [])],
      };
    case 'not_enough_answered':
      // The level's advice ("deploy with monitoring", "go ahead") would read as a verdict the answers cannot support.
      return {
        overallLabel: `Not enough answered to assess (${counted})`,
        nextSteps: [`Answer ${questions} before relying on an overall level.`],
      };
  }
}

/** The most impact a question can carry: its most severe option. */
function impactReachOf(question: Question): number {
  return Math.max(0, ...question.options.map((option) => option.impact));
}

export function scoreReview(flow: Flow, state: ReviewState): Score {
  const applicable = applicableQuestions(flow, state);
  const standings = new Map<Question, Standing>(applicable.map((question) => [question, standingOf(question, state)]));
  const answerOf = applicableAnswerLookup(applicable, state);
  const gateHolds = (when: Flow['gates'][number]['when']) => conditionHolds(when, answerOf);

  const areas = AREA_IDS.map((area) => scoreArea(area, flow, state, standings, gateHolds));
  let impactPoints = 0;
  let openImpact = 0;
  let openWithImpact = 0;
  const openQuestions: Score['openQuestions'] = [];
  for (const [question, standing] of standings) {
    if (standing.kind === 'answered') impactPoints += standing.chosen.reduce((sum, option) => sum + option.impact, 0);
    if (standing.kind === 'open') {
      openQuestions.push({ questionId: question.id, prompt: question.prompt, reason: standing.reason });
      // As in the areas: an open severity or irreversibility question counts half its highest impact, never as none.
      const reach = impactReachOf(question);
      openImpact += reach / 2;
      if (reach > 0) openWithImpact += 1;
    }
  }
  impactPoints += openImpact;
  const overall = overallOf(areas, impactPoints, flow);
  const coverage = coverageOf(areas);
  return {
    areas,
    overall,
    ...overallAdvice(flow, overall, coverage, openQuestions.length),
    impactPoints,
    openQuestions,
    coverage,
    ...(openImpact > 0
      ? {
          impactNote: `${openImpact} of them for ${openWithImpact === 1 ? 'an open question' : `${openWithImpact} open questions`}, counted at half ${openWithImpact === 1 ? 'its' : 'their'} highest impact until answered (never as none)`,
        }
      : {}),
  };
}

/**
 * The overall line's words: "Level II — Moderate impact", or only the label
 * when too little was answered to give a level (coverage `not_enough_answered`):
 * a level there would read as a verdict the answers do not support.
 */
export function overallHeadline(score: Pick<Score, 'overall' | 'overallLabel' | 'coverage'>): string {
  if (score.coverage?.verdict === 'not_enough_answered' && score.overallLabel) return score.overallLabel;
  return `Level ${score.overall}${score.overallLabel ? ` — ${score.overallLabel}` : ''}`;
}

/** The overall level in two words, where there is no room for its label: "Level II", or "Not enough answered" (see overallHeadline). */
export function overallShort(score: Pick<Score, 'overall' | 'coverage'>): string {
  return score.coverage?.verdict === 'not_enough_answered' ? 'Not enough answered' : `Level ${score.overall}`;
}
