/**
 * A refused edit that says the person does not know yet ("idk", "n/a") does
 * not offer `skip`: typed now, `skip` would skip the question asked now, not
 * the edited one. It says to edit the reply again or leave it. A new reply
 * that says the same is still offered `skip`.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReply } from '../../src/engine/answer-parse.js';
import type { Effect } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { Driver } from './helpers.js';

const { flows } = loadFlows({ builtinDir: fileURLToPath(new URL('../../flows', import.meta.url)) });
const quickCheck = flows.get('quick-check')!;
const metric = quickCheck.questions.find((question) => question.id === 'metric')!;

const EDIT_HINT = "To change the answer, edit your reply again with a real answer; if you don't know yet, leave it as it is.";

function refusalOf(effects: readonly Effect[]): string {
  const refused = effects.find((effect) => effect.type === 'edit_ignored');
  if (refused?.type !== 'edit_ignored' || refused.message === undefined) throw new Error(`no refused edit in ${JSON.stringify(effects)}`);
  return refused.message;
}

describe('an edit that says the person does not know yet', () => {
  it.each(['idk', 'n/a', 'TBD', "I don't know yet"])('%j to a written answer is refused without `skip`, with how to change or keep it', (text) => {
    const review = new Driver(quickCheck);
    review.replies('Shoppers want to find the right product quickly.');
    const metricTs = review.nextTs;
    review.replies('Click-through rate to the cart');
    const current = review.current;

    const message = refusalOf(review.send({ type: 'edit', messageTs: metricTs, text }).effects);

    expect(message).not.toContain('skip');
    expect(message).toBe(`${JSON.stringify(text)} is not an answer to this question. ${EDIT_HINT} Reply in your own words, for example: "${metric.example}"`);
    expect(review.state.answers.metric?.value).toEqual({ kind: 'text', text: 'Click-through rate to the cart' });
    expect(review.current).toBe(current);
  });

  it('to an option answer is refused without `skip`, with the answers', () => {
    const review = new Driver(quickCheck);
    review.replies('Shoppers want to find the right product quickly.', 'Click-through rate to the cart');
    expect(review.current).toBe('gaming');
    const gamingTs = review.nextTs;
    review.replies('1');

    const message = refusalOf(review.send({ type: 'edit', messageTs: gamingTs, text: 'n/a' }).effects);

    expect(message).not.toContain('skip');
    expect(message).toMatch(/^"n\/a" is not one of the answers\. To change the answer, edit your reply again with a real answer; if you don't know yet, leave it as it is\. The answers are:\n1\. /);
    expect(review.state.answers.gaming?.value).toEqual({ kind: 'options', optionIds: ['guarded'] });
  });

  it('as a new reply is still offered `skip`', () => {
    const review = new Driver(quickCheck);
    review.replies('Shoppers want to find the right product quickly.');
    const step = review.reply('idk');
    expect(step.effects).toEqual([{ type: 'invalid', questionId: 'metric', message: expect.stringContaining('reply `skip`') }]);
    const refused = parseReply(metric, 'idk', 'reply');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).not.toContain('edit your reply');
  });
});
