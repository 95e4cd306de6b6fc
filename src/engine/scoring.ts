/**
 * Scoring a review against the seven risk areas. Only the questions that
 * apply count: a branch not taken neither raises an area nor dilutes it. For
 * each area, every question whose options can move it adds what it could
 * reach (its riskiest option) and what the chosen answer contributed; the
 * ratio gives the level. Open answers ("not sure", a required question
 * skipped or never reached) count as half their reach: never as safe; the
 * same holds for their impact points. But they never give an area a level on
 * their own: an area no answer bears on is not assessed, lists no missing
 * safeguards and gets no advice. When fewer than half of the areas the
 * review reaches could be assessed, the overall level is not given as a
 * verdict (see coverageOf). Advice leaves out what the answers already show
 * (advice.ts), and a level raised by impact points says why (levelRaiseText).
 */
import { adviceFor, type SafeguardEvidence } from './advice.js';
import { AREA_IDS, AREAS, OVERALL_LEVELS, type AreaId, type AreaLevel, type OverallLevel } from './areas.js';
import { describeAnswer } from './answer-text.js';
import { conditionHolds } from './conditions.js';
import { applicableAnswerLookup, applicableQuestions } from './questions.js';
import { relevantSuggestions } from './review-additions.js';
import { NOT_SURE, type AreaScore, type Flow, type LevelRaise, type Option, type Question, type ReviewState, type Score } from './types.js';

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

/** Whether an option raises any area: an answer that does shows a gap, whatever area it is in. */
function raisesAny(option: Option): boolean {
  return option.signals.some((signal) => signal.weight > 0);
}

/** Whether an answered question bears on an area: it could raise it, or the answer moved it. */
function bearsOn(question: Question, area: AreaId, contribution: number): boolean {
  return reachOf(question, area) > 0 || contribution !== 0;
}

/** Whether a question, once answered, could bear on an area (see bearsOn). */
function couldBearOn(question: Question, area: AreaId): boolean {
  return question.options.some((option) => option.signals.some((signal) => signal.area === area && signal.weight !== 0));
}

/**
 * The safeguards of an area a question offers, each with the highest weight
 * in that area of an option that shows it: an answer no riskier than that,
 * which raises nothing, leaves it unnecessary rather than missing.
 */
function safeguardsOffered(question: Question, area: AreaId): Map<string, number> {
  const offered = new Map<string, number>();
  for (const option of question.options) {
    for (const signal of option.signals) {
      if (signal.area !== area || !signal.safeguard) continue;
      offered.set(signal.safeguard, Math.max(offered.get(signal.safeguard) ?? -Infinity, weightFor(option, area)));
    }
  }
  return offered;
}

/**
 * What one question says of the safeguards it offers in an area. An open
 * question leaves them all open (never as safe). An answer shows those of its
 * options. Of the others, the pick of a choice or scale question that raises
 * no area and is no riskier in this one than the option showing a safeguard
 * is an alternative to it ("It never gets free-form requests" needs no
 * clarifying questions; "one step per run" needs no step limit): that
 * safeguard is not missing. Any other answer leaves them open: it raises some
 * risk, or it is the weaker choice ("least privilege, no sandbox stage"), or
 * it is a yes/no "No" (the safeguard's absence), or, for multi, the options
 * add up rather than stand in for each other.
 */
