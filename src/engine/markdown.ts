/**
 * The review report as Markdown: what a lead reads, files or pastes into a
 * ticket. People's text is kept as written, except that Slack's markup in it
 * reads as words (see readableText) and table cells escape pipes and line
 * breaks so a reply cannot break the table.
 */
import { AREAS, NOT_COVERED_TEXT, SAFEGUARD_LABELS, type AreaLevel } from './areas.js';
import { levelRaiseText, overallHeadline } from './scoring.js';
import { controlSequencesAsWords } from './slack-markup.js';
import { utcMinuteText } from './time-text.js';
import type { Decision, RedTeamScenario, Summary } from './types.js';

export interface MarkdownOptions {
  /** How to show a person id (e.g. a Slack user id as a display name). Default: the id itself. */
  personName?: (id: string) => string;
  /** How to show a person mentioned in people's text, after the "@" ("Alice Moreau"). Default: the id itself. */
  mentionName?: (id: string) => string;
}

const LEVEL_TEXT: Record<AreaLevel, string> = { not_assessed: 'Not assessed', low: 'Low', medium: 'Medium', high: 'High' };

/** Why an area no question asked could bear on has no level: nothing was left unanswered about it. */
const NOT_COVERED_WHY: Record<'flow' | 'asked', string> = {
  flow: 'This flow asks no question that bears on it',
  asked: 'None of the questions that applied bears on it',
};

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const RED_TEAM_TEXT: Record<RedTeamScenario['kind'], string> = {
  violates_intent: 'Follows the words, violates the intent',
  wrong_proxy: 'Optimizes the wrong proxy',
  harmful_shortcut: 'Takes a harmful shortcut',
  unsafe_under_pressure: 'Unsafe under pressure',
  ignores_context: 'Ignores context',
};

/** A lead's decision in words; also for the export's history, which stores the outcome's code. */
export const DECISION_TEXT: Record<Decision['outcome'], string> = {
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  changes_needed: 'Changes needed',
};

/** A review's status in words; also for the export's history, which stores the status's code. */
export const STATUS_TEXT: Record<Summary['status'], string> = { active: 'In progress', paused: 'Paused', completed: 'Completed', cancelled: 'Cancelled' };

/** Escapes a table cell: pipes, and line breaks (a lone carriage return is one too) which would end the row. */
export function tableCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n?|\n/g, '<br>');
}

/**
 * People's text as Slack delivered it, with its markup as words a reader of
 * the file understands: `<#C0GENERAL|general>` as "#general" (or
 * "#C0GENERAL" when Slack sent no name), `<@U0CAROL>` as "@" and the
 * person's name when `mentionName` knows it (else the id), `<!here>` as
 * "@here", a user group as its handle, a link as "label (url)", or the URL
 * alone. Slack's entities (`&amp;`, `&lt;`, `&gt;`) stay: Markdown shows
 * them as the characters typed.
 */
export function readableText(text: string, mentionName: (id: string) => string = (id) => id): string {
  return controlSequencesAsWords(text, {
    mention: (handle) => `@${handle}`,
    personName: (id) => {
      const known = mentionName(id);
      return known !== id ? known : undefined;
    },
  });
}

