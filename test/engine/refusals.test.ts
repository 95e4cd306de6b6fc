/**
 * Two things a refusal gets right. A written question refuses a reply that
 * says nothing about it ("yes", "ok", "n/a", "👍") with what an answer looks
 * like, and changes nothing; short real answers ("CTR") and the words that
 * steer a review stay as they were. And a refusal quotes the reply so that
 * the quote stays a quote: one line, cut between whole pieces, no formatting
 * or direction change that reaches past it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReply } from '../../src/engine/answer-parse.js';
import { interpretWord } from '../../src/engine/words.js';
import type { Question } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { Driver, effectTypes, flowFrom } from './helpers.js';

const { flows } = loadFlows({ builtinDir: fileURLToPath(new URL('../../flows', import.meta.url)) });
const quickCheck = flows.get('quick-check')!;
const shipped = (flowId: string, questionId: string): Question => flows.get(flowId)!.questions.find((question) => question.id === questionId)!;
// "What metric or signal tells you it is working — what is it optimised or judged on?" (min_length 3)
const metric = shipped('quick-check', 'metric');
const EXAMPLE = '"Click-through rate from the product page to the cart."';
const METRIC_EXAMPLE = `Reply in your own words, for example: ${EXAMPLE}`;
const SKIP = "If you don't know yet, reply `skip`: the question stays open in the summary.";

const refusal = (reply: string) => `${JSON.stringify(reply)} is not an answer to this question. ${METRIC_EXAMPLE}`;
/** A reply that says the person does not know (yet) is offered `skip` first. */
const notKnownRefusal = (reply: string) => `${JSON.stringify(reply)} is not an answer to this question. ${SKIP} Otherwise, reply in your own words, for example: ${EXAMPLE}`;

describe('a written question and a reply that says nothing about it', () => {
  it.each(['yes', 'Yes.', 'no', 'NO!', 'ok', 'okay', 'sure', 'yep', 'nope', 'thanks', '👍', ':+1:', 'yes 👍', '...', '?'])('%j is refused with what an answer looks like', (reply) => {
    expect(parseReply(metric, reply)).toEqual({ ok: false, message: refusal(reply) });
  });

  it.each(['n/a', 'N/A', 'idk', 'IDK 🤷', 'no idea', "I don't know", 'I don’t know yet', 'not sure yet', 'TBD', 'tbc', 'dunno', 'unknown'])(
    '%j says the person does not know yet: it is refused with `skip` offered, then what an answer looks like',
    (reply) => {
      expect(parseReply(metric, reply)).toEqual({ ok: false, message: notKnownRefusal(reply) });
    },
  );

  it('offers `skip` on an option question too, and on a written question without an example', () => {
    const actions = shipped('alignment-review', 'actions');
    const result = parseReply(actions, 'n/a');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^"n\/a" is not one of the answers\. If you don't know yet, reply `skip`: the question stays open in the summary\. Otherwise, the answers are:\n1\. /);
    const teleports = parseReply(actions, 'teleports');
    if (!teleports.ok) expect(teleports.message).not.toContain('skip');
    const noExample: Question = { ...metric, example: undefined };
    expect(parseReply(noExample, 'tbd')).toEqual({ ok: false, message: `"tbd" is not an answer to this question. ${SKIP} Otherwise, reply in your own words (at least 3 characters).` });
  });

  it('says what an answer looks like when one is too short, with the example in the same quote marks as the reply', () => {
    const goal = shipped('alignment-review', 'human_goal');
    expect(goal.minLength).toBe(10);
    expect(parseReply(goal, 'Fast help')).toEqual({ ok: false, message: `Please write at least 10 characters (yours has 9). For example: "${goal.example}"` });
  });

  it('is refused on every shipped question that asks for words, long enough or not', () => {
    for (const [flowId, questionId] of [['alignment-review', 'metric'], ['alignment-review', 'human_goal'], ['agent-autonomy', 'success_metric'], ['quick-check', 'human_goal']] as const) {
      const question = shipped(flowId, questionId);
      for (const reply of ['yes', 'I don’t know yet', 'yes of course']) {
        const result = parseReply(question, reply);
        expect(result.ok, `${flowId}.${questionId}: ${reply}`).toBe(false);
        const instead = reply === 'yes' || reply === 'yes of course' ? 'Reply' : `${SKIP} Otherwise, reply`;
        if (!result.ok) expect(result.message).toBe(`${JSON.stringify(reply)} is not an answer to this question. ${instead} in your own words, for example: "${question.example}"`);
      }
    }
  });

  it('says how long an answer must be when the question has no example', () => {
    const flow = flowFrom(`
id: no-example
version: 1
title: No example
description: A written question without an example.
questions:
  - id: goal
    kind: text
    prompt: What do people actually want from it?
    min_length: 10
`);
    expect(parseReply(flow.questions[0]!, 'nope')).toEqual({ ok: false, message: '"nope" is not an answer to this question. Reply in your own words (at least 10 characters).' });
  });

  it('changes nothing: the question is still waiting, and skip, back and status still steer the review', () => {
    const review = new Driver(quickCheck);
    review.replies('Shoppers want to find the right product quickly.');
    expect(review.current).toBe('metric');
    const before = review.state;
    const refused = review.reply('yes');
    expect(refused.effects).toEqual([{ type: 'invalid', questionId: 'metric', message: refusal('yes') }]);
    expect(review.state.answers).toEqual(before.answers);
    expect(review.current).toBe('metric');
    // The words that steer a review are read before any reply is parsed, and none of them is refused.
    for (const word of ['skip', 'back', 'status', 'help', 'pause', 'resume', 'cancel', 'finish'] as const) expect(interpretWord(word)).toBe(word);
    expect(effectTypes(review.send({ type: 'skip' }).effects)).toContain('recorded');
    expect(review.state.answers.metric?.value).toEqual({ kind: 'skipped' });
    review.send({ type: 'back' });
    expect(review.current).toBe('metric');
    review.replies('CTR');
    expect(review.state.answers.metric?.value).toEqual({ kind: 'text', text: 'CTR' });
  });

  it('is refused as an edit too, and the earlier answer stands', () => {
    const review = new Driver(quickCheck);
    review.replies('Shoppers want to find the right product quickly.');
    const metricTs = review.nextTs;
    review.replies('Click-through rate to the cart');
    const edit = review.send({ type: 'edit', messageTs: metricTs, text: 'ok' });
    expect(edit.effects).toEqual([{ type: 'edit_ignored', reason: 'invalid', message: refusal('ok') }]);
    expect(review.state.answers.metric?.value).toEqual({ kind: 'text', text: 'Click-through rate to the cart' });
  });
});