function recordSafeguards(question: Question, area: AreaId, standing: Standing, into: Record<keyof SafeguardEvidence, Set<string>>): void {
  // An optional question left out counts as not asked: it neither shows nor leaves open anything.
  if (standing.kind === 'ignored') return;
  const offered = safeguardsOffered(question, area);
  for (const safeguard of offered.keys()) into.offered.add(safeguard);
  // Shown by some option without this one: the question offers it as an alternative (see SafeguardEvidence.hardGap).
  const alternative = (safeguard: string) =>
    question.options.some((option) => {
      const shows = option.signals.filter((signal) => signal.area === area && signal.safeguard).map((signal) => signal.safeguard);
      return shows.length > 0 && !shows.includes(safeguard);
    });
  const leaveOpen = (safeguard: string) => {
    into.gap.add(safeguard);
    if (!alternative(safeguard)) into.hardGap.add(safeguard);
  };
  if (standing.kind === 'open') {
    for (const safeguard of offered.keys()) leaveOpen(safeguard);
    return;
  }
  const shown = new Set(standing.chosen.flatMap((option) => option.signals.filter((signal) => signal.area === area && signal.safeguard).map((signal) => signal.safeguard!)));
  // Only a pick among alternatives can stand in for another option's safeguard: a yes/no "No" is that safeguard's absence.
  const chosen = standing.chosen.length === 1 && (question.kind === 'choice' || question.kind === 'scale') ? standing.chosen[0] : undefined;
  for (const [safeguard, weight] of offered) {
    if (shown.has(safeguard)) into.present.add(safeguard);
    else if (!(chosen && !raisesAny(chosen) && weightFor(chosen, area) <= weight)) leaveOpen(safeguard);
  }
}

interface AreaDraft {
  score: AreaScore;
  evidence: SafeguardEvidence;
  /** The level the advice is chosen at (see below). */
  adviceLevel: AreaLevel;
}

