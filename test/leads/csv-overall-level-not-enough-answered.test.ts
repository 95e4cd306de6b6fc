/** The CSV's overall_level tells a finished review with too little answered apart from one in progress or cancelled. */
import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import type { ReviewState } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { CSV_HEADER, reviewCsvRow } from '../../src/leads/csv-rows.js';

const { flows } = loadFlows({ builtinDir: 'flows' });
const flow = flows.get('agent-autonomy')!;
const AT = '2026-02-02T10:00:00.000Z';
const placement = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };

function overallLevel(state: ReviewState): string {
  return reviewCsvRow(flow, state, placement, { name: (id) => id, label: (id) => id }, { name: (id) => id })[CSV_HEADER.indexOf('overall_level')]!;
}

describe('overall_level in the CSV', () => {
  it('is "not_enough_answered" for a finished review with fewer than half the areas assessed, and empty while it runs or once cancelled', () => {
    let state = startReview(flow, { id: 'RCSV0001', systemName: 'Email triage agent', startedBy: 'U1', at: AT }).state;
    state = applyInput(flow, state, { type: 'reply', text: 'When an email arrives, the agent labels it and drafts a reply.', by: 'U1', at: AT, messageTs: '1700000000.000001' }).state;
    expect(overallLevel(state)).toBe('');
    const finished = applyInput(flow, state, { type: 'finish', by: 'U1', at: AT }).state;
    expect(finished.status).toBe('completed');
    expect(overallLevel(finished)).toBe('not_enough_answered');
    expect(overallLevel({ ...state, status: 'cancelled', finishedAt: AT })).toBe('');
  });
});
