/**
 * The summary card posted in the thread at the end, and the compact card for
 * the leads' channel. Both are pure functions of the engine's Summary.
 */
import { decisionText } from './decision-text.js';
import { utcMinuteText } from '../../engine/time-text.js';
import { noLongerStoredText, type DeletedInput } from './confirm-delete.js';
import type { KnownBlock } from '@slack/types';
import { AREAS, NOT_COVERED_TEXT, SAFEGUARD_LABELS, type AreaLevel } from '../../engine/areas.js';
import { levelRaiseText, overallHeadline } from '../../engine/scoring.js';
import type { AreaScore, Decision, RedTeamScenario, Summary } from '../../engine/types.js';
import { ACTIONS, BLOCKS } from '../ids.js';
import type { SlackMessage } from './message.js';
import { splitIntoMessages } from './split.js';
import { LIMITS, fromSlack, plain, plainTextFromSlack, truncate } from './text.js';

/** A risk level as a coloured mark and its word: the word is what reads without colour or emoji. */
export const LEVEL_MARK: Record<AreaLevel, string> = {
  high: ':red_circle: *high*',
  medium: ':large_orange_circle: *medium*',
  low: ':large_green_circle: low',
  not_assessed: ':white_circle: not assessed',
};

/** An area's mark: one no question asked could bear on reads apart from one left unanswered, so a lead knows there is nothing to go back and answer. */
export function areaMark(area: Pick<AreaScore, 'level' | 'notCovered'>): string {
  return area.notCovered ? `:white_circle: ${NOT_COVERED_TEXT[area.notCovered]}` : LEVEL_MARK[area.level];
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

function safeguardNames(ids: string[]): string {
  return ids.map((id) => SAFEGUARD_LABELS[id] ?? id).join(', ');
}

function overallLine(summary: Summary): string {
  const { score } = summary;
  // Too little answered: no level, only the label that says so (overallHeadline).
  if (score.coverage?.verdict === 'not_enough_answered' && score.overallLabel) return `*Overall:* ${plain(score.overallLabel)}`;
  const label = score.overallLabel ? ` — ${plain(score.overallLabel)}` : '';
  return `*Overall: Level ${score.overall}*${label}`;
}

/** Why the level is above what the areas give (impact points), as a line of its own under the overall line; '' when it is not. */
function raiseLine(summary: Summary): string {
  const text = levelRaiseText(summary.score);
  return text ? `\n_${plain(text)}_` : '';
}

export function decisionLine(decision: Decision): string {
  const conditions = decision.conditions ? `\n>${fromSlack(decision.conditions).replace(/\n/g, '\n>')}` : '';
  const changed = decision.answersChangedAt ? `\n:warning: An answer was edited on ${decision.answersChangedAt.slice(0, 10)}, after this decision: it needs a decision again.` : '';
  return `${decisionText(decision.outcome)} by <@${decision.by}> on ${decision.at.slice(0, 10)}${conditions}${changed}`;
}

/** What would assess an area that was not: its open questions, when it has any. */
function openNote(open: number | undefined): string {
  if (!open) return '';
  return open === 1 ? ' · 1 question on it was left open' : ` · ${open} questions on it were left open`;
}

function areaLines(summary: Summary): string[] {
  return summary.score.areas.map((area) => {
    // An area not assessed has nothing missing: no answer said anything about it (the engine lists none).
    const missing = area.safeguardsMissing.length > 0 ? ` · missing: ${safeguardNames(area.safeguardsMissing)}` : '';
    const open = area.level === 'not_assessed' ? openNote(area.open) : '';
    const gate = area.gates[0] ? ` · _${plain(area.gates[0].reason)}_` : '';
    return `${areaMark(area)} — *${AREAS[area.area].label}*${missing}${open}${gate}`;
  });
}

const RED_TEAM_LABELS: Record<RedTeamScenario['kind'], string> = {
  violates_intent: 'Follows instructions, violates intent',
  wrong_proxy: 'Optimises the wrong proxy',
  harmful_shortcut: 'Harmful shortcut',
  unsafe_under_pressure: 'Unsafe under pressure',
  ignores_context: 'Ignores context',
};

/**
 * What suggestions added to the review: the proxy failures the team marked
 * relevant (with who said so), the answers to suggested follow-up questions
 * (not scored, so shown here or nowhere), and the model's red-team scenarios.
 */
function suggestionSections(summary: Summary): KnownBlock[] {
  // A heading, then one section per item: several long items would not fit one section's limit.
  const list = (heading: string, lines: string[]): KnownBlock[] => (lines.length > 0 ? [section(heading), ...lines.map(section)] : []);
  const relevant = summary.relevantSuggestions.map((item) => {
    const who = item.verdict ? ` _(marked relevant by <@${item.verdict.by}>)_` : '';
    return `• *${plain(item.title)}* — ${plain(item.why)} _Safeguard:_ ${plain(item.safeguard)}${who}`;
  });
  const followUps = summary.answers
    .filter((item) => item.suggested && item.by && item.answer !== '(skipped)')
    .map((item) => `• ${plain(item.prompt)}\n>${truncate(fromSlack(item.answer), 1000).replace(/\n/g, '\n>')}`);
  const redTeam = summary.redTeam.map((item) => `• _${RED_TEAM_LABELS[item.kind]}:_ ${plain(item.scenario)}`);
  return [
    ...list('*Proxy failures the team marked relevant*', relevant),
    ...list('*Suggested follow-up questions* _(suggested by the model)_', followUps),
    ...list('*Red-team scenarios to consider* _(suggested by the model)_', redTeam),
  ];
}

export function summaryBlocks(summary: Summary, decision?: Decision): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: plainTextFromSlack(`Summary: ${summary.systemName}`, LIMITS.headerText) } },
    section(overallLine(summary) + raiseLine(summary) + (summary.score.nextSteps.length ? `\n${summary.score.nextSteps.map((step) => `• ${plain(step)}`).join('\n')}` : '')),
  ];
  if (summary.status === 'cancelled') blocks.push(section('_This review was cancelled before it finished._'));
  // Only what the team gave: a flow that never asks for the objective (the quick check) must not
  // read as if the team left it out, and a skipped headline question is listed among the open questions.
  if (summary.humanGoal) blocks.push(section(`*Human goal:* ${fromSlack(summary.humanGoal)}`));
  if (summary.objective) blocks.push(section(`*System objective:* ${fromSlack(summary.objective)}`));
  if (summary.proxyMetrics.length > 0) {
    blocks.push(section(`*Proxy metrics:* ${summary.proxyMetrics.map((metric) => fromSlack(metric)).join('; ')}`));
  }
  blocks.push({ type: 'divider' }, section(`*Risk areas*\n${areaLines(summary).join('\n')}`));
  const highAreas = summary.score.areas.filter((area) => area.level === 'high' && area.recommendations.length > 0);
  for (const area of highAreas) {
    blocks.push(section(`*${AREAS[area.area].label}: recommended*\n${area.recommendations.map((line) => `• ${plain(line)}`).join('\n')}`));
  }
  if (summary.score.openQuestions.length > 0) {
    const lines = summary.score.openQuestions.map((open) => `• ${plain(open.prompt)} _(${open.reason.replace('_', ' ')})_`);
    blocks.push(section(`*Open questions* (not scored as safe)\n${lines.join('\n')}`));
  }
  blocks.push(...suggestionSections(summary));
  if (decision) blocks.push(section(`*Decision:* ${decisionLine(decision)}`));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(
          `Participants: ${summary.participants.map((id) => `<@${id}>`).join(', ') || '_none_'} · Flow: ${plain(summary.flowTitle)} v${summary.flowVersion} · Review ${summary.reviewId}`,
          LIMITS.contextText,
        ),
      },
    ],
  });
  return blocks;
}

