import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyInput, currentQuestion, simulateReview, startReview } from '../../src/engine/index.js';
import { tableCell as tableCellOf } from '../../src/engine/markdown.js';
import type { Flow, ReviewState } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { toCsv } from '../../src/leads/csv.js';
import { CSV_HEADER, peopleInReview, reviewCsvRow } from '../../src/leads/csv-rows.js';
import type { ChannelNames } from '../../src/leads/channel-names.js';
import type { PeopleNames } from '../../src/leads/people.js';
import { buildReviewExport, exportBaseName, peopleMentioned } from '../../src/leads/review-export.js';
import { resolveFlowsDir } from '../../src/server.js';

const { flows } = loadFlows({ builtinDir: resolveFlowsDir() });
const flow = flows.get('alignment-review') as Flow;
const scenario = JSON.parse(readFileSync(new URL('../scenarios/resume-screener.json', import.meta.url), 'utf8')) as { answers: Record<string, string> };
const placement = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };
/** Names as users.info gave them; U2 could not be looked up, and U3 chose a name a spreadsheet would run. */
const NAMES: Record<string, string> = { U1: 'Uma Ng', U3: '=HYPERLINK("http://evil.example","Lead")' };
const people: PeopleNames = { name: (id) => NAMES[id] ?? id, label: (id) => (NAMES[id] ? `${NAMES[id]} (${id})` : id) };
/** Names as conversations.info gave them; any other channel could not be looked up. */
const channels: ChannelNames = { name: (id) => (id === 'C1' ? '#ai-reviews' : id) };

function finished(): ReviewState {
  const result = simulateReview(flow, scenario.answers, { systemName: 'Resume screener | v2 &amp; co', startAt: new Date('2025-03-04T10:00:00.000Z'), by: 'U1' });
  if (!result.ok) throw new Error(result.message);
  // Suggestions come while a review runs; a finished one takes only verdicts, so they are placed as the engine would have kept them.
  let state: ReviewState = {
    ...result.state,
    suggestions: [
      { id: 's1', title: 'Clones past bias', why: 'It learns who was advanced, not who did well.', safeguard: 'Audit outcomes by group', area: 'reward_misspecification', source: 'offline', afterQuestionId: 'objective' },
      { id: 's2', title: 'Keyword stuffing', why: 'Applicants learn the words.', safeguard: 'Human spot checks', area: 'over_optimization', source: 'model', afterQuestionId: 'objective' },
    ],
  };
  state = applyInput(flow, state, { type: 'verdict', suggestionId: 's1', relevant: true, by: 'U2', at: '2025-03-04T11:01:00.000Z' }).state;
  return applyInput(flow, state, { type: 'decide', outcome: 'approved_with_conditions', conditions: 'Quarterly audit\n| with pipes |', by: 'U3', at: '2025-03-05T09:00:00.000Z' }).state;
}

