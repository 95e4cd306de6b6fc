/**
 * Advice that follows from the answers. A flow's recommendations are lines of
 * text per area and level, drawn from the article's safeguards, with nothing
 * in the flow file saying which safeguard a line asks for; this module reads
 * that from the words ("log every action" asks for audit logs, "make it
 * reversible" for rollback). A line at medium or high asks to add what is
 * missing, so it is left out when the answers already cover every safeguard
 * it names, and says which of them are already in place when it is kept for
 * the others. So it asks for what the area's "missing" list names, or what
 * no question asked about, and for a safeguard an answer showed only when a
 * question about that safeguard alone says it is lacking (see hardGap).
 * Low-level advice is to keep what is there, so a low line that names a
 * safeguard is kept only when an answer shows it ("Keep its caps in place"
 * told an agent no one asked about caps to keep them); a line that names none
 * ("Re-run this review when it gains a tool") stays as it is.
 *
 * The words are matched cautiously: a line that names no safeguard this
 * module knows, or names one no answer covers, is always kept. A missed word
 * keeps advice the team may not need; a wrong one would drop advice it does.
 */
import { AREAS, SAFEGUARD_LABELS, type AreaId, type AreaLevel } from './areas.js';

/** How recommendations name each safeguard, for every area's safeguard ids (some ids, e.g. `constraints`, are shared by two areas). */
const SAFEGUARD_WORDS: Readonly<Record<string, RegExp>> = {
  context: /\b(?:with|give it) context\b|\bwhat the ambiguous terms\b/i,
  examples: /\bexamples\b/i,
  constraints: /(?<!(?:risk|policy) )\bconstraints\b|\brefuses? unsafe\b|\bshortcuts it must never\b/i,
  clarification: /\bclarif|\bstop and ask\b|\bask a person before\b/i,
  human_review: /\bperson in front of\b|\breview, override\b|\bperson reviewing every\b|\breview more of its output\b/i,
  objective_review: /\bobjective review\b|\bhow (?:the metric|its success measure) could be (?:won|met|gamed)\b/i,
  guardrails: /\bguardrails?\b|\bsecond (?:metric|signal)\b/i,
  outcome_monitoring: /\boutcome monitoring\b|\breal outcomes?\b|\bmonitor outcomes\b|\bwatches for the ways\b/i,
  risk_constraints: /\brisk constraints\b|\bprohibited shortcuts\b|\bshortcuts it must never\b|\bforbidden data\b|\bdata it must not use\b|\bconflicts with policy\b/i,
  oversight: /\boversight\b|\breview a larger share of its outcomes\b/i,
  escalation: /\bescalation\b|\banswerable\b|\bwho answers for\b/i,
  stakeholder_review: /\bstakeholder review\b|\bpeople it affects\b|\bpeople who speak for them\b/i,
  plural_values: /\bplural values\b|\bseveral values\b|\bwhich value wins\b/i,
  policy_constraints: /\bpolicy constraints\b|\bexplicit policy\b|\bwhich value wins\b/i,
  robust_testing: /\binputs unlike\b|\bdistribution shift\b|\bunusual inputs\b|\brobustness\b|\bsample live outputs\b|\bhidden test cases\b/i,
  interpretability: /\binterpretability\b|\buncertainty and reasons\b/i,
  adversarial_evaluation: /\badversarial evaluation\b|\bred[- ]team/i,
  caps: /\bcaps?\b|\bstopping rule\b/i,
  monitoring: /\bmonitor live outputs\b|\bmonitor for (?:them|gamed)\b|\buntil monitoring shows\b/i,
  diverse_metrics: /\bdiverse metrics\b|\bsecond (?:metric|signal)\b/i,
  permission_controls: /\bpermissions?\b|\bleast[- ]privilege\b/i,
  sandboxing: /\bsandbox/i,
  audit_logs: /\blog(?:s|ged|ging)?\b|\baudit\b/i,
  human_approval: /\bapprov(?:al|als|e|es|ed)\b/i,
  rollback: /\brevers(?:e|ible)\b|\broll ?back\b|\bundo(?:ne)?\b/i,
  action_limits: /\baction limits\b|\bhard limits\b|\b(?:rate|amount) (?:and amount )?limits\b|\blimits on (?:spend|its actions)\b|\bstep limit\b/i,
};

