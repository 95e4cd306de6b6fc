/**
 * How much Redis memory one finished review takes. Builds a realistic
 * 25-question review (about 150-character answers, three suggestions, two
 * red-team scenarios), drives it through the store the way the drainer does
 * (enqueue, lock, peek, commit with outbox items, set the question's ref,
 * flush the outbox, unlock), then prints MEMORY USAGE of each key and the
 * total. Target: at most 8 KB.
 *
 *   npx tsx bench/store-memory.ts            (Redis at REDIS_URL or 127.0.0.1:6379)
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { REVIEW_SCHEMA_VERSION, type ReviewState } from '../src/engine/types.js';
import { packState } from '../src/store/codec.js';
import { createRedisConnection } from '../src/store/redis-connection.js';
import { RedisStore } from '../src/store/redis-store.js';

const QUESTION_IDS = [
  'system_description', 'human_goal', 'objective', 'proxy_metrics', 'metric_gaming', 'who_is_affected',
  'harm_if_wrong', 'reversibility', 'autonomy', 'tools_access', 'human_approval', 'escalation_path',
  'training_data', 'new_settings', 'adversarial_tests', 'interpretability', 'monitoring', 'outcome_review',
  'stakeholders', 'value_tradeoffs', 'policy_limits', 'rate_caps', 'rollback_plan', 'audit_logs', 'owner',
];

/** 25 different answers, as a team would write them: about 150 characters each, no two alike. */
const ANSWERS = [
  'It drafts replies to customer support tickets for our agents, who read, edit and send them. It never sends anything or closes a ticket by itself.',
  'Customers should get their actual problem solved on the first contact, and feel they were treated fairly, not just receive a quick response.',
  'The fine-tuning rewards drafts that agents accept without edits, and the dashboard tracks median time to first response for every queue.',
  'Acceptance rate, time to first response, and a thumbs up or down that agents give each draft. CSAT is collected but not used in training.',
  'Yes: short confident drafts get accepted more, so it could learn to skip asking for order numbers and promise things policy does not allow.',
  'Mostly customers with billing, delivery or account problems, plus the agents themselves. Some customers are elderly or write in a second language.',
  'A wrong draft could promise a refund we cannot give, leak account details to the wrong person, or give unsafe advice about a faulty heater.',
  'Most mistakes can be corrected in a follow-up message, but leaked personal data or a promised refund cannot really be taken back afterwards.',
  'It only suggests text. It has read access to order history and the help centre, and no write access to orders, refunds or customer accounts.',
  'Order lookup, help centre search and a translation tool. Tool calls are logged with the ticket id, and the order API is strictly read-only.',
  'Every draft is reviewed by a human agent before sending. Refunds above 50 euros and all security issues also need a team lead to approve them.',
  'Agents flag bad drafts with one click; flagged drafts go to the AI quality channel, which the support lead and one ML engineer triage daily.',
  'Two years of resolved tickets, with personal data removed. Tickets from before the 2023 refund policy change were dropped from the training set.',
  'We have not tested it much on new product lines or on holiday-season volume, which is when the ticket mix and customer tone change the most.',
  'A red-team session each quarter tries prompt injection through ticket text, requests for other customers\' data, and pressure to promise refunds.',
  'Only a little: we look at which help articles it retrieved for each draft, but we cannot explain why it picks one tone or phrasing over another.',
  'Weekly dashboards of acceptance, flags, reopen rate and escalations by queue. An alert fires if the flag rate doubles within a single day.',
  'Every month the support lead reads fifty random sent drafts and checks them against the policy and the real outcome of the ticket afterwards.',
  'Support agents, team leads, legal for refund wording, and the accessibility group for plain language. Customers are not consulted directly yet.',
  'Speed against accuracy, and kindness against firmness on refund requests. Agents decide; the model is told to prefer a correct answer over a fast one.',
  'The system prompt forbids promising refunds, sharing data of anyone but the requester, and giving medical, legal or electrical safety advice.',
  'At most one draft per ticket message, and a cap of two thousand drafts per hour across all queues before it switches itself off for an hour.',
  'A feature flag turns it off per queue in seconds; agents then write replies by hand as before. We rehearsed this once during the pilot phase.',
  'Drafts, agent edits, tool calls and flags are kept for 90 days with the ticket id, readable by the support lead and the ML on-call engineer.',
  'Maria Lopez, support operations lead, owns the system; Tom Berg from the ML platform team owns the model, the prompts and the monitoring.',
];

function answerText(i: number): string {
  return ANSWERS[i]!;
}

function startState(id: string): ReviewState {
  return {
    schema: REVIEW_SCHEMA_VERSION,
    id,
    flowId: 'standard',
    flowVersion: 3,
    systemName: 'Support reply assistant',
    startedBy: 'U04ABCDEF12',
    startedAt: '2024-05-01T10:00:00.000Z',
    status: 'active',
    currentQuestionId: QUESTION_IDS[0]!,
    asked: [QUESTION_IDS[0]!],
    answers: {},
    extraQuestions: [],
    suggestions: [],
    redTeam: [],
    history: [{ at: '2024-05-01T10:00:00.000Z', by: 'U04ABCDEF12', action: 'start' }],
  };
}