describe('the other side of the line', () => {
  it.each(['CTR', 'NPS', 'p95 latency', 'revenue', 'None', 'No personal data is used', 'Yes, CTR', 'not sure, maybe CTR', 'R&amp;D spend'])('%j is an answer', (reply) => {
    expect(parseReply(metric, reply)).toEqual({ ok: true, value: { kind: 'text', text: reply } });
  });

  it('a written question that takes any reply (the default, and the model’s follow-ups) takes "no"', () => {
    const flow = flowFrom(`
id: any-reply
version: 1
title: Any reply
description: A written question with no minimum.
questions:
  - id: anything_else
    kind: text
    prompt: Anything else the reviewers should know?
`);
    expect(parseReply(flow.questions[0]!, 'No')).toEqual({ ok: true, value: { kind: 'text', text: 'No' } });
    const followUp: Question = { ...metric, id: 'follow_up', prompt: 'Does anyone check its output?', example: undefined, minLength: 1, suggested: true };
    expect(parseReply(followUp, 'no')).toEqual({ ok: true, value: { kind: 'text', text: 'no' } });
  });

  it('yes/no questions still take "yes" and "no"', () => {
    const approval = shipped('alignment-review', 'human_approval');
    expect(parseReply(approval, 'yes')).toEqual({ ok: true, value: { kind: 'options', optionIds: ['yes'] } });
    expect(parseReply(approval, 'no')).toEqual({ ok: true, value: { kind: 'options', optionIds: ['no'] } });
  });
});

describe('how a refusal quotes the reply', () => {
  const approval = shipped('alignment-review', 'human_approval');
  const quoteOf = (reply: string): string => {
    const result = parseReply(approval, reply);
    if (result.ok) throw new Error(`${reply} was taken`);
    return /^(".*?") (?:is not one of|could be)/s.exec(result.message)![1]!;
  };

  it('never cuts a mention, a broadcast or a link in half: a half would show as raw markup', () => {
    expect(quoteOf('we would have to ask the ops lead, <@U0123ABC>, first')).toBe('"we would have to ask the ops lead,…"');
    expect(quoteOf('the team decides and announces it to <!channel> in the morning')).toBe('"the team decides and announces it to…"');
    expect(quoteOf('ask <@U0123ABC> about it')).toBe('"ask <@U0123ABC> about it"');
  });

  it('never cuts an entity or a character in half', () => {
    expect(quoteOf(`${'a'.repeat(37)}&amp;&amp;&amp;b`)).toBe(`"${'a'.repeat(37)}&amp;&amp;…"`);
    expect(quoteOf(`${'a'.repeat(38)}😀😀`)).toBe(`"${'a'.repeat(38)}…"`);
  });

  it('stays on one line, with no direction change and no formatting that reaches past it', () => {
    expect(quoteOf('later\n&gt; quoted\n• item')).toBe('"later &gt; quoted • item"');
    expect(quoteOf('perhaps \u202Eesrever')).toBe('"perhaps esrever"');
    expect(quoteOf('```rm -rf``` *bold _it_ ~x~')).toBe('"ˋˋˋrm -rfˋˋˋ ∗bold ˍitˍ ∼x∼"');
  });

  it('keeps a mark that can neither open nor close formatting as typed, and replaces every other one', () => {
    // Between two letters or digits, or between two spaces, Slack formats nothing.
    expect(quoteOf('snake_case 2*3 a ~ b x_1')).toBe('"snake_case 2*3 a ~ b x_1"');
    // Next to a space on one side only, or the quote's ends, a mark could pair with one after the quote: replaced.
    expect(quoteOf('*x _y z_ ~')).toBe('"∗x ˍy zˍ ∼"');
    // A backtick starts code anywhere.
    expect(quoteOf('a`b')).toBe('"aˋb"');
    // Cut short, a mark before the "…" could open formatting: replaced, though a space followed it before the cut.
    expect(quoteOf(`${'a'.repeat(37)} * more words`)).toBe(`"${'a'.repeat(37)} ∗…"`);
  });

  it('shows the reply as typed, without escapes', () => {
    expect(quoteOf('perhaps "later" in C:\\temp')).toBe('"perhaps "later" in C:\\temp"');
  });
});
