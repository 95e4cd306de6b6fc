/**
 * Property-based fuzzing of the parts people's text flows through, driven
 * directly (no HTTP) so that many thousands of cases run in seconds: the
 * text neutralisers, the slash command parser, the Block Kit builders over
 * whole reviews with hostile answers and model output, and the listeners
 * with payloads of any shape. Every message produced must stay within
 * Block Kit's limits and carry no mention or link the app did not put there.
 * fuzz-http.test.ts sends a smaller number through the real endpoint.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applyInput, buildSummary, startReview as startEngineReview } from '../../src/engine/index.js';
import type { ReviewInput, ReviewState, Step } from '../../src/engine/types.js';
import { renderStep } from '../../src/reviews/render-step.js';
import { startReview } from '../../src/reviews/start-review.js';
import { blocksAsText } from '../../src/slack/blocks/as-text.js';
import { rootMessage } from '../../src/slack/blocks/root-message.js';
import { summaryCardMessages } from '../../src/slack/blocks/summary-card.js';
import { fromSlack, plain, plainTextFromSlack, quoteAnswer, truncate } from '../../src/slack/blocks/text.js';
import { parseCommandText } from '../../src/slack/listeners/commands/parse-command.js';
import { answerOptionAction, multiSubmitAction, suggestionVerdictAction } from '../../src/slack/listeners/actions/review-actions.js';
import type { ListenerContext } from '../../src/slack/listeners/context.js';
import { threadMessageListener } from '../../src/slack/listeners/messages/thread-message.js';
import { startReviewSubmitted } from '../../src/slack/listeners/views/start-review-submitted.js';
import { packState, unpackState } from '../../src/store/codec.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { messageProblems, mentionProblems, type Allowed } from '../support/fault-checks.js';
import { inProcessReviews } from '../support/fault-deps.js';
import { recordFigure } from '../support/fault-figures.js';
import { hostileText, hostileTextAnySize } from '../support/fault-text.js';

const ALICE = 'U0ALICE';
const CHANNEL = 'C0REVIEW';
const LEADS = 'C0LEADS';
const THREAD_LINK = 'https://standin.example/archives/C0REVIEW/p1700000000000100';
/** Who acts in these tests (never U0CAROL, whom the hostile text mentions): the app may name them. */
const ACTORS = [ALICE, 'U0BOB', 'W0ENT'];
const ALLOWED: Allowed = { users: new Set(ACTORS), channels: new Set([CHANNEL, LEADS]), links: new Set([`<${THREAD_LINK}|Open the review thread>`]) };
const NOTHING: Allowed = { users: new Set(), channels: new Set(), links: new Set() };

/** Cases tried per kind; messagesChecked counts the messages those cases produced. */
const tried: Record<string, number> = {};
let messagesChecked = 0;
const count = (name: string) => {
  tried[name] = (tried[name] ?? 0) + 1;
};

afterAll(() => {
  const cases = Object.values(tried).reduce((sum, n) => sum + n, 0);
  recordFigure('fuzz-pure', { ...tried, cases, messagesChecked });
  expect(cases).toBeGreaterThanOrEqual(10_000);
});

describe('text neutralisers', () => {
  it('fromSlack, plain, quoteAnswer and plainTextFromSlack never let a mention or link through and respect their lengths', () => {
    fc.assert(
      fc.property(hostileTextAnySize, fc.integer({ min: 1, max: 3000 }), (text, max) => {
        count('text');
        for (const safe of [fromSlack(text), plain(text)]) {
          expect(safe).not.toMatch(/[<>]/);
          expect(mentionProblems(safe, NOTHING)).toEqual([]);
        }
        const quoted = quoteAnswer(text, max);
        expect(quoted.length).toBeLessThanOrEqual(max);
        expect(mentionProblems(quoted, NOTHING)).toEqual([]);
        expect(plainTextFromSlack(text, max).length).toBeLessThanOrEqual(max);
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        if (text.length <= max) expect(cut).toBe(text);
        else expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the slash command parser', () => {
  it('answers any text with a request whose words are safe to show', () => {
    fc.assert(
      fc.property(fc.oneof(hostileTextAnySize, hostileText.map((text) => `export ${text}`), hostileText.map((text) => `--flow ${text}`), hostileText.map((text) => `delete ${text}`)), (text) => {
        count('command');
        const request = parseCommandText(text);
        expect(['modal', 'help', 'list', 'config_leads', 'config_show', 'export', 'delete', 'start', 'error']).toContain(request.kind);
        if (request.kind === 'start') {
          expect(request.systemName.trim()).not.toBe('');
          expect(request.flowId).not.toMatch(/\s/);
        }
        if (request.kind === 'error') expect(mentionProblems(request.message, NOTHING)).toEqual([]);
        if (request.kind === 'config_leads') expect(request.channel).toMatch(/^[CG][A-Z0-9]+$/);
      }),
      { numRuns: 3000 },
    );
  });
});

/** One step a hostile review may take. */
const action = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('valid' as const), pick: fc.nat(5) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('reply' as const), text: hostileTextAnySize }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('skip' as const, 'back' as const, 'pause' as const, 'resume' as const, 'finish' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(30), text: hostileTextAnySize }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('model' as const), texts: fc.array(hostileTextAnySize, { minLength: 4, maxLength: 4 }), pick: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('decide' as const), text: hostileText }) },
);
type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

