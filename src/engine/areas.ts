/**
 * The seven alignment risk areas of the source article's risk table
 * (shared/seed: "AI Alignment Risk Table"), each with its main risk and the
 * safeguards the article names for it. Flows refer to areas and safeguards by
 * these ids; the labels are what people read.
 */
export const AREA_IDS = [
  'instruction_mismatch',
  'reward_misspecification',
  'goal_misalignment',
  'value_complexity',
  'inner_alignment',
  'over_optimization',
  'autonomy_risk',
] as const;

export type AreaId = (typeof AREA_IDS)[number];

export interface AreaInfo {
  id: AreaId;
  label: string;
  meaning: string;
  mainRisk: string;
  /** Safeguard ids the article lists for this area, in its order. */
  safeguards: readonly string[];
}

export const AREAS: Readonly<Record<AreaId, AreaInfo>> = {
  instruction_mismatch: {
    id: 'instruction_mismatch',
    label: 'Instruction mismatch',
    meaning: 'The AI follows the words but misses the intent',
    mainRisk: 'Literal compliance that produces bad outcomes',
    safeguards: ['context', 'examples', 'constraints', 'clarification', 'human_review'],
  },
  reward_misspecification: {
    id: 'reward_misspecification',
    label: 'Reward misspecification',
    meaning: 'The system optimizes the wrong metric or proxy',
    mainRisk: 'AI "wins" the metric while harming the mission',
    safeguards: ['objective_review', 'guardrails', 'outcome_monitoring'],
  },
  goal_misalignment: {
    id: 'goal_misalignment',
    label: 'Goal misalignment',
    meaning: 'The system pursues a goal that diverges from human priorities',
    mainRisk: 'Efficient behavior that conflicts with safety, fairness, or intent',
    safeguards: ['risk_constraints', 'oversight', 'escalation', 'testing'],
  },
  value_complexity: {
    id: 'value_complexity',
    label: 'Value complexity',
    meaning: 'Human values are hard to define, rank, encode, and generalize',
    mainRisk: 'AI misses tradeoffs, norms, context, or ethical boundaries',
    safeguards: ['stakeholder_review', 'plural_values', 'policy_constraints'],
  },
  inner_alignment: {
    id: 'inner_alignment',
    label: 'Inner alignment',
    meaning: 'The model learns an internal strategy different from the intended training objective',
    mainRisk: 'Good behavior in training but unreliable behavior in new settings',
    safeguards: ['robust_testing', 'interpretability', 'adversarial_evaluation'],
  },
  over_optimization: {
    id: 'over_optimization',
    label: 'Over-optimization',
    meaning: 'The AI pushes a target too hard and exploits loopholes',
    mainRisk: 'Gaming metrics, manipulation, unsafe shortcuts, brittle behavior',
    safeguards: ['caps', 'constraints', 'monitoring', 'diverse_metrics'],
  },
  autonomy_risk: {
    id: 'autonomy_risk',
    label: 'Autonomy risk',
    meaning: 'The AI can act across tools, systems, or environments',
    mainRisk: 'Small misalignment becomes real-world action',
    safeguards: ['permission_controls', 'sandboxing', 'audit_logs', 'human_approval', 'rollback', 'action_limits'],
  },
};

/** Human-readable names for safeguard ids, shared by every area that lists them. */
export const SAFEGUARD_LABELS: Readonly<Record<string, string>> = {
  context: 'Context',
  examples: 'Examples',
  constraints: 'Constraints',
  clarification: 'Clarifying questions',
  human_review: 'Human review',
  objective_review: 'Objective review',
  guardrails: 'Guardrails',
  outcome_monitoring: 'Outcome monitoring',
  risk_constraints: 'Risk constraints',
  oversight: 'Oversight',
  escalation: 'Escalation path',
  testing: 'Testing',
  stakeholder_review: 'Stakeholder review',
  plural_values: 'Plural values',
  policy_constraints: 'Policy constraints',
  robust_testing: 'Robust testing',
  interpretability: 'Interpretability',
  adversarial_evaluation: 'Adversarial evaluation',
  caps: 'Caps',
  monitoring: 'Monitoring',
  diverse_metrics: 'Diverse metrics',
  permission_controls: 'Permission controls',
  sandboxing: 'Sandboxing',
  audit_logs: 'Audit logs',
  human_approval: 'Human approval',
  rollback: 'Rollback',
  action_limits: 'Action limits',
};

export const LEVELS = ['low', 'medium', 'high'] as const;
export type Level = (typeof LEVELS)[number];
export type AreaLevel = Level | 'not_assessed';

/**
 * How an area no question of the review could bear on reads, apart from one
 * the review covers but left unanswered ("not assessed"): a lead must not go
 * looking for answers the flow never asked for.
 */
export const NOT_COVERED_TEXT: Readonly<Record<'flow' | 'asked', string>> = {
  flow: 'not covered by this flow',
  asked: 'not covered by the questions asked',
};

/** Overall impact levels, after the Canadian Algorithmic Impact Assessment's I–IV. */
export const OVERALL_LEVELS = ['I', 'II', 'III', 'IV'] as const;
export type OverallLevel = (typeof OVERALL_LEVELS)[number];

export function isAreaId(value: string): value is AreaId {
  return (AREA_IDS as readonly string[]).includes(value);
}
