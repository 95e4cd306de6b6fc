/**
 * The Markdown export's "Suggestions and verdicts" section once the metric is
 * edited: a reader of the file, who has no thread to look at, can tell which
 * suggestions count (the card made for the metric as it stands, each failure
 * once with the verdict given last) and which were made for an earlier metric,
 * quoted as the replaced card in the thread quotes it.
 */
import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import type { ReviewInput, ReviewState } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { buildReviewExport } from '../../src/leads/review-export.js';
import { REPO_ROOT } from '../support/app-process.js';
import { proxyFailureCard } from '../support/proxy-failure-card.js';

const flow = loadFlows({ builtinDir: `${REPO_ROOT}flows` }).flows.get('quick-check')!;
const placement = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };
const TICKETS = 'Ticket volume reduction: fewer tickets\nreaching <@U0BOB>’s agents.';
const TICKETS_READ = 'Ticket volume reduction: fewer tickets reaching @Bob Reyes’s agents.';
const CLICKS = 'Click-through rate from the help article to the contact form.';
const METRIC_TS = '1700000002.000100';
const SHARED = 'Customers give up before they are helped';
const NAMES: Record<string, string> = { U0ALICE: 'Alice', U0BOB: 'Bob Reyes', U0CAROL: 'Carol' };

let clock = 0;
function at(): string {
  clock += 1;
  return new Date(Date.UTC(2024, 0, 1, 0, 0, clock)).toISOString();
}

function apply(state: ReviewState, input: Record<string, unknown>): ReviewState {
  const step = applyInput(flow, state, { by: 'U0ALICE', ...input, at: at() } as ReviewInput);
  expect(step.changed).toBe(true);
  return step.state;
}

function metricAnswered(): ReviewState {
  const started = startReview(flow, { id: 'REXPORT1', systemName: 'Support bot', startedBy: 'U0ALICE', at: at() }).state;
  const goal = apply(started, { type: 'reply', text: 'Customers want their problem solved quickly.', messageTs: '1700000001.000100' });
  return apply(goal, { type: 'reply', text: TICKETS, messageTs: METRIC_TS });
}

/** One run's card, as the suggestions job stores it: made for this metric, sharing a batch. */
function addCard(state: ReviewState, metric: string, batch: string, titles: string[]): ReviewState {
  const suggestions = proxyFailureCard(metric, batch, titles, (title) => `Why ${title.toLowerCase()}.`);
  return apply(state, { type: 'add_suggestions', suggestions, by: 'bot' });
}

function mark(state: ReviewState, suggestionId: string, relevant: boolean, by: string): ReviewState {
  return apply(state, { type: 'verdict', suggestionId, relevant, by });
}

/** The section as exported, line by line. */
function section(state: ReviewState): string[] {
  const { markdown } = buildReviewExport(flow, state, placement, { exportedAt: at(), exportedBy: 'U0CAROL', personName: (id) => NAMES[id] ?? id });
  const start = markdown.indexOf('## Suggestions and verdicts\n');
  const end = markdown.indexOf('\n## History');
  expect(start).toBeGreaterThan(0);
  return markdown.slice(start, end).trimEnd().split('\n');
}

/** The first card (tickets) with its verdicts, the metric edited, the new card (clicks) with its own. */
function editedWithTwoCards(): ReviewState {
  let state = addCard(metricAnswered(), TICKETS, 'one', [SHARED, 'Tickets closed unsolved']);
  state = mark(state, 'one0', true, 'U0BOB');
  state = mark(state, 'one1', true, 'U0BOB');
  state = apply(state, { type: 'edit', messageTs: METRIC_TS, text: CLICKS });
  state = addCard(state, CLICKS, 'two', [SHARED, 'Clicks bought with bait', 'clicks  bought with BAIT']);
  state = mark(state, 'two0', false, 'U0CAROL');
  state = mark(state, 'two2', true, 'U0CAROL');
  return mark(state, 'two1', true, 'U0ALICE');
}

describe('the export’s suggestions and verdicts after the metric is edited', () => {
  it('says which suggestions count, and marks the earlier metric’s card with that metric quoted', () => {
    const lines = section(editedWithTwoCards());
    expect(lines).toEqual([
      '## Suggestions and verdicts',
      '',
      'Only the verdicts on the suggestions made for the metric as it stands count on the summary and the score; a failure suggested more than once counts once, with the verdict given on it last.',
      '',
      `### For the metric before it was edited: “${TICKETS_READ}”`,
      '',
      '_Verdicts given on these no longer count: the metric was edited after they were made. They stay here and in the history._',
      '',
      `- **${SHARED}** (over optimization, from the offline library) — Why ${SHARED.toLowerCase()}.`,
      '  - Safeguard: What watches for it.',
      expect.stringMatching(/^ {2}- Verdict: relevant, by Bob Reyes on 2024-01-01 /),
      '  - Counts: no, made for the metric before it was edited',
      '- **Tickets closed unsolved** (over optimization, from the offline library) — Why tickets closed unsolved.',
      '  - Safeguard: What watches for it.',
      expect.stringMatching(/^ {2}- Verdict: relevant, by Bob Reyes on 2024-01-01 /),
      '  - Counts: no, made for the metric before it was edited',
      '',
      `### For the metric as it stands: “${CLICKS}”`,
      '',
      `- **${SHARED}** (over optimization, from the offline library) — Why ${SHARED.toLowerCase()}.`,
      '  - Safeguard: What watches for it.',
      expect.stringMatching(/^ {2}- Verdict: not relevant, by Carol on 2024-01-01 /),
      '  - Counts: yes',
      '- **Clicks bought with bait** (over optimization, from the offline library) — Why clicks bought with bait.',
      '  - Safeguard: What watches for it.',
      expect.stringMatching(/^ {2}- Verdict: relevant, by Alice on 2024-01-01 /),
      '  - Counts: yes',
      '- **clicks  bought with BAIT** (over optimization, from the offline library) — Why clicks  bought with bait.',
      '  - Safeguard: What watches for it.',
      expect.stringMatching(/^ {2}- Verdict: relevant, by Carol on 2024-01-01 /),
      '  - Counts: no, the same failure is counted once, with the verdict given on it last (listed in this section too)',
    ]);
  });

  it('marks the card as made for the earlier metric before the edited metric’s card arrives', () => {
    let state = addCard(metricAnswered(), TICKETS, 'one', ['Tickets closed unsolved']);
    state = mark(state, 'one0', true, 'U0BOB');
    expect(section(state)).toContain('  - Counts: yes');
    state = apply(state, { type: 'edit', messageTs: METRIC_TS, text: CLICKS });
    const lines = section(state);
    expect(lines).toContain(`### For the metric before it was edited: “${TICKETS_READ}”`);
    expect(lines).toContain('  - Counts: no, made for the metric before it was edited');
    expect(lines).not.toContain('  - Counts: yes');
  });

  it('adds no rule when every suggestion counts', () => {
    const state = mark(addCard(metricAnswered(), TICKETS, 'one', ['Tickets closed unsolved']), 'one0', true, 'U0BOB');
    const lines = section(state);
    expect(lines.slice(0, 3)).toEqual(['## Suggestions and verdicts', '', `### For the metric as it stands: “${TICKETS_READ}”`]);
    expect(lines.join('\n')).not.toContain('no longer count');
  });
});
