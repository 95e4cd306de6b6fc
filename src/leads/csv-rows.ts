/** One CSV row per review, for leads' spreadsheets: what was reviewed, by whom, how it scored and what was decided. */
import { AREA_IDS } from '../engine/areas.js';
import { assessedOverall, buildSummary } from '../engine/index.js';
import type { Flow, ReviewState } from '../engine/types.js';
import type { ReviewPlacement } from '../store/types.js';
import { readable } from './readable.js';

export const CSV_HEADER: readonly string[] = [
  'review_id',
  'system',
  'channel',
  'flow',
  'flow_version',
  'status',
  'started_at',
  'started_by',
  'finished_at',
  'participants',
  'overall_level',
  ...AREA_IDS.map((area) => `level_${area}`),
  'decision',
  'decided_by',
  'decided_at',
  'conditions',
];

/** A review whose flow is no longer loaded still gets its row; only its levels are left empty. */
export function reviewCsvRow(flow: Flow | undefined, state: ReviewState, placement: ReviewPlacement): string[] {
  const summary = flow ? buildSummary(flow, state) : undefined;
  const participants = summary?.participants ?? [...new Set(Object.values(state.answers).map((answer) => answer.by))];
  // Levels of a review still in progress would read as a verdict; only a completed review has them.
  const scored = state.status === 'completed' ? summary : undefined;
  const levels = new Map(scored?.score.areas.map((area) => [area.area, area.level]) ?? []);
  const decision = state.decision;
  return [
    state.id,
    readable(state.systemName),
    placement.channelId,
    state.flowId,
    String(state.flowVersion),
    state.status,
    state.startedAt,
    state.startedBy,
    state.finishedAt ?? '',
    participants.join(' '),
    scored ? (assessedOverall(scored.score) ?? '') : '',
    ...AREA_IDS.map((area) => levels.get(area) ?? ''),
    decision?.outcome ?? '',
    decision?.by ?? '',
    decision?.at ?? '',
    decision?.conditions ? readable(decision.conditions) : '',
  ];
}
