/**
 * The export's "Suggestions and verdicts" section, card by card as the thread
 * showed them. Only some verdicts count (the rule at countedSuggestions: the
 * card made for the metric as it stands, each failure once, the verdict given
 * last), and a reader of the file has no thread to see which cards were
 * replaced, so each card says whether it counts and each suggestion says
 * whether its verdict does. A card made for an earlier metric quotes that
 * metric, as its message in the thread does. Pure.
 */
import { countedSuggestions, suggestionCounts } from '../engine/review-additions.js';
import type { ReviewState, Suggestion } from '../engine/types.js';
import { cardOf, metricMadeFor } from '../reviews/suggestion-cards.js';

export interface SuggestionWords {
  /** A person id as the export shows it. */
  person: (id: string) => string;
  /** A stored ISO time as the export shows it. */
  when: (iso: string) => string;
  /** People's text with Slack's markup as words. */
  words: (text: string) => string;
}

export const SUGGESTIONS_RULE =
  'Only the verdicts on the suggestions made for the metric as it stands count on the summary and the score; a failure suggested more than once counts once, with the verdict given on it last.';
export const COUNTING_CARD = 'For the metric as it stands';
export const EARLIER_CARD = 'For the metric before it was edited';
export const EARLIER_CARD_NOTE = '_Verdicts given on these no longer count: the metric was edited after they were made. They stay here and in the history._';
export const COUNTS_YES = 'Counts: yes';
export const COUNTS_ONCE = 'Counts: no, the same failure is counted once, with the verdict given on it last (listed in this section too)';
export const COUNTS_EARLIER = 'Counts: no, made for the metric before it was edited';

/** The cards in the order they were posted, each with its suggestions in the order they were added. */
function cardsInOrder(state: ReviewState): Suggestion[][] {
  const placed = new Set<string>();
  const cards: Suggestion[][] = [];
  for (const item of state.suggestions) {
    if (placed.has(item.id)) continue;
    const card = cardOf(state, item);
    for (const other of card) placed.add(other.id);
    cards.push(card);
  }
  return cards;
}

/** A quoted metric on one line: a heading cannot hold a line break. */
function quotedMetric(metric: string | undefined, text: SuggestionWords): string {
  if (metric === undefined) return '';
  const line = text.words(metric).replace(/\s+/g, ' ').trim();
  return line === '' ? '' : `: “${line}”`;
}

function verdictLine(item: Suggestion, text: SuggestionWords): string {
  if (!item.verdict) return '  - Verdict: none given';
  return `  - Verdict: ${item.verdict.relevant ? 'relevant' : 'not relevant'}, by ${text.person(item.verdict.by)} on ${text.when(item.verdict.at)}`;
}

function suggestionLines(item: Suggestion, counts: string, text: SuggestionWords): string[] {
  return [
    `- **${item.title}** (${item.area.replace(/_/g, ' ')}, ${item.source === 'model' ? 'from the model' : 'from the offline library'}) — ${item.why}`,
    `  - Safeguard: ${item.safeguard}`,
    ...(item.reference ? [`  - Reference: ${item.reference}`] : []),
    verdictLine(item, text),
    `  - ${counts}`,
  ];
}

function cardLines(state: ReviewState, card: Suggestion[], counted: ReadonlySet<string>, text: SuggestionWords): string[] {
  const metric = quotedMetric(metricMadeFor(state, card[0]!), text);
  // Every suggestion of a card counts or none does: the rule is per card, then per failure.
  if (!suggestionCounts(state, card[0]!)) {
    return [`### ${EARLIER_CARD}${metric}`, '', EARLIER_CARD_NOTE, '', ...card.flatMap((item) => suggestionLines(item, COUNTS_EARLIER, text))];
  }
  return [`### ${COUNTING_CARD}${metric}`, '', ...card.flatMap((item) => suggestionLines(item, counted.has(item.id) ? COUNTS_YES : COUNTS_ONCE, text))];
}

/** The section's lines: the rule when any verdict does not count, then each card. */
export function suggestionSectionLines(state: ReviewState, text: SuggestionWords): string[] {
  if (state.suggestions.length === 0) return ['No suggestions were made.'];
  const counted = new Set(countedSuggestions(state).map((item) => item.id));
  const cards = cardsInOrder(state).map((card) => cardLines(state, card, counted, text));
  const rule = counted.size < state.suggestions.length ? [SUGGESTIONS_RULE, ''] : [];
  return [...rule, ...cards.flatMap((lines, index) => (index === 0 ? lines : ['', ...lines]))];
}
