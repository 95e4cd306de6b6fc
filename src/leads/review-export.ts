/**
 * A whole review as files a lead can keep: Markdown to read (the engine's
 * report, every suggestion with its verdict and whether it counts, and the
 * full history) and JSON for tools (with a schemaVersion). Pure: the caller
 * supplies names and times. Text people wrote is kept as Slack delivered it
 * (`&amp;`, `&lt;`, `&gt;`), which Markdown shows as typed and JSON marks with
 * `textFormat`; in the Markdown, Slack's mentions, channels and links in it
 * read as words ("@Alice Moreau", "#general", "label (url)"; see
 * readableText).
 */
import { buildSummary, describeAnswer, findQuestion, summaryToMarkdown } from '../engine/index.js';
import { DECISION_TEXT, readableText, STATUS_TEXT, tableCell } from '../engine/markdown.js';
import type { AnswerValue, Flow, HistoryEntry, ReviewState, Suggestion, Summary } from '../engine/types.js';
import type { ReviewPlacement } from '../store/types.js';
import { suggestionSectionLines } from './export-suggestions.js';

export const EXPORT_SCHEMA_VERSION = 1;

export interface ReviewExportJson {
  schemaVersion: typeof EXPORT_SCHEMA_VERSION;
  /** People's text is as Slack delivers it: &amp; &lt; &gt; escaped, mentions as <@U…>. */
  textFormat: 'slack';
  exportedAt: string;
  exportedBy: string;
  review: {
    id: string;
    teamId: string;
    channelId: string;
    threadTs: string;
    systemName: string;
    flowId: string;
    flowVersion: number;
    flowTitle: string;
    status: ReviewState['status'];
    startedBy: string;
    startedAt: string;
    finishedAt?: string;
  };
  /** The scored report: risk areas with their drivers and reasons, answers with who and when, the decision. */
  summary: Summary;
  /** Every stored answer, including those to questions that no longer apply. */
  answers: ReviewState['answers'];
  /** Every suggestion, with its verdict (who, when) where one was given. */
  suggestions: Suggestion[];
  redTeam: ReviewState['redTeam'];
  decision: ReviewState['decision'] | null;
  /** Every change in order: who, when, what, before and after. */
  history: HistoryEntry[];
}

export interface ReviewExport {
  baseName: string;
  markdown: string;
  json: ReviewExportJson;
}

export interface ExportContext {
  exportedAt: string;
  exportedBy: string;
  /** How to show a person id in the Markdown (e.g. "Alice Moreau (U0ALICE)"). */
  personName?: (id: string) => string;
  /**
   * How to show a person mentioned in people's text, after the "@" ("Alice
   * Moreau"). Default: the name personName gives without its "(id)" (the
   * form of PeopleNames.label), else the id.
   */
  mentionName?: (id: string) => string;
}

/** The people mentioned (`<@U…>`) in what people wrote in a review: to look their names up for the export too. */
export function peopleMentioned(state: ReviewState): string[] {
  const texts = [
    state.systemName,
    ...Object.values(state.answers).flatMap((answer) => (answer.value.kind === 'text' ? [answer.value.text] : answer.value.kind === 'options' && answer.value.detail ? [answer.value.detail] : [])),
    ...(state.decision?.conditions ? [state.decision.conditions] : []),
  ];
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g)].map((match) => match[1]!)))];
}

/** personName's name without the id it adds ("Alice Moreau (U0ALICE)" → "Alice Moreau"); the id when it has no name. */
function nameWithoutId(personName: (id: string) => string): (id: string) => string {
  return (id) => {
    const label = personName(id);
    const suffix = ` (${id})`;
    return label.endsWith(suffix) && label.length > suffix.length ? label.slice(0, -suffix.length) : label;
  };
}

const ACTION_TEXT: Record<HistoryEntry['action'], string> = {
  start: 'started the review',
  answer: 'answered',
  edit: 'edited an answer',
  skip: 'skipped',
  back: 'went back',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
  finish: 'finished early',
  complete: 'completed',
  suggestions: 'suggestion added',
  verdict: 'suggestion verdict',
  questions_added: 'follow-up question added',
  redteam: 'red-team scenarios added',
  decision: 'decision',
};

