/**
 * Many drains of one review at once in one process (a burst of replies, each
 * delivery draining): they share one drain instead of each polling the
 * review's lock, and every input is applied once, in order.
 */
import { describe, expect, it } from 'vitest';
import { applyInput, startReview } from '../../src/engine/index.js';
import type { Flow, ReviewState } from '../../src/engine/types.js';
import { decodeRef } from '../../src/reviews/outbox.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { ReviewDeps } from '../../src/reviews/deps.js';
import type { ReviewStore } from '../../src/store/types.js';
import { takeLock } from '../store/fixtures.js';
import { inProcessReviews, type InProcessReviews } from '../support/fault-deps.js';
import { planReview, seededRandom } from '../support/review-plan.js';

const TEAM = 'T0001';

/** The store, counting the calls of each method. */
function counting(store: ReviewStore): { store: ReviewStore; calls: (method: keyof ReviewStore) => number } {
  const counts = new Map<PropertyKey, number>();
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls: (method) => counts.get(method) ?? 0 };
}

/** A review of `flow` just started and stored in the review thread, as the slash command leaves it. */
async function storedReview(store: ReviewStore, flow: Flow, id: string): Promise<ReviewState> {
  const state = startReview(flow, { id, systemName: id, startedBy: 'U0ALICE', at: new Date().toISOString() }).state;
  await store.create({ placement: { teamId: TEAM, channelId: 'C0REVIEWS', threadTs: '1700000000.000100' }, state }, []);
  return state;
}

function reply(text: string, ts: string) {
  return { id: `m:${ts}`, seq: ts, input: { type: 'reply' as const, text, messageTs: ts, by: 'U0ALICE', at: new Date().toISOString() } };
}

