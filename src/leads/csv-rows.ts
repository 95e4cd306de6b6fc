/**
 * One CSV row per review, for leads' spreadsheets: what was reviewed, by
 * whom, how it scored and what was decided. People and the channel appear by
 * name, each with a column of their ids beside it, so a sheet reads well and
 * can still be joined on ids.
 */
import { AREA_IDS } from '../engine/areas.js';
import { assessedOverall, buildSummary } from '../engine/index.js';
import type { Flow, ReviewState } from '../engine/types.js';
import type { ReviewPlacement } from '../store/types.js';
import type { ChannelNames } from './channel-names.js';
import { cancellationOf } from './home-data.js';
import type { PeopleNames } from './people.js';
import { readable } from './readable.js';

export const CSV_HEADER: readonly string[] = [
  'review_id',
  'system',
  'channel',
  'channel_id',
  'flow',
  'flow_version',
  'status',
  'started_at',
  'started_by',
  'started_by_id',
  'finished_at',
  'participants',
  'participant_ids',
  'overall_level',
  ...AREA_IDS.map((area) => `level_${area}`),
  'decision',
  'decided_by',
  'decided_by_id',
  'decided_at',
  'conditions',
  'answers_edited_since_decision',
  'cancelled_by',
  'cancelled_by_id',
];

/** overall_level of a finished review with fewer than half its areas assessed (the cards' "Not enough answered to assess"). */
export const NOT_ENOUGH_ANSWERED = 'not_enough_answered';
/** level_<area> of an area no question of the review could bear on (the cards' "not covered by this flow"). */
export const NOT_COVERED = 'not_covered';

/** Names in one cell: "; " between them, since names have spaces. */
const NAME_SEPARATOR = '; ';

/** Everyone a review's row names, to look up before the rows are built. */
export function peopleInReview(state: ReviewState): string[] {
  return [
    state.startedBy,
    ...Object.values(state.answers).map((answer) => answer.by),
    ...state.suggestions.flatMap((item) => (item.verdict ? [item.verdict.by] : [])),
    ...(state.decision ? [state.decision.by] : []),
    ...cancellerOf(state),
  ];
}

/** Who cancelled a cancelled review, as its history's cancel entry says (the same reading as App Home's). */
function cancellerOf(state: ReviewState): string[] {
  if (state.status !== 'cancelled') return [];
  const by = cancellationOf(state).by;
  return by ? [by] : [];
}

/** A review whose flow is no longer loaded still gets its row; only its levels are left empty. */
export function reviewCsvRow(flow: Flow | undefined, state: ReviewState, placement: ReviewPlacement, people: PeopleNames, channels: ChannelNames): string[] {
  const summary = flow ? buildSummary(flow, state) : undefined;
  const participants = summary?.participants ?? [...new Set(Object.values(state.answers).map((answer) => answer.by))];
  // Levels of a review still in progress would read as a verdict; only a completed review has them.
  const scored = state.status === 'completed' ? summary : undefined;
  // An area no question asked could bear on is told apart from one left unanswered, as on the cards.
  const levels = new Map(scored?.score.areas.map((area) => [area.area, area.notCovered ? NOT_COVERED : area.level]) ?? []);
  const decision = state.decision;
  const [cancelledBy] = cancellerOf(state);
  return [
    state.id,
    readable(state.systemName),
    channels.name(placement.channelId),
    placement.channelId,
    state.flowId,
    String(state.flowVersion),
    state.status,
    state.startedAt,
    people.name(state.startedBy),
    state.startedBy,
    state.finishedAt ?? '',
    participants.map((id) => people.name(id)).join(NAME_SEPARATOR),
    participants.join(NAME_SEPARATOR),
    // Empty only while there is no verdict to give (in progress, cancelled, flow gone): a finished review with too little answered says so.
    scored ? (assessedOverall(scored.score) ?? NOT_ENOUGH_ANSWERED) : '',
    ...AREA_IDS.map((area) => levels.get(area) ?? ''),
    decision?.outcome ?? '',
    decision ? people.name(decision.by) : '',
    decision?.by ?? '',
    decision?.at ?? '',
    decision?.conditions ? readable(decision.conditions) : '',
    // The decision above no longer covers the answers as they are: when the first edit after it came, so a sheet can filter them.
    decision?.answersChangedAt ?? '',
    cancelledBy ? people.name(cancelledBy) : '',
    cancelledBy ?? '',
  ];
}