function isAnswerValue(value: unknown): value is AnswerValue {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** A history value as people read it: answers by their option labels, verdicts as words. */
function historyValue(flow: Flow, state: ReviewState, entry: HistoryEntry, value: HistoryEntry['before'], words: (text: string) => string): string {
  return words(historyValueText(flow, state, entry, value));
}

function historyValueText(flow: Flow, state: ReviewState, entry: HistoryEntry, value: HistoryEntry['before']): string {
  if (value === undefined || value === null) return '—';
  if (isAnswerValue(value)) {
    const question = entry.questionId ? findQuestion(flow, state, entry.questionId) : undefined;
    if (!question) return value.kind === 'text' ? value.text : value.kind === 'options' ? value.optionIds.join(', ') : '(skipped)';
    return describeAnswer(question, { questionId: question.id, value, by: entry.by, at: entry.at });
  }
  if (typeof value === 'boolean') return entry.action === 'verdict' ? (value ? 'relevant' : 'not relevant') : String(value);
  return codeInWords(flow, state, value);
}

/**
 * A code the history stores (a question id for `back`, a status, a decision's
 * outcome) in the words people read elsewhere: the export is for people.
 */
function codeInWords(flow: Flow, state: ReviewState, code: string): string {
  if (code in DECISION_TEXT) return DECISION_TEXT[code as keyof typeof DECISION_TEXT];
  if (code in STATUS_TEXT) return STATUS_TEXT[code as keyof typeof STATUS_TEXT];
  return findQuestion(flow, state, code)?.prompt ?? code;
}

function when(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** The history as a table; people's text in it (answers, a decision's conditions) with Slack's markup as words. */
function historyLines(flow: Flow, state: ReviewState, person: (id: string) => string, words: (text: string) => string): string[] {
  return [
    '| When | Who | What | Question / suggestion | Before | After |',
    '|---|---|---|---|---|---|',
    ...state.history.map((entry) => {
      const question = entry.questionId ? findQuestion(flow, state, entry.questionId) : undefined;
      const suggestion = entry.suggestionId ? state.suggestions.find((item) => item.id === entry.suggestionId) : undefined;
      const subject = question ? question.prompt : suggestion ? suggestion.title : (entry.questionId ?? entry.suggestionId ?? '');
      const cells = [
        when(entry.at),
        person(entry.by),
        ACTION_TEXT[entry.action],
        subject || '—',
        historyValue(flow, state, entry, entry.before, words),
        `${historyValue(flow, state, entry, entry.after, words)}${entry.conditions ? ` — ${words(entry.conditions)}` : ''}`,
      ];
      return `| ${cells.map(tableCell).join(' | ')} |`;
    }),
  ];
}

/** A file name people recognise: the system's name in safe characters, and the review id. */
export function exportBaseName(state: ReviewState): string {
  const slug = state.systemName
    .replace(/&(amp|lt|gt);/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `alignment-review-${slug ? `${slug}-` : ''}${state.id}`;
}

export function buildReviewExport(flow: Flow, state: ReviewState, placement: ReviewPlacement, context: ExportContext): ReviewExport {
  const person = context.personName ?? ((id: string) => id);
  const mentionName = context.mentionName ?? nameWithoutId(person);
  const words = (text: string) => readableText(text, mentionName);
  const summary = buildSummary(flow, state);
  const markdown =
    summaryToMarkdown(summary, { personName: person, mentionName }).trimEnd() +
    '\n\n## Suggestions and verdicts\n\n' +
    suggestionSectionLines(state, { person, when, words }).join('\n') +
    '\n\n## History\n\n' +
    historyLines(flow, state, person, words).join('\n') +
    `\n\n_Exported ${when(context.exportedAt)} by ${person(context.exportedBy)}._\n`;
  const json: ReviewExportJson = {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    textFormat: 'slack',
    exportedAt: context.exportedAt,
    exportedBy: context.exportedBy,
    review: {
      id: state.id,
      teamId: placement.teamId,
      channelId: placement.channelId,
      threadTs: placement.threadTs,
      systemName: state.systemName,
      flowId: state.flowId,
      flowVersion: state.flowVersion,
      flowTitle: flow.title,
      status: state.status,
      startedBy: state.startedBy,
      startedAt: state.startedAt,
      ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
    },
    summary,
    answers: state.answers,
    suggestions: state.suggestions,
    redTeam: state.redTeam,
    decision: state.decision ?? null,
    history: state.history,
  };
  return { baseName: exportBaseName(state), markdown, json };
}