describe('the review export', () => {
  it('writes the report, every suggestion with its verdict, and the full history as Markdown', () => {
    const state = finished();
    const names: Record<string, string> = { U1: 'Alice (U1)', U2: 'Bob (U2)', U3: 'Carol (U3)', bot: 'the app' };
    const { markdown } = buildReviewExport(flow, state, placement, { exportedAt: '2025-03-06T08:00:00.000Z', exportedBy: 'U3', personName: (id) => names[id] ?? id });
    for (const heading of ['## Risks by area', '## Decision', '## Questions and answers', '## Suggestions and verdicts', '## History']) expect(markdown).toContain(heading);
    expect(markdown).toContain('- **Clones past bias** (reward misspecification, from the offline library)');
    expect(markdown).toContain('  - Verdict: relevant, by Bob (U2) on 2025-03-04 11:01:00 UTC');
    expect(markdown).toContain('  - Verdict: none given');
    // One history row per entry, each naming who and when; pipes and line breaks cannot break the table.
    const rows = markdown.split('\n').filter((line) => line.startsWith('| 20'));
    expect(rows).toHaveLength(state.history.length);
    // In words, not the codes the history stores: the decision's outcome, the suggestion's title.
    expect(rows.at(-1)).toBe('| 2025-03-05 09:00:00 UTC | Carol (U3) | decision | — | — | Approved with conditions — Quarterly audit<br>\\| with pipes \\| |');
    expect(rows.find((row) => row.includes('suggestion verdict'))).toBe('| 2025-03-04 11:01:00 UTC | Bob (U2) | suggestion verdict | Clones past bias | — | relevant |');
    const answered = rows.find((row) => row.includes('| answered |'))!;
    expect(answered).toMatch(/^\| 2025-03-04 10:00:01 UTC \| Alice \(U1\) \| answered \| .+ \| — \| .+ \|$/);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(8);
    expect(markdown).toContain('_Exported 2025-03-06 08:00:00 UTC by Carol (U3)._');
  });

  it('carries what people wrote after an option’s answer into the answers, the history and the JSON', () => {
    const detailed = { ...scenario.answers, explains_uncertainty: 'yes - it shows the top 4 reason codes &amp; a confidence band' };
    const result = simulateReview(flow, detailed, { systemName: 'Resume screener', startAt: new Date('2025-03-04T10:00:00.000Z'), by: 'U1' });
    if (!result.ok) throw new Error(result.message);
    const { markdown, json } = buildReviewExport(flow, result.state, placement, { exportedAt: '2025-03-06T08:00:00.000Z', exportedBy: 'U3' });
    const answer = 'Yes — it shows the top 4 reason codes &amp; a confidence band';
    expect(markdown).toContain(`> ${answer}\n`);
    expect(markdown.split('\n').find((line) => line.includes('| answered |') && line.includes('how sure it is'))).toMatch(new RegExp(`\\| — \\| ${answer} \\|$`));
    expect(json.answers.explains_uncertainty!.value).toEqual({ kind: 'options', optionIds: ['yes'], detail: 'it shows the top 4 reason codes &amp; a confidence band' });
    expect(json.summary.answers.find((item) => item.questionId === 'explains_uncertainty')!.answer).toBe(answer);
  });

  it('writes Slack’s markup in people’s text as words: in the goal table, the answers and the history', () => {
    // As Slack delivers a message: a channel picked from the list comes as `<#C…|>`, a person as `<@U…>`.
    const goal = 'Fair shortlists, as agreed in <#C0GENERAL|> and <#C0HIRING|hiring> by <@U0CAROL> and <@U1>|<!subteam^S0OPS|@ops>: see <https://wiki.example/fair|the policy> or <mailto:hr@example.com|HR>';
    const marked = { ...scenario.answers, human_goal: goal, objective: 'Agreement with past decisions <!here>\rno new row' };
    const result = simulateReview(flow, marked, { systemName: 'Resume screener', startAt: new Date('2025-03-04T10:00:00.000Z'), by: 'U1' });
    if (!result.ok) throw new Error(result.message);
    const { markdown, json } = buildReviewExport(flow, result.state, placement, { exportedAt: '2025-03-06T08:00:00.000Z', exportedBy: 'U3', personName: people.label });
    // Uma Ng (U1) was looked up for the export; U0CAROL was not, so she reads as her id.
    const readable = 'Fair shortlists, as agreed in #C0GENERAL and #hiring by @U0CAROL and @Uma Ng|@ops: see the policy (https://wiki.example/fair) or HR (hr@example.com)';
    const cell = readable.replace('|', '\\|');
    const lines = markdown.split('\n');
    expect(lines.find((line) => line.startsWith('| **What people actually want** |'))).toBe(`| **What people actually want** | ${cell} |`);
    // A lone carriage return ends a Markdown line too: it cannot start a new row.
    expect(lines.find((line) => line.startsWith('| **What the system is told to optimize** |'))).toBe('| **What the system is told to optimize** | Agreement with past decisions @here<br>no new row |');
    expect(markdown).toContain(`\n> ${readable}\n`);
    const answered = lines.find((line) => line.includes('| answered |') && line.includes('#hiring'))!;
    expect(answered.endsWith(`| — | ${cell} |`)).toBe(true);
    for (const line of lines.filter((row) => row.startsWith('| 20'))) expect(line.split(/(?<!\\)\|/).length).toBe(8);
    expect(markdown).not.toMatch(/<[@#!]|<https?:|<mailto:/);
    // The JSON keeps the text as Slack delivered it.
    expect(json.answers.human_goal!.value).toEqual({ kind: 'text', text: goal });
  });

  it('names a mentioned person as the caller says, and lists who is mentioned so they can be looked up', () => {
    const marked = { ...scenario.answers, human_goal: 'What <@U0CAROL> and <@W0ENT|ent> agreed with the hiring managers' };
    const result = simulateReview(flow, marked, { systemName: 'Resume screener', startAt: new Date('2025-03-04T10:00:00.000Z'), by: 'U1' });
    if (!result.ok) throw new Error(result.message);
    expect(peopleMentioned(result.state)).toEqual(['U0CAROL', 'W0ENT']);
    const mentionName = (id: string) => (id === 'U0CAROL' ? 'Carol Diaz' : id);
    const { markdown } = buildReviewExport(flow, result.state, placement, { exportedAt: '2025-03-06T08:00:00.000Z', exportedBy: 'U3', mentionName });
    expect(markdown).toContain('> What @Carol Diaz and @ent agreed with the hiring managers\n');
  });

  it('names the questions a `back` moved between by their prompts, not their ids', () => {
    const at = '2025-03-04T10:00:00.000Z';
    let state = startReview(flow, { id: 'RBACK0001', systemName: 'Back and forth', startedBy: 'U1', at }).state;
    for (let index = 0; index < 2; index++) {
      const question = currentQuestion(flow, state)!;
      const text = question.kind === 'text' ? 'A sentence long enough to count as an answer here.' : '1';
      state = applyInput(flow, state, { type: 'reply', text, by: 'U1', at, messageTs: `1700000000.00000${index}` }).state;
    }
    const left = currentQuestion(flow, state)!;
    state = applyInput(flow, state, { type: 'back', by: 'U1', at }).state;
    const back = currentQuestion(flow, state)!;
    const { markdown } = buildReviewExport(flow, state, placement, { exportedAt: at, exportedBy: 'U1' });
    const row = markdown.split('\n').find((line) => line.includes('| went back |'))!;
    expect(row).toContain(tableCellOf(left.prompt));
    expect(row).toContain(tableCellOf(back.prompt));
    expect(row).not.toContain(`| ${left.id} |`);
  });

  it('writes everything as JSON with a schema version', () => {
    const state = finished();
    const { json, baseName } = buildReviewExport(flow, state, placement, { exportedAt: '2025-03-06T08:00:00.000Z', exportedBy: 'U3' });
    const parsed = JSON.parse(JSON.stringify(json)) as typeof json;
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.textFormat).toBe('slack');
    expect(parsed.review).toMatchObject({ id: 'simulation', teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100', flowId: 'alignment-review', status: 'completed' });
    expect(parsed.history).toEqual(state.history);
    expect(parsed.suggestions.map((item) => item.verdict?.relevant ?? null)).toEqual([true, null]);
    expect(parsed.decision).toMatchObject({ outcome: 'approved_with_conditions', by: 'U3' });
    expect(parsed.summary.score.areas.length).toBe(7);
    expect(parsed.answers).toEqual(state.answers);
    expect(baseName).toBe('alignment-review-resume-screener-v2-co-simulation');
  });

  it('names files from the system name in safe characters', () => {
    const state = { ...finished(), systemName: '../../etc/passwd <x>' };
    expect(exportBaseName(state)).toBe('alignment-review-etc-passwd-x-simulation');
    expect(exportBaseName({ ...state, systemName: '!!!' })).toBe('alignment-review-simulation');
  });

  it('makes one CSV row per review, with levels only once it is finished', () => {
    const state = finished();
    const row = Object.fromEntries(CSV_HEADER.map((name, i) => [name, reviewCsvRow(flow, state, placement, people, channels)[i]]));
    expect(row).toMatchObject({ review_id: 'simulation', system: 'Resume screener | v2 & co', channel: '#ai-reviews', channel_id: 'C1', flow: 'alignment-review', status: 'completed', decision: 'approved_with_conditions', decided_by_id: 'U3' });
    expect(row.overall_level).toMatch(/^(I|II|III|IV)$/);
    expect(row.conditions).toBe('Quarterly audit\n| with pipes |');
    const open = reviewCsvRow(flow, { ...state, status: 'active', decision: undefined }, placement, people, channels);
    expect(open.slice(CSV_HEADER.indexOf('overall_level'), CSV_HEADER.indexOf('decision')).every((cell) => cell === '')).toBe(true);
    const gone = reviewCsvRow(undefined, state, placement, people, channels);
    expect(gone[CSV_HEADER.indexOf('participant_ids')]).toBe('U1');
    expect(gone[CSV_HEADER.indexOf('overall_level')]).toBe('');
  });

  it('names people in the CSV beside their ids, falls back to the id, and keeps a name a spreadsheet would run as text', () => {
    const state = finished();
    expect(new Set(peopleInReview(state))).toEqual(new Set(['U1', 'U2', 'U3']));
    const row = Object.fromEntries(CSV_HEADER.map((name, i) => [name, reviewCsvRow(flow, state, placement, people, channels)[i]]));
    expect(row).toMatchObject({ started_by: 'Uma Ng', started_by_id: 'U1', participants: 'Uma Ng; U2', participant_ids: 'U1; U2', decided_by: NAMES.U3, decided_by_id: 'U3' });
    const csv = toCsv([CSV_HEADER, reviewCsvRow(flow, state, placement, people, channels)]);
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""Lead"")",U3,`);
  });

  it('names the channel beside its id, and falls back to the id when it could not be looked up', () => {
    const state = finished();
    const cell = (row: string[], name: string) => row[CSV_HEADER.indexOf(name)];
    const named = reviewCsvRow(flow, state, placement, people, channels);
    expect([cell(named, 'channel'), cell(named, 'channel_id')]).toEqual(['#ai-reviews', 'C1']);
    const unknown = reviewCsvRow(flow, state, { ...placement, channelId: 'C9' }, people, channels);
    expect([cell(unknown, 'channel'), cell(unknown, 'channel_id')]).toEqual(['C9', 'C9']);
  });

  it('gives no overall level for a review finished with too little answered, as its card gives none, and says so', () => {
    let state = startReview(flow, { id: 'REARLY01', systemName: 'Early bot', startedBy: 'U1', at: '2025-03-04T10:00:00.000Z' }).state;
    for (const reply of ['People get fair, quick answers.', 'Answer every question asked.']) {
      state = applyInput(flow, state, { type: 'reply', text: reply, by: 'U1', at: '2025-03-04T10:01:00.000Z' }).state;
    }
    state = applyInput(flow, state, { type: 'finish', by: 'U1', at: '2025-03-04T10:02:00.000Z' }).state;
    expect(state.status).toBe('completed');
    const row = reviewCsvRow(flow, state, placement, people, channels);
    expect(row[CSV_HEADER.indexOf('overall_level')]).toBe('not_enough_answered');
  });
});
