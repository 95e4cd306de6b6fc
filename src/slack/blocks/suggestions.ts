/**
 * Suggestions in a review thread: proxy-failure suggestions, each with
 * Relevant / Not relevant buttons, and the note left on a posted question
 * when suggested follow-ups arrive and are asked before it.
 */
import type { KnownBlock } from '@slack/types';
import type { Suggestion } from '../../engine/types.js';
import { ACTIONS } from '../ids.js';
import type { SlackMessage } from './message.js';
import { LIMITS, plain, truncate } from './text.js';

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
  /** Suggestions for the metric as edited since came below: these stay, with their verdicts, but are not the latest. */
  replacedBelow?: boolean;
}

/** What a card made for an earlier metric says once the edited metric's card is posted below it. */
export const REPLACED_NOTE = '_Made for the metric before it was edited: the suggestions for the edited metric are below. Verdicts given here still count._';

function heading(options: SuggestionsMessageOptions): string {
  const metric = options.forEditedMetric ? 'the edited metric' : 'this metric';
  return `*How ${metric} could be won while the real goal is harmed*\nMark each one relevant or not: relevant ones go on the summary card and raise the score.`;
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
  if (options.replacedBelow) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: REPLACED_NOTE }] });
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

