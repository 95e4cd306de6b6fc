/**
 * Suggestions in a review thread: proxy-failure suggestions, each with
 * Relevant / Not relevant buttons, and the note left on a posted question
 * when suggested follow-ups arrive and are asked before it.
 */
import type { ContextBlockElement, KnownBlock } from '@slack/types';
import type { Suggestion } from '../../engine/types.js';
import { ACTIONS } from '../ids.js';
import type { SlackMessage } from './message.js';
import { LIMITS, plain, plainTextFromSlack, truncate } from './text.js';

/** What the message says about where the suggestions come from. */
export const SOURCE_NOTES = {
  model: 'Suggested by the model from your answers: check them before relying on them.',
  offlineNoModel: 'From the offline library of known proxy failures (no model is configured).',
  // The exact reason (timeout, error, unusable answer, budget) is in the logs; one line is enough here.
  offlineFallback: 'The model’s suggestions were not available this time (no answer in time, an error, or this review’s model calls used up), so these come from the offline library of known proxy failures.',
} as const;

export interface SuggestionsMessageOptions {
  /** Whether a model is configured: offline suggestions then mean the model was tried and fell back. */
  modelConfigured: boolean;
  /** Made for the metric as edited (or answered again after `back`), not as first answered. */
  forEditedMetric?: boolean;
  /**
   * Made for a metric since edited: the card for the metric as it stands came below. The card then names
   * the metric it was made for, says its verdicts no longer count, and has no buttons (see suggestionsCard).
   */
  replacedBelow?: boolean;
  /** The metric as it was when this card was made, as the team wrote it (Slack text): quoted on a replaced card. */
  madeForMetric?: string;
}

/** How much of the earlier metric a replaced card quotes: enough to recognise it. */
export const MADE_FOR_METRIC_MAX = 150;

/** What a card made for an earlier metric says once the edited metric's card is posted below it (the metric it was made for is quoted in between). */
export const REPLACED_NOTE = '_Made for the metric before it was edited:_';
export const REPLACED_NOTE_END =
  '_The suggestions for the metric as it stands are below, and only the verdicts given there count on the summary and the score. Verdicts given here no longer count; they stay here and in the review’s history._';

/**
 * The note on a replaced card. The metric is quoted in a plain_text element:
 * people's words there cannot format, link or mention anyone.
 */
function replacedNote(options: SuggestionsMessageOptions): KnownBlock {
  const metric = options.madeForMetric === undefined ? '' : plainTextFromSlack(options.madeForMetric.replace(/\s+/g, ' ').trim(), MADE_FOR_METRIC_MAX);
  const elements: ContextBlockElement[] = [{ type: 'mrkdwn', text: REPLACED_NOTE }];
  if (metric !== '') elements.push({ type: 'plain_text', text: `“${metric}”`, emoji: false });
  elements.push({ type: 'mrkdwn', text: REPLACED_NOTE_END });
  return { type: 'context', elements };
}

function heading(options: SuggestionsMessageOptions): string {
  const metric = options.forEditedMetric ? 'the edited metric' : 'this metric';
  const title = `*How ${metric} could be won while the real goal is harmed*`;
  return options.replacedBelow ? title : `${title}\nMark each one relevant or not: relevant ones go on the summary card and raise the score.`;
}

function sourceNote(suggestions: Suggestion[], options: SuggestionsMessageOptions): string {
  if (!suggestions.some((item) => item.source === 'offline')) return SOURCE_NOTES.model;
  return options.modelConfigured ? SOURCE_NOTES.offlineFallback : SOURCE_NOTES.offlineNoModel;
}

export function suggestionsMessage(reviewId: string, suggestions: Suggestion[], options: SuggestionsMessageOptions): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: heading(options) },
    },
  ];
  if (options.replacedBelow) blocks.push(replacedNote(options));
  for (const item of suggestions.slice(0, 10)) {
    const verdict = item.verdict
      ? `\n_${item.verdict.relevant ? ':white_check_mark: Relevant' : ':heavy_minus_sign: Not relevant'} — <@${item.verdict.by}>_`
      : '';
    const reference = item.reference ? `\n_Source: ${plain(item.reference)}_` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${plain(item.title)}*\n${plain(item.why)}\n_Safeguard:_ ${plain(item.safeguard)}${reference}${verdict}`, LIMITS.sectionText),
      },
    });
    if (options.replacedBelow) continue;
    blocks.push({
      type: 'actions',
      block_id: `ar_sugg_${item.id}`.slice(0, 255),
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.suggestionRelevant,
          text: { type: 'plain_text', text: 'Relevant' },
          style: item.verdict?.relevant === true ? 'primary' : undefined,
          value: JSON.stringify({ r: reviewId, s: item.id }),
        },
        {
          type: 'button',
          action_id: ACTIONS.suggestionNotRelevant,
          text: { type: 'plain_text', text: 'Not relevant' },
          value: JSON.stringify({ r: reviewId, s: item.id }),
        },
      ],
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: sourceNote(suggestions, options) }] });
  return { text: 'Ways this metric could be gamed', blocks };
}