/** What the answers say of one area's safeguards. */
export interface SafeguardEvidence {
  /** Offered by an applicable question, answered or open, that touches the area (an optional one left out is not asked). */
  offered: ReadonlySet<string>;
  /** Shown by an answer. */
  present: ReadonlySet<string>;
  /**
   * Left open by some question: an open question that offers it, or an
   * answer that neither shows it nor makes it unnecessary (see scoring.ts).
   */
  gap: ReadonlySet<string>;
  /**
   * Left open by a question that offers it as no alternative to another
   * safeguard: "No" to "Are there hard limits per run or per day?" leaves
   * action limits open whatever another answer shows. A question whose safe answers show different
   * safeguards ("stops and hands the case to a person" or "follows written
   * rules that put safety first") asks for either, so an answer elsewhere
   * that shows one of them answers it for that one.
   */
  hardGap: ReadonlySet<string>;
}

/** The safeguards a recommendation names, by the words it uses. */
export function safeguardsNamed(text: string): string[] {
  return Object.keys(SAFEGUARD_WORDS).filter((id) => SAFEGUARD_WORDS[id]!.test(text));
}

/** The areas to judge a named safeguard in: the advice's own area when it has it, else every area that lists it. */
function areasFor(safeguard: string, area: AreaId): AreaId[] {
  if (AREAS[area].safeguards.includes(safeguard)) return [area];
  return (Object.keys(AREAS) as AreaId[]).filter((id) => AREAS[id].safeguards.includes(safeguard));
}

/**
 * The flow's advice for an area at a level, less what the answers already
 * cover. A safeguard is covered when an answer shows it and no question about
 * it alone leaves it open, or when every question that offers it was answered
 * with an alternative that makes it unnecessary. A line whose named
 * safeguards are all covered is left out; a line kept for one still missing
 * says which of the area's others are already in place.
 */
export function adviceFor(lines: readonly string[], area: AreaId, level: AreaLevel, evidence: Readonly<Record<AreaId, SafeguardEvidence>>): string[] {
  const present = (safeguard: string) => areasFor(safeguard, area).some((id) => evidence[id].present.has(safeguard));
  // One thing may be named by words of two safeguards ("the second metric": guardrails, diverse metrics): any one shown backs it.
  if (level === 'low') return lines.filter((line) => safeguardsNamed(line).length === 0 || safeguardsNamed(line).some(present));
  if (level !== 'medium' && level !== 'high') return [...lines];
  const coveredIn = (id: AreaId, safeguard: string) => {
    const known = evidence[id];
    return known.present.has(safeguard) ? !known.hardGap.has(safeguard) : !known.gap.has(safeguard);
  };
  const covered = (safeguard: string) => {
    const areas = areasFor(safeguard, area).filter((id) => evidence[id].offered.has(safeguard));
    return areas.length > 0 && areas.every((id) => coveredIn(id, safeguard));
  };
  return lines.flatMap((line) => {
    const named = safeguardsNamed(line);
    if (named.length === 0) return [line];
    if (named.every(covered)) return [];
    // Only the area's own safeguards: "Risk constraints" in place would read oddly under over-optimization's advice.
    const inPlace = named.filter((safeguard) => AREAS[area].safeguards.includes(safeguard) && present(safeguard) && covered(safeguard));
    return [inPlace.length > 0 ? `${line} (Already in place: ${inPlace.map((id) => SAFEGUARD_LABELS[id] ?? id).join(', ')}.)` : line];
  });
}