function scoreArea(
  area: AreaId,
  flow: Flow,
  state: ReviewState,
  standings: ReadonlyMap<Question, Standing>,
  gateHolds: (when: Flow['gates'][number]['when']) => boolean,
): AreaDraft {
  let total = 0;
  let reachable = 0;
  let answeredBearing = 0;
  let open = 0;
  let nonzeroContribution = false;
  const drivers: AreaScore['drivers'] = [];
  const evidence = { offered: new Set<string>(), present: new Set<string>(), gap: new Set<string>(), hardGap: new Set<string>() };

  for (const [question, standing] of standings) {
    if (!touches(question, area)) continue;
    recordSafeguards(question, area, standing, evidence);
    if (standing.kind === 'ignored') continue;
    const reach = reachOf(question, area);
    reachable += reach;
    if (standing.kind === 'open') {
      total += reach / 2;
      if (reach > 0 || couldBearOn(question, area)) open += 1;
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
    const contribution = contributionOf(question, area, standing.chosen, reach);
    // An answer bears on the area when its question could raise it or the answer moved it. One that
    // only touches it (a safe option that shows a safeguard, on a question that cannot raise it) does
    // not: the area's level would then be its open questions' alone.
    if (bearsOn(question, area, contribution)) answeredBearing += 1;
    total += contribution;
    if (contribution !== 0) nonzeroContribution = true;
    for (const option of standing.chosen) {
      for (const signal of option.signals) {
        if (signal.area !== area) continue;
        if (signal.weight > 0) {
          const answer = question.kind === 'multi' ? option.label : describeAnswer(question, state.answers[question.id]);
          drivers.push({ questionId: question.id, answer, ...(signal.reason ? { reason: signal.reason } : {}), weight: signal.weight });
        }
      }
    }
  }

  // What the answers alone say, before suggestions: the area's advice is chosen from it (below).
  const answered = { total, reachable, nonzeroContribution };
  // As on the summary: only the card made for the metric as it stands counts, each failure once (countedSuggestions).
  const relevant = relevantSuggestions(state).filter((suggestion) => suggestion.area === area);
  for (const suggestion of relevant) {
    total += 1;
    reachable += 1;
    nonzeroContribution = true;
    drivers.push({ questionId: suggestion.afterQuestionId, answer: suggestion.title, reason: `The team marked this as relevant: ${suggestion.why}`, weight: 1 });
  }

  // Open questions count in an assessed area (half their reach, never as safe), but never assess one alone.
  let level = levelOf(flow, total, reachable, nonzeroContribution, answeredBearing > 0 || relevant.length > 0);
  let adviceLevel = levelOf(flow, answered.total, answered.reachable, answered.nonzeroContribution, answeredBearing > 0);

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
  // Nothing asked here could assess it: "not assessed" would send a lead looking for answers no one was asked for.
  const covered = reachable > 0 || open > 0 || level !== 'not_assessed';
  const notCovered = covered ? undefined : flow.questions.some((question) => couldBearOn(question, area)) ? 'asked' : 'flow';
  const score: AreaScore = {
    area,
    level,
    total,
    reachable,
    drivers: drivers.sort((a, b) => b.weight - a.weight),
    safeguardsPresent: safeguards.filter((id) => evidence.present.has(id)),
    // An area not assessed lists nothing as missing: no answer said anything about it (see `open`).
    safeguardsMissing: level === 'not_assessed' ? [] : safeguards.filter((id) => evidence.gap.has(id) && !evidence.present.has(id)),
    gates,
    recommendations: [],
    open,
    ...(notCovered ? { notCovered } : {}),
  };
  return { score, evidence, adviceLevel };
}

/** An area's level from its total and reach; `assessed`: some answer bearing on it (or a relevant suggestion) stands. */
function levelOf(flow: Flow, total: number, reachable: number, nonzeroContribution: boolean, assessed: boolean): AreaLevel {
  if ((reachable === 0 && !nonzeroContribution) || !assessed) return 'not_assessed';
  if (reachable <= 0) return 'low';
  const ratio = Math.max(0, total) / reachable;
  return ratio >= flow.scoring.high_at ? 'high' : ratio >= flow.scoring.medium_at ? 'medium' : 'low';
}

/** The areas' scores, each with the advice its answers call for (advice.ts: what they already cover is left out). */
function scoreAreas(flow: Flow, state: ReviewState, standings: ReadonlyMap<Question, Standing>, gateHolds: (when: Flow['gates'][number]['when']) => boolean): AreaScore[] {
  const drafts = AREA_IDS.map((area) => scoreArea(area, flow, state, standings, gateHolds));
  const evidence = Object.fromEntries(drafts.map((draft) => [draft.score.area, draft.evidence])) as Record<AreaId, SafeguardEvidence>;
  return drafts.map(({ score, adviceLevel }) => {
    const lines = adviceLevel === 'not_assessed' ? [] : (flow.recommendations[score.area]?.[adviceLevel] ?? []);
    return { ...score, recommendations: adviceFor(lines, score.area, adviceLevel, evidence) };
  });
}

/** The overall level the areas alone give: III if any is high, II if any is medium, IV with three or more high. */
function areasLevelIndex(areas: readonly AreaScore[]): number {
  const highs = areas.filter((area) => area.level === 'high').length;
  return highs >= 3 ? 3 : highs > 0 ? 2 : areas.some((area) => area.level === 'medium') ? 1 : 0;
}

/** The overall level: the areas' level, raised by impact points (never above IV); and the raise, when there is one. */
function overallOf(areas: readonly AreaScore[], impactPoints: number, flow: Flow): { overall: OverallLevel; raisedBy: number; from: OverallLevel } {
  const base = areasLevelIndex(areas);
  const raise = impactPoints >= flow.impact.raise_two_at ? 2 : impactPoints >= flow.impact.raise_one_at ? 1 : 0;
  const index = Math.min(base + raise, OVERALL_LEVELS.length - 1);
  return { overall: OVERALL_LEVELS[index]!, raisedBy: index - base, from: OVERALL_LEVELS[base]! };
}

/**
 * How many of the areas the review reaches have a level. An area is reachable
 * when an applicable question could bear on it (open ones included), a
 * relevant suggestion touches it or a gate set its floor (the areas not marked
 * `notCovered`, so the count and the cards' rows agree); it is assessed when
 * it has a level. The overall level is set by the worst areas (any high one makes
 * III), so each area not assessed could be the one that decides it: with
 * fewer than half assessed, the missing areas outnumber the ones the level
 * rests on, and a level (even "I — go ahead") would say more about what was
 * left unanswered than about the system. From half up to all, the level is
 * shown but marked provisional.
 */
function coverageOf(areas: readonly AreaScore[]): NonNullable<Score['coverage']> {
  const assessable = areas.filter((area) => area.notCovered === undefined).length;
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

/**
 * An answer that carries impact, in a few words: the option's label, clipped
 * ("Harm to someone's health, rights…"); a bare yes/no says nothing without
 * its question ("If a run goes wrong, can you undo…": No).
 */
function impactAnswerText(question: Question, option: Option): string {
  return question.kind === 'yesno' ? `“${clipped(question.prompt, 34)}”: ${option.label}` : `“${clipped(option.label, 34)}”`;
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

  const areas = scoreAreas(flow, state, standings, gateHolds);
  let impactPoints = 0;
  let openImpact = 0;
  let openWithImpact = 0;
  const impactAnswers: LevelRaise['answers'] = [];
  const openQuestions: Score['openQuestions'] = [];
  for (const [question, standing] of standings) {
    if (standing.kind === 'answered') {
      for (const option of standing.chosen) {
        impactPoints += option.impact;
        if (option.impact > 0) impactAnswers.push({ questionId: question.id, answer: impactAnswerText(question, option), points: option.impact });
      }
    }
    if (standing.kind === 'open') {
      openQuestions.push({ questionId: question.id, prompt: question.prompt, reason: standing.reason });
      // As in the areas: an open severity or irreversibility question counts half its highest impact, never as none.
      const reach = impactReachOf(question);
      openImpact += reach / 2;
      if (reach > 0) openWithImpact += 1;
    }
  }
  impactPoints += openImpact;
  const { overall, raisedBy, from } = overallOf(areas, impactPoints, flow);
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
    ...(raisedBy > 0
      ? {
          levelRaise: {
            from,
            by: raisedBy,
            points: impactPoints,
            raiseOneAt: flow.impact.raise_one_at,
            raiseTwoAt: flow.impact.raise_two_at,
            answers: impactAnswers,
            open: { count: openWithImpact, points: openImpact },
          },
        }
      : {}),
  };
}

/** A reply's words cut to about `max` characters at a word, for a line with room for a few of them. */
function clipped(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1).replace(/[\s,;:—–-]*\S*$/, '');
  return `${cut || text.slice(0, max)}…`;
}