function inputFor(flowId: string, state: ReviewState, step: Action, index: number): ReviewInput {
  const by = { by: ALICE, at: new Date(1_700_000_000_000 + index * 60_000).toISOString() };
  const ts = `17000${String(index).padStart(5, '0')}.000100`;
  switch (step.kind) {
    case 'valid':
      return { type: 'reply', text: ['1', '2', '1, 2', 'A considered answer about the goal and the metric.', 'yes', 'no'][step.pick]!, messageTs: ts, ...by };
    case 'reply':
      return { type: 'reply', text: step.text, messageTs: ts, ...by };
    case 'edit': {
      const answered = Object.values(state.answers).filter((answer) => answer.messageTs);
      const target = answered[step.pick % Math.max(1, answered.length)]?.messageTs ?? ts;
      return { type: 'edit', messageTs: target, text: step.text, ...by };
    }
    case 'model': {
      const [title, why, safeguard, prompt] = step.texts as [string, string, string, string];
      const after = state.currentQuestionId ?? state.asked.at(-1) ?? 'none';
      switch (step.pick % 4) {
        case 0:
          return { type: 'add_suggestions', suggestions: [{ id: `s${index}`, title, why, safeguard, area: 'reward_misspecification', source: 'model', afterQuestionId: after }], ...by };
        case 1:
          return { type: 'add_questions', afterQuestionId: after, questions: [{ id: `q${index}`, prompt, help: why }], ...by };
        case 2:
          return { type: 'add_redteam', scenarios: [{ kind: 'wrong_proxy', scenario: title }], ...by };
        default: {
          const suggestion = state.suggestions[step.pick % Math.max(1, state.suggestions.length)];
          return { type: 'verdict', suggestionId: suggestion?.id ?? 'none', relevant: step.pick % 2 === 0, ...by };
        }
      }
    }
    case 'decide':
      return { type: 'decide', outcome: 'approved_with_conditions', conditions: step.text, ...by };
    default:
      return { type: step.kind, ...by };
  }
  void flowId;
}