function quoteBlock(text: string): string {
  return text
    .split(/\r\n?|\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * The goal and the objective, each only when given: a flow that never asks
 * for one (the quick check has no objective question) must not read as if
 * the team left it out, and a skipped headline question is listed among the
 * open questions.
 */
function goalRows(summary: Summary, words: (text: string) => string): string[] {
  const rows: [string, string | undefined][] = [
    ['What people actually want', summary.humanGoal],
    ['What the system is told to optimize', summary.objective],
  ];
  return rows.flatMap(([label, text]) => (text === undefined ? [] : [`| **${label}** | ${tableCell(words(text))} |`]));
}

export function summaryToMarkdown(summary: Summary, options: MarkdownOptions = {}): string {
  const person = options.personName ?? ((id: string) => id);
  const mentionName = options.mentionName;
  /** People's text with Slack's markup as words. */
  const words = (text: string) => readableText(text, mentionName);
  const score = summary.score;
  const out: string[] = [];
  const section = (title: string, lines: string[]) => out.push('', `## ${title}`, '', ...lines);

  out.push(`# Alignment review: ${words(summary.systemName)}`, '');
  out.push(`- **Flow:** ${summary.flowTitle} (\`${summary.flowId}\` v${summary.flowVersion})`);
  out.push(`- **Status:** ${STATUS_TEXT[summary.status]}`);
  out.push(`- **Started:** ${utcMinuteText(summary.startedAt)} by ${person(summary.startedBy)}`);
  if (summary.finishedAt) out.push(`- **Finished:** ${utcMinuteText(summary.finishedAt)}`);
  out.push(`- **Participants:** ${summary.participants.length > 0 ? summary.participants.map(person).join(', ') : 'none yet'}`);
  out.push(`- **Review id:** \`${summary.reviewId}\``);

  if (summary.systemDescription) section('The system', [words(summary.systemDescription)]);
  const goals = goalRows(summary, words);
  const table = goals.length > 0 ? ['| | |', '|---|---|', ...goals] : [];
  const metrics = summary.proxyMetrics.length > 0 ? ['**Proxy metrics:**', ...summary.proxyMetrics.map((metric) => `- ${words(metric)}`)] : [];
  if (table.length > 0 || metrics.length > 0) {
    section('Human goal and encoded objective', [...table, ...(table.length > 0 && metrics.length > 0 ? [''] : []), ...metrics]);
  }

  const raise = levelRaiseText(score);
  section(`Overall: ${overallHeadline(score)}`, [
    `Impact points (severity and irreversibility): ${score.impactPoints}${score.impactNote ? ` — ${score.impactNote}` : ''}`,
    ...(raise ? ['', `${raise}.`] : []),
    ...(score.nextSteps.length > 0 ? ['', '**Next steps:**', ...score.nextSteps.map((step) => `- ${step}`)] : []),
  ]);

  section('Risks by area', [
    '| Area | Level | Why | Safeguards missing | Recommendations |',
    '|---|---|---|---|---|',
    ...score.areas.map((area) => {
      // An area not assessed has no level to explain: what would assess it is its open questions.
      const why = area.notCovered
        ? [NOT_COVERED_WHY[area.notCovered]]
        : area.level === 'not_assessed'
          ? area.open
            ? [`Not assessed: ${area.open === 1 ? '1 question on it was' : `${area.open} questions on it were`} left open`]
            : []
          : [
              ...area.gates.map((gate) => `Gate (at least ${gate.floor}): ${gate.reason}`),
              ...area.drivers.map((driver) => `${driver.answer}${driver.reason ? ` — ${driver.reason}` : ''} (+${driver.weight})`),
            ];
      const cells = [
        AREAS[area.area].label,
        area.notCovered ? capitalized(NOT_COVERED_TEXT[area.notCovered]) : LEVEL_TEXT[area.level],
        why.join('\n') || '—',
        area.safeguardsMissing.map((id) => SAFEGUARD_LABELS[id] ?? id).join(', ') || '—',
        area.recommendations.join('\n') || '—',
      ];
      return `| ${cells.map(tableCell).join(' | ')} |`;
    }),
  ]);

  if (score.openQuestions.length > 0) {
    const reasonText = { skipped: 'skipped', not_sure: 'not sure', unanswered: 'not answered' } as const;
    section('Open questions', score.openQuestions.map((open) => `- ${open.prompt} _(${reasonText[open.reason]})_`));
  }
  if (summary.relevantSuggestions.length > 0) {
    section(
      'Ways the metric could be won while the goal is harmed',
      summary.relevantSuggestions.flatMap((suggestion) => [
        `- **${suggestion.title}** — ${suggestion.why}`,
        `  - Safeguard: ${suggestion.safeguard}`,
        ...(suggestion.reference ? [`  - Reference: ${suggestion.reference}`] : []),
      ]),
    );
  }
  if (summary.redTeam.length > 0) {
    section('Red-team scenarios', summary.redTeam.map((scenario) => `- **${RED_TEAM_TEXT[scenario.kind]}:** ${scenario.scenario}`));
  }
  if (summary.decision) {
    const decision = summary.decision;
    section('Decision', [
      `**${DECISION_TEXT[decision.outcome]}** by ${person(decision.by)} on ${utcMinuteText(decision.at)}`,
      ...(decision.conditions ? ['', quoteBlock(words(decision.conditions))] : []),
      ...(decision.answersChangedAt ? ['', `An answer was edited on ${utcMinuteText(decision.answersChangedAt)}, after this decision: it needs a decision again.`] : []),
    ]);
  }

  const qa: string[] = [];
  let lastSection: string | undefined;
  for (const answer of summary.answers) {
    if (answer.section && answer.section !== lastSection) qa.push(`### ${answer.section}`, '');
    lastSection = answer.section ?? lastSection;
    const who = answer.by ? [``, `_${person(answer.by)}${answer.at ? `, ${utcMinuteText(answer.at)}` : ''}_`] : [];
    qa.push(`**${answer.prompt}**${answer.suggested ? ' _(follow-up)_' : ''}`, '', quoteBlock(words(answer.answer)), ...who, '');
  }
  section('Questions and answers', qa);
  return `${out.join('\n').trimEnd()}\n`;
}