/**
 * Why the overall level is above what the areas give, in one line, or
 * undefined when it is not (or no level is given: too little answered):
 * "Raised one level (III → IV): the answers put the harm's severity and
 * irreversibility at 4 impact points (3 raise one level) — “Harm to
 * someone's health…” +2, “Hardly — a missed job…” +2".
 */
export function levelRaiseText(score: Pick<Score, 'overall' | 'coverage' | 'levelRaise'>): string | undefined {
  const raise = score.levelRaise;
  if (!raise || raise.by <= 0 || score.coverage?.verdict === 'not_enough_answered') return undefined;
  const levels = raise.by === 1 ? 'one level' : 'two levels';
  const threshold =
    raise.points < raise.raiseTwoAt
      ? `${raise.raiseOneAt} raise one level`
      : `${raise.raiseTwoAt} raise two levels${raise.by < 2 ? `; ${score.overall} is the highest` : ''}`;
  const sources = [
    ...raise.answers.map((answer) => `${answer.answer} +${answer.points}`),
    ...(raise.open.count > 0 ? [`${raise.open.count === 1 ? 'an open question' : `${raise.open.count} open questions`} +${raise.open.points}`] : []),
  ];
  return `Raised ${levels} (${raise.from} → ${score.overall}): the answers put the harm's severity and irreversibility at ${raise.points} impact points (${threshold})${sources.length > 0 ? ` — ${sources.join(', ')}` : ''}`;
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

/**
 * The overall level a list, a filter or an export may give, or undefined when
 * too little was answered to give one: the cards then say "Not enough
 * answered to assess", and a CSV row or the Home filter "Level III" must not
 * say otherwise.
 */
export function assessedOverall(score: Pick<Score, 'overall' | 'coverage'>): OverallLevel | undefined {
  return score.coverage?.verdict === 'not_enough_answered' ? undefined : score.overall;
}