function answer(state: ReviewState, i: number, ts: string): ReviewState {
  const questionId = QUESTION_IDS[i]!;
  const next = QUESTION_IDS[i + 1] ?? null;
  const at = new Date(Date.parse('2024-05-01T10:00:00.000Z') + (i + 1) * 45_000).toISOString();
  const by = i % 4 === 0 ? 'U04ABCDEF12' : 'U05GHIJKL34';
  const value = { kind: 'text' as const, text: answerText(i) };
  const finished = next === null;
  return {
    ...state,
    status: finished ? 'completed' : state.status,
    finishedAt: finished ? at : undefined,
    currentQuestionId: next,
    asked: next ? [...state.asked, next] : state.asked,
    answers: { ...state.answers, [questionId]: { questionId, value, by, at, messageTs: ts } },
    suggestions:
      i === 4
        ? [0, 1, 2].map((n) => ({
            id: `s${n + 1}`,
            title: ['Agents accept drafts that close tickets early', 'Fast replies that promise what policy forbids', 'Acceptance rises while reopen rate rises'][n]!,
            why: 'Acceptance rate rewards drafts agents send unchanged, which can favour confident short answers over correct ones.',
            safeguard: 'Track reopen rate and refund escalations next to acceptance, and review a weekly sample.',
            area: 'reward_misspecification' as const,
            source: 'model' as const,
            afterQuestionId: 'metric_gaming',
            verdict: { relevant: n !== 1, by, at },
          }))
        : state.suggestions,
    redTeam: finished
      ? [
          { kind: 'wrong_proxy', scenario: 'The assistant learns that short drafts are accepted more often and stops asking for order numbers.' },
          { kind: 'harmful_shortcut', scenario: 'Under a backlog it suggests closing tickets with a generic apology that agents accept in bulk.' },
        ]
      : state.redTeam,
    history: [...state.history, { at, by, action: 'answer', questionId }, ...(finished ? [{ at, by, action: 'complete' as const }] : [])],
  };
}

function slackPost(id: string, text: string) {
  return { id, payload: { op: 'post', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] } };
}

async function main() {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench:${randomBytes(4).toString('hex')}`;
  // The clock moves 45 s per answer, as when a person answers steadily; it decides which dedupe marks are still live.
  let clock = Date.parse('2024-05-01T10:00:00.000Z');
  const store = new RedisStore({ redis: createRedisConnection({ url }), prefix, retentionDays: 90, now: () => clock });
  const inspect = new Redis(url);
  const team = 'T04TEAM0001';
  const reviewId = `r${randomBytes(6).toString('hex')}`;

  let state = startState(reviewId);
  await store.create({ placement: { teamId: team, channelId: 'C04CHAN0001', threadTs: '1714557600.000100', leadsChannel: 'C04LEADS001' }, state }, [
    slackPost('o:intro', 'Alignment review started'),
  ]);
  await store.outboxDone(team, reviewId, { itemIds: ['o:intro'] });

  const commitTimes: number[] = [];
  for (let i = 0; i < QUESTION_IDS.length; i++) {
    clock += 45_000;
    const ts = `${1714557600 + (i + 1) * 45}.000${String(200 + i).padStart(3, '0')}`;
    const input = { id: `m:${ts}`, seq: ts, payload: { type: 'reply', text: answerText(i), by: 'U05GHIJKL34', messageTs: ts } };
    // Dedupe on Slack's event id; the store also remembers the input id itself.
    await store.enqueue(team, reviewId, input, [`ev:Ev0${randomBytes(5).toString('hex').toUpperCase()}`], 600);
    // As a drain does: the lock, and with it the review and the input to apply.
    const loaded = await store.lockAndLoad(team, reviewId, 30_000, `drain-${i}`);
    const queued = loaded?.first;
    const record = loaded?.record;
    if (!loaded || !queued || !record) throw new Error('drain step failed');
    state = answer(record.state, i, ts);
    const outbox = [slackPost(`o:rec:${i}`, `Recorded: ${QUESTION_IDS[i]}`), slackPost(`o:ask:${i}`, `Next: ${QUESTION_IDS[i + 1] ?? 'summary'}`)];
    const started = process.hrtime.bigint();
    if (!(await store.commit(team, reviewId, record.version, state, queued.id, outbox))) throw new Error('commit refused');
    commitTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    await store.outboxDone(team, reviewId, {
      itemIds: outbox.map((item) => item.id),
      ref: { name: `q:${QUESTION_IDS[i + 1] ?? 'summary'}`, value: `${1714557600 + (i + 1) * 45}.000${String(300 + i).padStart(3, '0')}` },
    });
    await store.unlock(team, reviewId, loaded.token);
  }

  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await inspect.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  keys.sort();

  const json = JSON.stringify(state);
  console.log(`Finished review: ${QUESTION_IDS.length} answers, state JSON ${json.length} B, packed ${packState(state).length} B`);
  let total = 0;
  let lasting = 0;
  for (const key of keys) {
    const bytes = (await inspect.memory('USAGE', key, 'SAMPLES', 0)) ?? 0;
    const type = await inspect.type(key);
    const ttl = await inspect.ttl(key);
    total += bytes;
    if (!key.endsWith(':seen')) lasting += bytes;
    console.log(`${String(bytes).padStart(6)} B  ${type.padEnd(6)} ttl ${String(ttl).padStart(8)} s  ${key.slice(prefix.length + 1)}`);
  }
  console.log(`${String(total).padStart(6)} B  total in ${keys.length} keys (target <= 8192)`);
  console.log(`${String(lasting).padStart(6)} B  once the dedupe window has passed and the seen hash has expired`);
  const sorted = [...commitTimes].sort((a, b) => a - b);
  console.log(`commit round trip: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`);

  if (keys.length > 0) await inspect.del(...keys);
  await inspect.quit();
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
