/**
 * An area the flow never asks about is "not covered by this flow", not "not
 * assessed": the cards, the report, Home and the CSV count it apart, so the
 * "k of n areas assessed" line and the rows below it agree.
 */
import { describe, expect, it } from 'vitest';
import { applyInput, buildSummary, startReview, summaryToMarkdown } from '../../src/engine/index.js';
import type { ReviewState } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { CSV_HEADER, reviewCsvRow } from '../../src/leads/csv-rows.js';
import { homeEntryOf, selectHome } from '../../src/leads/home-data.js';
import { homeView } from '../../src/slack/blocks/home.js';
import { leadsCardMessage, summaryCardMessages } from '../../src/slack/blocks/summary-card.js';

const { flows } = loadFlows({ builtinDir: 'flows' });
const flow = flows.get('agent-autonomy')!;
const AT = '2026-02-02T10:00:00.000Z';

/** "Email triage agent": two questions answered, then `finish`. */
function finishedEarly(): ReviewState {
  let state = startReview(flow, { id: 'RCOVER01', systemName: 'Email triage agent', startedBy: 'U1', at: AT }).state;
  const replies = ['When an email arrives, the agent labels it and drafts a reply in the shared inbox.', 'Customers get a correct answer quickly, without being ignored.'];
  replies.forEach((text, i) => {
    state = applyInput(flow, state, { type: 'reply', text, by: 'U1', at: AT, messageTs: `1700000000.00000${i}` }).state;
  });
  state = applyInput(flow, state, { type: 'finish', by: 'U1', at: AT }).state;
  expect(state.status).toBe('completed');
  return state;
}

describe('areas the flow does not cover', () => {
  const state = finishedEarly();
  const summary = buildSummary(flow, state);
  const byArea = Object.fromEntries(summary.score.areas.map((area) => [area.area, area]));

  it('are told apart from areas covered but not answered, and the counts agree', () => {
    expect(summary.score.coverage).toMatchObject({ assessed: 0, assessable: 5, verdict: 'not_enough_answered' });
    expect(byArea.value_complexity).toMatchObject({ level: 'not_assessed', notCovered: 'flow' });
    expect(byArea.inner_alignment).toMatchObject({ level: 'not_assessed', notCovered: 'flow' });
    const covered = summary.score.areas.filter((area) => area.notCovered === undefined);
    expect(covered).toHaveLength(summary.score.coverage!.assessable);
    for (const area of covered) expect(area.level).toBe('not_assessed');
  });

  it('reads "not covered by this flow" on the thread card, and the leads card counts it apart', () => {
    const card = JSON.stringify(summaryCardMessages(summary).map((message) => message.blocks));
    expect(card).toContain('Not enough answered to assess (0 of 5 areas assessed)');
    expect(card.match(/:white_circle: not assessed — /g)).toHaveLength(5);
    expect(card).toContain(':white_circle: not covered by this flow — *Value complexity*');
    expect(card).toContain(':white_circle: not covered by this flow — *Inner alignment*');
    const leads = JSON.stringify(leadsCardMessage(summary, undefined).blocks);
    expect(leads).toContain('Not enough answered to assess (0 of 5 areas assessed) · 5 not assessed · 2 not covered by this flow');
  });

  it('reads so in the Markdown report', () => {
    const markdown = summaryToMarkdown(summary);
    expect(markdown).toContain('| Value complexity | Not covered by this flow | This flow asks no question that bears on it | — | — |');
    expect(markdown).toMatch(/\| Autonomy risk \| Not assessed \|/);
  });

  it('has its own value in the CSV, and Home says so', () => {
    const row = Object.fromEntries(
      CSV_HEADER.map((name, i) => [name, reviewCsvRow(flow, state, { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' }, { name: (id) => id, label: (id) => id }, { name: (id) => id })[i]]),
    );
    expect(row.level_value_complexity).toBe('not_covered');
    expect(row.level_inner_alignment).toBe('not_covered');
    expect(row.level_autonomy_risk).toBe('not_assessed');

    const placement = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };
    const entry = homeEntryOf(flow, { state, placement, version: 1 }, Date.parse(AT), { reminderHours: 24, staleDays: 7 });
    const view = JSON.stringify(homeView(selectHome([entry!], {}, 'all'), { threadUrl: () => 'https://x.example', channelName: (id: string) => `#${id}`, now: new Date(AT) }));
    expect(view).toContain(':white_circle: not covered by this flow — Value complexity');
    expect(view).toContain(':white_circle: not assessed — Autonomy risk');
  });
});