describe('draining one review from many deliveries at once', () => {
  it('applies 20 queued replies once each, in order, taking the lock a few times instead of once per delivery', async () => {
    const { store, calls } = counting(new MemoryStore({ retentionDays: 1 }));
    const { deps, inbox } = inProcessReviews(store);
    const flow = deps.flows.get('alignment-review')!;
    const plan = planReview(flow, 'burst', seededRandom(3)).slice(0, 20);
    const state = await storedReview(store, flow, 'RBURST01');

    const sent = plan.map((reply, index) => ({ ...reply, ts: `1700000100.${String(index + 1).padStart(6, '0')}` }));
    // Every delivery queues its reply and drains, all at the same moment.
    await Promise.all(
      sent.map((each) =>
        inbox.submit(TEAM, state.id, reply(each.text, each.ts), []),
      ),
    );

    const after = (await store.get(TEAM, state.id))!.state;
    expect(after.asked.slice(0, sent.length)).toEqual(sent.map((reply) => reply.questionId));
    for (const reply of sent) expect(after.answers[reply.questionId]).toMatchObject({ value: reply.value, messageTs: reply.ts });
    expect(after.history.filter((entry) => entry.action === 'answer')).toHaveLength(sent.length);
    expect(await store.peek(TEAM, state.id)).toBeNull();
    expect(calls('lockAndLoad')).toBeLessThanOrEqual(3);
  });

  it('applies a burst of people’s replies once each, in order, when each enqueue may take the lock itself', async () => {
    const { store, calls } = counting(new MemoryStore({ retentionDays: 1 }));
    const { deps, inbox } = inProcessReviews(store);
    const flow = deps.flows.get('alignment-review')!;
    const plan = planReview(flow, 'taken', seededRandom(4)).slice(0, 20);
    const state = await storedReview(store, flow, 'RTAKEN01');
    const limit = { person: 'U0ALICE', max: 60, windowSeconds: 60 };

    const sent = plan.map((reply, index) => ({ ...reply, ts: `1700000100.${String(index + 1).padStart(6, '0')}` }));
    await Promise.all(
      sent.map(async (each) => {
        const result = await inbox.enqueueCounted(TEAM, state.id, reply(each.text, each.ts), [], limit);
        expect(result.outcome).toBe('queued');
        await inbox.drain(TEAM, state.id, result);
      }),
    );

    const after = (await store.get(TEAM, state.id))!.state;
    expect(after.asked.slice(0, sent.length)).toEqual(sent.map((reply) => reply.questionId));
    expect(after.history.filter((entry) => entry.action === 'answer')).toHaveLength(sent.length);
    expect(await store.peek(TEAM, state.id)).toBeNull();
    expect(calls('enqueueCounted')).toBe(sent.length);
    expect(calls('lockAndLoad')).toBeLessThanOrEqual(3);
    // Whoever took the lock drained everything; nobody waits on a lock left behind.
    expect(await takeLock(store, TEAM, state.id, 1000)).not.toBeNull();
  });

  it('queues, takes the lock and reads the review in one store call when nothing else drains the review, and commits and lets go in one more', async () => {
    const { store, calls } = counting(new MemoryStore({ retentionDays: 1 }));
    const { deps, inbox, calls: slackCalls } = inProcessReviews(store);
    const flow = deps.flows.get('quick-check')!;
    const [first] = planReview(flow, 'one', seededRandom(6));
    const state = await storedReview(store, flow, 'RONECALL');

    const result = await inbox.enqueueCounted(TEAM, state.id, reply(first!.text, '1700000100.000001'), [], { person: 'U0ALICE', max: 60, windowSeconds: 60 });
    expect(result.loaded?.first?.id).toBe('m:1700000100.000001');
    // Held by the enqueue until the drain lets go.
    expect(await takeLock(store, TEAM, state.id, 1000)).toBeNull();
    const triedBefore = calls('lockAndLoad');
    await inbox.drain(TEAM, state.id, result);

    expect((await store.get(TEAM, state.id))!.state.answers[first!.questionId]).toBeDefined();
    expect(slackCalls.map((call) => call.method)).toContain('chat.postMessage');
    // The next question went out before the commit, which also released the lock: no unlock call.
    expect([calls('enqueueCounted'), calls('lockAndLoad') - triedBefore, calls('commit'), calls('unlock')]).toEqual([1, 0, 1, 0]);
    expect(await takeLock(store, TEAM, state.id, 1000)).not.toBeNull();
  });

  it('leaves a reply queued while another replica held the lock to that holder, and looks again without taking the lock', async () => {
    const shared = new MemoryStore({ retentionDays: 1 });
    const first = counting(shared);
    const second = counting(shared);
    const replicaA = inProcessReviews(first.store);
    const replicaB = inProcessReviews(second.store);
    const flow = replicaA.deps.flows.get('quick-check')!;
    const [one, two] = planReview(flow, 'replicas', seededRandom(8));
    const state = await storedReview(shared, flow, 'RREPLICA');
    const limit = { person: 'U0ALICE', max: 60, windowSeconds: 60 };

    const taken = await replicaA.inbox.enqueueCounted(TEAM, state.id, reply(one!.text, '1700000100.000001'), [], limit);
    const queued = await replicaB.inbox.enqueueCounted(TEAM, state.id, reply(two!.text, '1700000100.000002'), [], limit);
    expect(queued.lockHolder).toBe(taken.loaded?.token);
    await Promise.all([replicaA.inbox.drain(TEAM, state.id, taken), replicaB.inbox.drain(TEAM, state.id, queued)]);

    const after = (await shared.get(TEAM, state.id))!.state;
    expect(after.asked.slice(0, 2)).toEqual([one!.questionId, two!.questionId]);
    expect(after.answers[two!.questionId]).toMatchObject({ value: two!.value, messageTs: '1700000100.000002' });
    // The holder's commit saw the second reply waiting, kept the lock and applied it.
    expect(first.calls('commit')).toBe(2);
    // The other replica looked, found the lock held or nothing left to do, and took nothing.
    expect(second.calls('lockAndLoad')).toBeGreaterThanOrEqual(1);
    expect([second.calls('commit'), second.calls('unlock')]).toEqual([0, 0]);
    expect(replicaB.calls).toEqual([]);
    expect(await takeLock(shared, TEAM, state.id, 1000)).not.toBeNull();
  });

  it('hands a lock the enqueue took back to a drain of the review that started here meanwhile, which applies the input', async () => {
    const { store: counted, calls } = counting(new MemoryStore({ retentionDays: 1 }));
    // The enqueue's answer is held back until the test lets it go.
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const store = Object.create(counted) as ReviewStore;
    store.enqueueCounted = async (...args) => {
      const result = await counted.enqueueCounted(...args);
      await held;
      return result;
    };
    const { deps, inbox } = inProcessReviews(store);
    const flow = deps.flows.get('quick-check')!;
    const [first, second] = planReview(flow, 'handback', seededRandom(8));
    const state = await storedReview(store, flow, 'RHANDBAK');

    await inbox.enqueue(TEAM, state.id, reply(first!.text, '1700000100.000001'), []);
    // The second reply's enqueue takes the free lock; its answer is on the way when the first reply's drain starts.
    const enqueued = inbox.enqueueCounted(TEAM, state.id, reply(second!.text, '1700000100.000002'), [], { person: 'U0ALICE', max: 60, windowSeconds: 60 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const draining = inbox.drain(TEAM, state.id);
    letGo();
    const result = await enqueued;
    expect(result.loaded).toBeDefined();
    await Promise.all([draining, inbox.drain(TEAM, state.id, result)]);

    const after = (await store.get(TEAM, state.id))!.state;
    expect(after.history.filter((entry) => entry.action === 'answer').map((entry) => entry.questionId)).toEqual([first!.questionId, second!.questionId]);
    expect(await store.peek(TEAM, state.id)).toBeNull();
    expect(await takeLock(store, TEAM, state.id, 1000)).not.toBeNull();
    // The lock was handed back (one unlock) and the running drain took it (its own unlock).
    expect(calls('unlock')).toBe(2);
  });

  it('reads the review, refs, outbox and first input once per drain, with the lock, and nothing again before each next question', async () => {
    const { store, calls } = counting(new MemoryStore({ retentionDays: 1 }));
    const { deps, inbox, calls: slackCalls } = inProcessReviews(store);
    const flow = deps.flows.get('quick-check')!;
    const plan = planReview(flow, 'reads', seededRandom(5));
    const state = await storedReview(store, flow, 'RREADS01');
    const [first, second] = plan;
    await inbox.enqueue(TEAM, state.id, reply(first!.text, '1700000100.000001'), []);
    await inbox.enqueue(TEAM, state.id, reply(second!.text, '1700000100.000002'), []);
    await inbox.drain(TEAM, state.id);

    const after = (await store.get(TEAM, state.id))!.state;
    expect(after.history.filter((entry) => entry.action === 'answer').map((entry) => entry.questionId)).toEqual([first!.questionId, second!.questionId]);
    // Two inputs in one drain: one read with the lock, each commit says what comes next, and the
    // unlock says nothing more waits.
    expect(calls('lockAndLoad')).toBe(1);
    // (The metric question's suggestion job reads the review on its own, in the background: not counted here.)
    for (const read of ['refs', 'outbox', 'peek', 'setRef'] as const) expect({ [read]: calls(read) }).toEqual({ [read]: 0 });
    expect(calls('commit')).toBe(2);
    // Performed messages leave the outbox with the next commit or the unlock, but for one: the metric
    // answer's next question waits for its suggestion job (a 'post_after_job', after the commit), and the
    // job leaves the outbox on its own first, so a process that dies during the wait does not run it twice.
    expect(calls('outboxDone')).toBe(1);
    expect(calls('unlock')).toBe(1);
    expect(await store.outbox(TEAM, state.id)).toEqual([]);
    // The next question is posted before the answered one is updated (the first question was never
    // posted here, so it has no message to update), but for the metric's, which waits for its suggestions;
    // the update finds the ref the post just stored.
    expect(slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    const secondQuestion = decodeRef((await store.refs(TEAM, state.id))[`q:${second!.questionId}`], 'C0REVIEWS')!;
    expect(slackCalls[1]!.args).toMatchObject({ channel: 'C0REVIEWS', ts: secondQuestion.ts });
  });
});

describe('a reply queued while this process\'s drain holds the lock', () => {
  it('is applied by that drain, which keeps the lock with its commit: the lock is taken once', async () => {
    const { store, calls } = counting(new MemoryStore({ retentionDays: 1 }));
    const { deps, inbox, client } = inProcessReviews(store);
    // The first question's post is held until the second reply is queued.
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const original = client.chat.postMessage.bind(client.chat) as unknown as (args: Record<string, unknown>) => Promise<unknown>;
    let posts = 0;
    (client.chat as unknown as Record<string, unknown>).postMessage = async (args: Record<string, unknown>) => {
      if (posts++ === 0) await held;
      return original(args);
    };
    const flow = deps.flows.get('quick-check')!;
    const [first, second] = planReview(flow, 'follow', seededRandom(13));
    const state = await storedReview(store, flow, 'RFOLLOW1');
    const limit = { person: 'U0ALICE', max: 60, windowSeconds: 60 };

    const one = await inbox.enqueueCounted(TEAM, state.id, reply(first!.text, '1700000100.000001'), [], limit);
    expect(one.loaded).toBeDefined();
    const drainingOne = inbox.drain(TEAM, state.id, one);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const two = await inbox.enqueueCounted(TEAM, state.id, reply(second!.text, '1700000100.000002'), [], limit);
    expect(two.outcome).toBe('queued');
    expect(two.loaded).toBeUndefined();
    expect(two.lockHolder).toBe(one.loaded!.token);
    const drainingTwo = inbox.drain(TEAM, state.id, two);
    letGo();
    await Promise.all([drainingOne, drainingTwo]);

    const answers = (await store.get(TEAM, state.id))!.state.answers;
    expect(answers[first!.questionId]).toBeDefined();
    expect(answers[second!.questionId]).toBeDefined();
    // The enqueue of the first reply took the lock; nobody took it again. (The second answer starts a
    // background job, so that step commits first and unlocks after, as before.)
    expect([calls('lockAndLoad'), calls('commit')]).toEqual([0, 2]);
    expect(await takeLock(store, TEAM, state.id, 1000)).not.toBeNull();
  });
});

describe('posting before committing', () => {
  function logged(log: string[], store: ReviewStore): ReviewStore {
    const wrapped = Object.create(store) as ReviewStore;
    wrapped.commit = async (...args) => {
      log.push('commit');
      return store.commit(...args);
    };
    return wrapped;
  }

  /** Slack answers the client's next chat.postMessage with a 503; later ones go through. */
  function failFirstPost(client: InProcessReviews['client']): void {
    const original = client.chat.postMessage.bind(client.chat) as unknown as (args: Record<string, unknown>) => Promise<unknown>;
    let failures = 1;
    (client.chat as unknown as Record<string, unknown>).postMessage = async (args: Record<string, unknown>) => {
      if (failures-- > 0) throw Object.assign(new Error('An HTTP protocol error occurred: statusCode = 503'), { code: 'slack_webapi_http_error', statusCode: 503 });
      return original(args);
    };
  }

  /** A quick-check review stored with every answer but the last, its leads' channel set and its messages' refs known. */
  async function oneAnswerLeft(deps: ReviewDeps, base: ReviewStore, id: string) {
    const flow = deps.flows.get('quick-check')!;
    const plan = planReview(flow, id, seededRandom(13));
    let state = startReview(flow, { id, systemName: 'Finish', startedBy: 'U0ALICE', at: new Date().toISOString() }).state;
    for (const [index, planned] of plan.slice(0, -1).entries()) {
      state = applyInput(flow, state, { type: 'reply', text: planned.text, by: 'U0ALICE', at: new Date().toISOString(), messageTs: `1700000050.00000${index}` }).state;
    }
    const last = plan.at(-1)!;
    expect(state.currentQuestionId).toBe(last.questionId);
    await base.create({ placement: { teamId: TEAM, channelId: 'C0REVIEWS', threadTs: '1700000000.000100', leadsChannel: 'C0LEADS' }, state }, []);
    await base.setRef(TEAM, state.id, 'root', '1700000000.000100');
    await base.setRef(TEAM, state.id, `q:${last.questionId}`, '1700000000.000900');
    return { state, last };
  }

  /** An in-process review setup whose commits and chat.postMessage / chat.update calls go to `log`, each call as `entry` says. */
  function loggedReviews(log: string[], base: ReviewStore, entry: (method: string, args: Record<string, unknown>) => string) {
    const reviews = inProcessReviews(logged(log, base));
    const chat = reviews.client.chat as unknown as Record<string, (args: Record<string, unknown>) => Promise<unknown>>;
    for (const method of ['postMessage', 'update'] as const) {
      const original = chat[method]!.bind(reviews.client.chat);
      chat[method] = async (args) => {
        log.push(entry(method, args));
        return original(args);
      };
    }
    return reviews;
  }

  it('sends the next question and updates the answered one before the commit, which stores the new ref and lets the lock go', async () => {
    const log: string[] = [];
    const base = new MemoryStore({ retentionDays: 1 });
    const { deps, inbox } = loggedReviews(log, base, (method) => method);
    const flow = deps.flows.get('quick-check')!;
    const [first] = planReview(flow, 'order', seededRandom(11));
    const state = await storedReview(base, flow, 'RORDER01');
    await base.setRef(TEAM, state.id, `q:${first!.questionId}`, '1700000000.000200');

    await inbox.submit(TEAM, state.id, reply(first!.text, '1700000100.000001'), []);

    expect(log).toEqual(['postMessage', 'update', 'commit']);
    const stored = (await base.get(TEAM, state.id))!.state;
    expect(stored.answers[first!.questionId]).toBeDefined();
    expect((await base.refs(TEAM, state.id))[`q:${stored.currentQuestionId}`]).toEqual(expect.any(String));
    expect(await base.outbox(TEAM, state.id)).toEqual([]);
    expect(await takeLock(base, TEAM, state.id, 1000)).not.toBeNull();
  });

  it('posts the summary card of a finished review before the commit, and the leads\u2019 card after it', async () => {
    const log: string[] = [];
    const base = new MemoryStore({ retentionDays: 1 });
    const { deps, inbox } = loggedReviews(log, base, (method, args) => `${method} ${String(args.channel)}${args.thread_ts ? ' thread' : ''}`);
    const { state, last } = await oneAnswerLeft(deps, base, 'RFINISH1');

    await inbox.submit(TEAM, state.id, reply(last.text, '1700000100.000001'), []);

    expect((await base.get(TEAM, state.id))!.state.status).toBe('completed');
    // The summary in the thread first (what the person waits on), then the updates, then the commit;
    // the leads' card, which must never be posted twice, only once the commit stands.
    expect(log).toEqual(['postMessage C0REVIEWS thread', 'update C0REVIEWS', 'update C0REVIEWS', 'commit', 'postMessage C0LEADS']);
    expect(await base.outbox(TEAM, state.id)).toEqual([]);
    expect((await base.refs(TEAM, state.id)).summary).toEqual(expect.any(String));
    expect(await takeLock(base, TEAM, state.id, 1000)).not.toBeNull();
  });

  it('commits a finished review with its unsent summary ahead of the leads\u2019 card when Slack fails, and the retry sends each once', async () => {
    const base = new MemoryStore({ retentionDays: 1 });
    const { deps, inbox, client, calls } = inProcessReviews(base);
    failFirstPost(client);
    const { state, last } = await oneAnswerLeft(deps, base, 'RFINISH2');

    await expect(inbox.submit(TEAM, state.id, reply(last.text, '1700000100.000001'), [])).rejects.toThrow(/503/);

    // Stored, with everything still to send in order: the summary first, the leads' card last.
    expect((await base.get(TEAM, state.id))!.state.status).toBe('completed');
    const waiting = (await base.outbox(TEAM, state.id)).map((item) => item.payload as { op: string; channel?: string });
    expect(waiting[0]).toMatchObject({ op: 'post' });
    expect(waiting[0]?.channel).toBeUndefined();
    expect(waiting.at(-1)).toMatchObject({ op: 'post', channel: 'C0LEADS' });

    await waitFor(async () => (await base.outbox(TEAM, state.id)).length === 0);
    const posts = calls.filter((call) => call.method === 'chat.postMessage');
    expect(posts.filter((call) => call.args.channel === 'C0LEADS')).toHaveLength(1);
    expect(posts.filter((call) => call.args.channel === 'C0REVIEWS' && call.args.thread_ts)).toHaveLength(1);
    expect((await base.refs(TEAM, state.id)).summary).toEqual(expect.any(String));
  });

  it('commits the answer with the messages a failing Slack left unsent, and the retry sends them', async () => {
    const base = new MemoryStore({ retentionDays: 1 });
    const { deps, inbox, client, calls } = inProcessReviews(base);
    failFirstPost(client);
    const flow = deps.flows.get('quick-check')!;
    const [first] = planReview(flow, 'failing', seededRandom(12));
    const state = await storedReview(base, flow, 'RFAIL001');

    await expect(inbox.submit(TEAM, state.id, reply(first!.text, '1700000100.000001'), [])).rejects.toThrow(/503/);

    // Nothing lost: the answer is stored, the question it asks next waits in the outbox, and the lock is free.
    const stored = (await base.get(TEAM, state.id))!;
    expect(stored.state.answers[first!.questionId]).toBeDefined();
    expect(stored.version).toBe(2);
    expect(await base.peek(TEAM, state.id)).toBeNull();
    expect((await base.outbox(TEAM, state.id)).map((item) => (item.payload as { op: string }).op)).toContain('post');
    expect(await takeLock(base, TEAM, state.id, 1)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5));

    // The retry (a quarter of a second later) sends it, once.
    await waitFor(async () => (await base.outbox(TEAM, state.id)).length === 0);
    const questions = calls.filter((call) => call.method === 'chat.postMessage' && String(call.args.text).startsWith('Question 2'));
    expect(questions).toHaveLength(1);
    expect((await base.refs(TEAM, state.id))[`q:${stored.state.currentQuestionId}`]).toEqual(expect.any(String));
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