describe('the Block Kit builders over whole reviews', () => {
  it('render every step of a review with hostile answers and model output within limits and without stray mentions', () => {
    const { deps } = inProcessReviews(new MemoryStore({ retentionDays: 1 }));
    const flows = [...deps.flows.values()];
    fc.assert(
      fc.property(fc.nat(flows.length - 1), hostileTextAnySize, fc.array(action, { maxLength: 45 }), (flowIndex, systemName, steps) => {
        count('review');
        const flow = flows[flowIndex]!;
        const placement = { teamId: 'T0001', channelId: CHANNEL, threadTs: '1700000000.000100' };
        let step: Step = startEngineReview(flow, { id: 'RFUZZ001', systemName, startedBy: ALICE, at: new Date(1_700_000_000_000).toISOString() });
        const check = (before: ReviewState, current: Step) => {
          const ops = renderStep({ flow, placement, before, step: current, actor: ALICE, leadsChannel: LEADS, threadLink: THREAD_LINK, modelConfigured: true });
          for (const op of ops) {
            if (op.op === 'job') continue;
            messagesChecked += 1;
            expect(messageProblems(op, ALLOWED), `${op.op} after ${current.effects.map((effect) => effect.type).join(',')}`).toEqual([]);
            if (op.blocks) expect(messageProblems({ text: blocksAsText(op.blocks, op.text) }, ALLOWED)).toEqual([]);
          }
        };
        check(step.state, step);
        steps.forEach((next, index) => {
          const before = step.state;
          step = applyInput(flow, before, inputFor(flow.id, before, next, index + 1));
          check(before, step);
        });
        // Whatever happened, the state survives storage and still renders.
        expect(unpackState(packState(step.state))).toEqual(JSON.parse(JSON.stringify(step.state)));
        for (const message of [...summaryCardMessages(buildSummary(flow, step.state), step.state.decision), rootMessage({ systemName, startedBy: ALICE, flow, questionCount: 3, reviewId: 'RFUZZ001', respondents: [ALICE] })]) {
          messagesChecked += 1;
          expect(messageProblems(message, ALLOWED)).toEqual([]);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

/** Payloads of any shape, and near-valid ones with hostile fields, aimed at a real review's thread. */
function eventArbitrary(threadTs: string) {
  const nearValid = fc.record({
    type: fc.constant('message'),
    subtype: fc.option(fc.constantFrom('thread_broadcast', 'message_changed', 'bot_message', 'file_share', 'channel_join', 'weird'), { nil: undefined }),
    channel: fc.oneof(fc.constant(CHANNEL), hostileText),
    user: fc.oneof(fc.constant(ALICE), fc.constantFrom('U0BOB', 'U0BOT', 'W0ENT'), hostileText),
    text: hostileTextAnySize,
    ts: fc.oneof(fc.integer({ min: 1, max: 99_999 }).map((n) => `1800000000.${String(n).padStart(6, '0')}`), hostileText),
    thread_ts: fc.oneof(fc.constant(threadTs), hostileText),
    parent_user_id: fc.option(fc.constant('U0BOT'), { nil: undefined }),
    message: fc.option(fc.record({ user: fc.constant(ALICE), text: hostileTextAnySize, ts: fc.constant('1800000000.000001'), thread_ts: fc.constant(threadTs), edited: fc.option(fc.record({ ts: fc.constant('1800000001.000001') }), { nil: undefined }) }), { nil: undefined }),
    previous_message: fc.option(fc.record({ text: hostileText }), { nil: undefined }),
  });
  // Bolt routes only objects of type "message" here; every other field may be anything.
  const anyShape = fc.tuple(fc.object(), fc.dictionary(fc.constantFrom('subtype', 'channel', 'user', 'text', 'ts', 'thread_ts', 'message', 'bot_id'), fc.anything())).map(([object, fields]) => ({ ...object, ...fields, type: 'message' }));
  return fc.oneof({ weight: 4, arbitrary: nearValid }, { weight: 1, arbitrary: anyShape });
}

const noopAck = async () => undefined;

describe('the listeners with payloads of any shape', () => {
  it('take thread messages, clicks and modal submissions of any shape without throwing or posting anything unsafe', async () => {
    const reviews = inProcessReviews(new MemoryStore({ retentionDays: 1 }));
    const started = await startReview(reviews.deps, reviews.inbox, reviews.client, { teamId: 'T0001', channelId: CHANNEL, userId: ALICE, systemName: 'Fuzz target', flowId: 'alignment-review' });
    if (!started.ok) throw new Error(started.message);
    const ctx: ListenerContext = { deps: reviews.deps, inbox: reviews.inbox, botUserId: 'U0BOT', leads: { handle: async () => undefined } };
    const onMessage = threadMessageListener(ctx);
    const onAnswer = answerOptionAction(ctx);
    const onSubmit = multiSubmitAction(ctx);
    const onVerdict = suggestionVerdictAction(ctx, true);
    const onModal = startReviewSubmitted(ctx);

    await fc.assert(
      fc.asyncProperty(eventArbitrary(started.threadTs), async (event) => {
        count('listener');
        await onMessage({ event, body: { team_id: 'T0001', event_id: 'Ev1' }, client: reviews.client, context: { teamId: 'T0001' } } as never);
      }),
      { numRuns: 1800 },
    );
    const actionValue = fc.oneof(
      hostileText,
      fc.record({ r: fc.oneof(fc.constant(started.reviewId), hostileText), q: fc.oneof(fc.constant('system'), hostileText), o: fc.option(hostileText, { nil: undefined }), s: fc.option(hostileText, { nil: undefined }) }).map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(actionValue, fc.anything(), fc.constantFrom(onAnswer, onSubmit, onVerdict), async (value, extra, listener) => {
        count('listener');
        const body = {
          team: { id: 'T0001' },
          user: { id: ALICE, team_id: 'T0001' },
          channel: { id: CHANNEL },
          message: { ts: '1700000000.000200', thread_ts: started.threadTs },
          state: { values: { ar_q_multi: { ar_multi_select: { selected_options: typeof extra === 'string' ? [{ value: extra }] : [] } } } },
          extra,
        };
        await listener({ ack: noopAck, action: { value, action_ts: '1800000000.500000' }, body, client: reviews.client } as never);
      }),
      { numRuns: 700 },
    );
    await fc.assert(
      fc.asyncProperty(hostileTextAnySize, hostileText, fc.anything(), async (systemName, flowId, metadata) => {
        count('listener');
        const view = {
          private_metadata: typeof metadata === 'string' ? metadata : JSON.stringify({ channelId: CHANNEL, metadata }),
          state: { values: { ar_in_flow: { ar_flow: { selected_option: { value: flowId } } }, ar_in_system: { ar_system: { value: systemName } } } },
        };
        await onModal({ ack: noopAck, view, body: { team: { id: 'T0001' }, user: { id: ALICE, team_id: 'T0001' } }, client: reviews.client } as never);
      }),
      { numRuns: 300 },
    );

    for (const call of reviews.calls) {
      if (!['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(call.method)) continue;
      expect(messageProblems(call.args, ALLOWED), call.method).toEqual([]);
    }
    // The review took every one of those inputs and still loads and goes on.
    const record = (await reviews.deps.store.get('T0001', started.reviewId))!;
    expect(record.state.id).toBe(started.reviewId);
    expect(await reviews.deps.store.peek('T0001', started.reviewId)).toBeNull();
  });
});