function cardActions(reviewId: string): KnownBlock {
  return {
    type: 'actions',
    block_id: BLOCKS.cardActions,
    elements: [
      { type: 'button', action_id: ACTIONS.signOff, text: { type: 'plain_text', text: 'Record a decision' }, value: reviewId, style: 'primary' },
      { type: 'button', action_id: ACTIONS.exportReview, text: { type: 'plain_text', text: 'Export' }, value: reviewId },
    ],
  };
}

/** The card in the thread, in one or more messages; the buttons sit on the last one. */
export function summaryCardMessages(summary: Summary, decision?: Decision): SlackMessage[] {
  const fallback = truncate(`Alignment review summary for ${fromSlack(summary.systemName)}: ${overallHeadline(summary.score)}`, LIMITS.fallbackText);
  const messages = splitIntoMessages([...summaryBlocks(summary, decision), cardActions(summary.reviewId)], fallback);
  return messages;
}

/** The compact card for the leads' channel: levels at a glance and a link to the thread. */
export function leadsCardMessage(summary: Summary, threadLink: string | undefined, decision?: Decision): SlackMessage {
  // Counted apart as on the thread card, so "k of n areas assessed" and the counts agree.
  const covered = summary.score.areas.filter((area) => !area.notCovered);
  const notCovered = (['flow', 'asked'] as const).map((why) => [NOT_COVERED_TEXT[why], summary.score.areas.filter((area) => area.notCovered === why).length] as const);
  const counts = [
    ...(['high', 'medium', 'low', 'not_assessed'] as const).map((level) => [level.replace('_', ' '), covered.filter((area) => area.level === level).length] as const),
    ...notCovered,
  ]
    .filter(([, count]) => count > 0)
    .map(([words, count]) => `${count} ${words}`)
    .join(' · ');
  const highs = summary.score.areas.filter((area) => area.level === 'high').map((area) => AREAS[area.area].label);
  const link = threadLink ? `\n<${threadLink}|Open the review thread>` : '';
  const open = summary.score.openQuestions.length;
  const blocks: KnownBlock[] = [
    section(
      `*Alignment review finished: ${fromSlack(summary.systemName)}*\n${overallLine(summary)} · ${counts}` +
        raiseLine(summary) +
        (highs.length ? `\nHigh: ${highs.join(', ')}` : '') +
        (open > 0 ? `\n${open} open question${open === 1 ? '' : 's'}` : '') +
        link,
    ),
  ];
  if (decision) blocks.push(section(`*Decision:* ${decisionLine(decision)}`));
  blocks.push(
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Started by <@${summary.startedBy}> · ${plain(summary.flowTitle)} v${summary.flowVersion} · Review ${summary.reviewId}` }],
    },
    cardActions(summary.reviewId),
  );
  return { text: truncate(`Alignment review finished: ${fromSlack(summary.systemName)} — ${overallHeadline(summary.score)}`, LIMITS.fallbackText), blocks };
}

/**
 * What each message of a deleted review that had buttons becomes (its cards
 * in the thread and the leads' channel, its suggestion cards, the question
 * it waited on): who deleted it and when, and no buttons, which would only
 * answer that the review no longer exists. It names only what the review
 * had: an open review never had scores or a decision.
 */
export function deletedCardMessage(input: DeletedInput & { reviewId: string }): SlackMessage {
  const text =
    `Alignment review of ${truncate(fromSlack(input.systemName), 200)} (review ${input.reviewId}): deleted by <@${input.deletedBy}> on ${utcMinuteText(input.at)}. ` +
    noLongerStoredText(input.held);
  return { text: truncate(text, LIMITS.fallbackText), blocks: [section(`:wastebasket: ${text}`)] };
}
