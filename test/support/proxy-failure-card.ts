/**
 * A card of proxy-failure suggestions as the suggestions job stores it: one
 * run (`batch`), made for the metric answer `forMetric` (its fingerprint),
 * after the question `metric`, from the offline library. Ids are the batch
 * and the position, so tests can give verdicts by id ("one0").
 */
import { answerFingerprint } from '../../src/engine/review-additions.js';
import type { Suggestion } from '../../src/engine/types.js';

export type MadeSuggestion = Omit<Suggestion, 'verdict'>;

export function proxyFailureCard(forMetric: string, batch: string, titles: string[], why: (title: string) => string = (title) => `Why ${title} could happen.`): MadeSuggestion[] {
  return titles.map((title, index) => ({
    id: `${batch}${index}`,
    title,
    why: why(title),
    safeguard: 'What watches for it.',
    area: 'over_optimization',
    source: 'offline',
    afterQuestionId: 'metric',
    forAnswer: answerFingerprint({ kind: 'text', text: forMetric }),
    batch,
  }));
}
