/**
 * The ReviewStore contract: one suite that every implementation must pass.
 * `advance(ms)` lets time pass for expiries — the memory store moves its
 * injected clock, the Redis store really waits (Redis keeps its own time).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewState } from '../../src/engine/types.js';
import { ReviewExistsError } from '../../src/store/errors.js';
import type { QueuedInput, ReviewPlacement, ReviewStore } from '../../src/store/types.js';
import { answered, decided, decisionInput, deletionBy, makePlacement, makeState, post, reply, takeLock, uniqueId } from './fixtures.js';

export interface StoreHarness {
  store: ReviewStore;
  advance(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

export function runStoreContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`${name} passes the ReviewStore contract`, () => {
    let harness: StoreHarness;
    let store: ReviewStore;
    let team: string;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
      team = uniqueId('T');
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    async function started(
      state: Partial<ReviewState> = {},
      placement: Partial<ReviewPlacement> = {},
    ): Promise<{ state: ReviewState; placement: ReviewPlacement; id: string }> {
      const s = makeState(state);
      const p = makePlacement({ teamId: team, threadTs: `1700000000.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, ...placement });
      await store.create({ placement: p, state: s }, [post('o:start')]);
      return { state: s, placement: p, id: s.id };
    }

    describe('create, get, findByThread', () => {
      it('stores a new review at version 1 with its first outbox items and finds it by its thread', async () => {
        const state = makeState();
        const placement = makePlacement({ teamId: team, leadsChannel: 'C999', respondents: ['U222', 'U333'] });
        await store.create({ placement, state }, [post('o:1'), post('o:2')]);

        const record = await store.get(team, state.id);
        expect(record).toEqual({ placement, state, version: 1 });
        expect(await store.findByThread(team, placement.channelId, placement.threadTs)).toBe(state.id);
        expect((await store.outbox(team, state.id)).map((item) => item.id)).toEqual(['o:1', 'o:2']);
        expect(await store.outbox(team, state.id)).toEqual([post('o:1'), post('o:2')]);
      });

      it('stores the first message references with the review, and none when given none', async () => {
        const state = makeState();
        await store.create({ placement: makePlacement({ teamId: team }), state }, [post('o:1')], { root: 'C1:1700000000.000100', 'q:goal': '1700000000.000200' });
        expect(await store.refs(team, state.id)).toEqual({ root: 'C1:1700000000.000100', 'q:goal': '1700000000.000200' });
        expect((await store.outbox(team, state.id)).map((item) => item.id)).toEqual(['o:1']);
        const { id } = await started();
        expect(await store.refs(team, id)).toEqual({});
      });

      it('takes the same create again as done: a retry whose first run was stored changes nothing', async () => {
        const state = makeState();
        const placement = makePlacement({ teamId: team });
        await store.create({ placement, state }, [post('o:1')], { root: 'C1:1' });
        await store.create({ placement, state: { ...state, systemName: 'Retried' } }, [post('o:again')], { root: 'C1:2' });
        expect(await store.get(team, state.id)).toEqual({ placement, state, version: 1 });
        expect((await store.outbox(team, state.id)).map((item) => item.id)).toEqual(['o:1']);
        expect(await store.refs(team, state.id)).toEqual({ root: 'C1:1' });
        expect(await store.findByThread(team, placement.channelId, placement.threadTs)).toBe(state.id);
      });

      it('answers null for a review or thread it does not have', async () => {
        const { placement } = await started();
        expect(await store.get(team, 'r-missing')).toBeNull();
        expect(await store.findByThread(team, placement.channelId, '1700000999.000001')).toBeNull();
        expect(await store.findByThread(uniqueId('T'), placement.channelId, placement.threadTs)).toBeNull();
      });

      it('refuses to create a review that exists and keeps the first one', async () => {
        const { state, placement } = await started({ systemName: 'First' });
        const again = { placement: { ...placement, channelId: 'C222' }, state: { ...state, systemName: 'Second' } };
        await expect(store.create(again, [post('o:again')])).rejects.toBeInstanceOf(ReviewExistsError);

        const record = await store.get(team, state.id);
        expect(record?.state.systemName).toBe('First');
        expect(record?.placement.channelId).toBe(placement.channelId);
        expect((await store.outbox(team, state.id)).map((item) => item.id)).toEqual(['o:start']);
      });
    });

    describe('enqueue and peek', () => {
      it('queues an input once: the same dedupe key again is refused', async () => {
        const { id } = await started();
        const input = reply('1700000001.000100');
        expect(await store.enqueue(team, id, input, ['ev:Ev1'], 60)).toBe(true);
        expect(await store.enqueue(team, id, { ...input, id: 'm:other' }, ['ev:Ev1'], 60)).toBe(false);
        expect(await store.peek(team, id)).toEqual(input);
        await store.dropInput(team, id, input.id);
        expect(await store.peek(team, id)).toBeNull();
      });

      it('refuses the same input id under different dedupe keys', async () => {
        const { id } = await started();
        const input = reply('1700000001.000100');
        expect(await store.enqueue(team, id, input, ['ev:Ev1'], 60)).toBe(true);
        expect(await store.enqueue(team, id, input, ['ev:Ev2'], 60)).toBe(false);
        expect(await store.enqueue(team, id, input, [], 60)).toBe(false);
      });

      it('refuses a consumed input id within the window and forgets dedupe keys after it', async () => {
        const { id, state } = await started();
        const first = reply('1700000001.000100');
        expect(await store.enqueue(team, id, first, ['ev:Ev1'], 1)).toBe(true);
        expect(await store.commit(team, id, 1, state, first.id, [])).toEqual({ next: null, held: true });
        expect(await store.peek(team, id)).toBeNull();

        expect(await store.enqueue(team, id, first, ['ev:Ev9'], 1)).toBe(false);
        expect(await store.enqueue(team, id, reply('1700000002.000100'), ['ev:Ev1'], 1)).toBe(false);
        expect(await store.peek(team, id)).toBeNull();

        await harness.advance(1100);
        expect(await store.enqueue(team, id, reply('1700000002.000100'), ['ev:Ev1'], 1)).toBe(true);
        expect(await store.enqueue(team, id, first, ['ev:Ev9'], 1)).toBe(true);
        expect((await store.peek(team, id))?.id).toBe(first.id);
      });

      it('peeks the lowest seq, not the first queued, and keeps queue order for equal seqs', async () => {
        const { id } = await started();
        await store.enqueue(team, id, reply('1700000000.000200'), [], 60);
        await store.enqueue(team, id, reply('1700000000.000100'), [], 60);
        await store.enqueue(team, id, { id: 'a:zz', seq: '1700000000.000050', payload: { n: 1 } }, [], 60);
        await store.enqueue(team, id, { id: 'a:aa', seq: '1700000000.000050', payload: { n: 2 } }, [], 60);

        const order: string[] = [];
        for (let input = await store.peek(team, id); input; input = await store.peek(team, id)) {
          order.push(input.id);
          await store.dropInput(team, id, input.id);
        }
        expect(order).toEqual(['a:zz', 'a:aa', 'm:1700000000.000100', 'm:1700000000.000200']);
      });

      it('counts each person’s inputs to a review per window, refuses those past the limit and not duplicates', async () => {
        const { id } = await started();
        const other = await started();
        const limit = { person: 'U1', max: 2, windowSeconds: 1 };
        const counted = (target: string, input: QueuedInput, who = limit) => store.enqueueCounted(team, target, input, [], 60, who);
        expect(await counted(id, reply('1700000001.000100'))).toEqual({ outcome: 'queued', count: 1 });
        expect(await counted(id, reply('1700000001.000100'))).toEqual({ outcome: 'duplicate', count: 0 });
        expect(await counted(id, reply('1700000002.000100'))).toEqual({ outcome: 'queued', count: 2 });
        expect(await counted(id, reply('1700000003.000100'))).toEqual({ outcome: 'over_limit', count: 3 });
        expect(await counted(id, reply('1700000004.000100'))).toEqual({ outcome: 'over_limit', count: 4 });
        // Someone else, and the same person in another review, are counted apart.
        expect(await counted(id, reply('1700000005.000100'), { ...limit, person: 'U2' })).toEqual({ outcome: 'queued', count: 1 });
        expect(await counted(other.id, reply('1700000006.000100'))).toEqual({ outcome: 'queued', count: 1 });
        // Refused inputs were neither queued nor marked seen: after the window they go through.
        const queued: string[] = [];
        for (let input = await store.peek(team, id); input; input = await store.peek(team, id)) {
          queued.push(input.id);
          await store.dropInput(team, id, input.id);
        }
        expect(queued).toEqual(['m:1700000001.000100', 'm:1700000002.000100', 'm:1700000005.000100']);
        await harness.advance(1100);
        expect(await counted(id, reply('1700000003.000100'))).toEqual({ outcome: 'queued', count: 1 });
      });

      it('forgets the counts once the review is no longer active', async () => {
        const { id, state } = await started();
        const limit = { person: 'U1', max: 1, windowSeconds: 60 };
        expect(await store.enqueueCounted(team, id, reply('1700000001.000100'), [], 60, limit)).toEqual({ outcome: 'queued', count: 1 });
        expect(await store.enqueueCounted(team, id, reply('1700000002.000100'), [], 60, limit)).toEqual({ outcome: 'over_limit', count: 2 });
        expect(await store.commit(team, id, 1, { ...state, status: 'completed', currentQuestionId: null }, null, [])).toBeTruthy();
        expect(await store.enqueueCounted(team, id, reply('1700000003.000100'), [], 60, limit)).toEqual({ outcome: 'queued', count: 1 });
      });

      it('does not queue into a review that does not exist', async () => {
        expect(await store.enqueueCounted(team, 'r-missing', reply('1700000001.000100'), [], 60, { person: 'U1', max: 5, windowSeconds: 60 })).toEqual({
          outcome: 'duplicate',
          count: 0,
        });
        expect(await store.enqueue(team, 'r-missing', reply('1700000001.000100'), ['ev:1'], 60)).toBe(false);
        expect(await store.peek(team, 'r-missing')).toBeNull();
      });

      it('rejects a seq that is not a Slack ts', async () => {
        const { id } = await started();
        await expect(store.enqueue(team, id, { id: 'm:x', seq: 'soon', payload: {} }, [], 60)).rejects.toThrow(/seq/);
      });
    });

    describe('commit', () => {
      it('applies on the right version: new state, version + 1, input removed, outbox appended', async () => {
        const { id, state, placement } = await started();
        const first = reply('1700000001.000100');
        const second = reply('1700000002.000100');
        await store.enqueue(team, id, first, [], 60);
        await store.enqueue(team, id, second, [], 60);

        const next = answered(state, 'goal', 'Reduce handling time', 'metric');
        expect(await store.commit(team, id, 1, next, first.id, [post('o:recorded'), post('o:ask')])).toEqual({ next: second, held: true });

        expect(await store.get(team, id)).toEqual({ placement, state: next, version: 2 });
        expect((await store.peek(team, id))?.id).toBe(second.id);
        expect((await store.outbox(team, id)).map((item) => item.id)).toEqual(['o:start', 'o:recorded', 'o:ask']);
      });

      it('changes nothing with a stale version', async () => {
        const { id, state } = await started();
        const input = reply('1700000001.000100');
        await store.enqueue(team, id, input, [], 60);
        expect(await store.commit(team, id, 1, answered(state, 'goal', 'one', 'metric'), null, [])).toEqual({ next: input, held: true });

        const stale = answered(state, 'goal', 'two', 'other');
        expect(await store.commit(team, id, 1, stale, input.id, [post('o:stale')])).toBe(false);

        const record = await store.get(team, id);
        expect(record?.version).toBe(2);
        expect(record?.state.answers.goal?.value).toEqual({ kind: 'text', text: 'one' });
        expect((await store.peek(team, id))?.id).toBe(input.id);
        expect((await store.outbox(team, id)).map((item) => item.id)).toEqual(['o:start']);
      });

      it('lets exactly one of two concurrent commits on the same version through', async () => {
        const { id, state } = await started();
        const results = await Promise.all([
          store.commit(team, id, 1, answered(state, 'goal', 'from A', 'a'), null, [post('o:A')]),
          store.commit(team, id, 1, answered(state, 'goal', 'from B', 'b'), null, [post('o:B')]),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results[0] ? 'A' : 'B';

        const record = await store.get(team, id);
        expect(record?.version).toBe(2);
        expect(record?.state.answers.goal?.value).toEqual({ kind: 'text', text: `from ${winner}` });
        expect((await store.outbox(team, id)).map((item) => item.id)).toEqual(['o:start', `o:${winner}`]);
      });

      it('removes the items performed since the last write, with their ref, before appending new ones', async () => {
        const { id, state } = await started();
        const input = reply('1700000001.000100');
        await store.enqueue(team, id, input, [], 60);
        const performed = { itemIds: ['o:start'], ref: { name: 'q:goal', value: '1700000000.000500' } };
        expect(await store.commit(team, id, 1, state, input.id, [post('o:ask')], performed)).toEqual({ next: null, held: true });
        expect((await store.outbox(team, id)).map((item) => item.id)).toEqual(['o:ask']);
        expect(await store.refs(team, id)).toEqual({ 'q:goal': '1700000000.000500' });
      });

      it('leaves performed items and their ref alone when it refuses', async () => {
        const { id, state } = await started();
        expect(await store.commit(team, id, 7, state, null, [post('o:ask')], { itemIds: ['o:start'], ref: { name: 'q:goal', value: '1' } })).toBe(false);
        expect((await store.outbox(team, id)).map((item) => item.id)).toEqual(['o:start']);
        expect(await store.refs(team, id)).toEqual({});
      });

      it('does not commit to a review that does not exist', async () => {
        expect(await store.commit(team, 'r-missing', 1, makeState({ id: 'r-missing' }), null, [])).toBe(false);
        expect(await store.get(team, 'r-missing')).toBeNull();
      });
    });

    describe('outbox', () => {
      it('keeps items in order and removes only a matching head', async () => {
        const { id, state } = await started();
        await store.commit(team, id, 1, state, null, [post('o:a'), post('o:b')]);
        const ids = async () => (await store.outbox(team, id)).map((item) => item.id);

        expect(await store.outboxDone(team, id, { itemIds: ['o:a'] })).toBe(0);
        expect(await ids()).toEqual(['o:start', 'o:a', 'o:b']);
        expect(await store.outboxDone(team, id, { itemIds: ['o:start'] })).toBe(1);
        expect(await ids()).toEqual(['o:a', 'o:b']);
        expect(await store.outboxDone(team, id, { itemIds: ['o:start'] })).toBe(0);
        expect(await ids()).toEqual(['o:a', 'o:b']);
        expect(await store.outboxDone(team, id, { itemIds: ['o:a', 'o:b'] })).toBe(2);
        expect(await ids()).toEqual([]);
        expect(await store.outboxDone(team, id, { itemIds: ['o:b'] })).toBe(0);
        expect(await ids()).toEqual([]);
      });

      it('removes several items in order, stopping at the first that is not the head', async () => {
        const { id, state } = await started();
        await store.commit(team, id, 1, state, null, [post('o:a'), post('o:b'), post('o:c')]);
        const ids = async () => (await store.outbox(team, id)).map((item) => item.id);
        // o:b is not behind o:start: only o:start goes.
        expect(await store.outboxDone(team, id, { itemIds: ['o:start', 'o:b', 'o:c'] })).toBe(1);
        expect(await ids()).toEqual(['o:a', 'o:b', 'o:c']);
        expect(await store.outboxDone(team, id, { itemIds: ['o:a', 'o:b'] })).toBe(2);
        expect(await ids()).toEqual(['o:c']);
      });

      it('stores the ref a post produced in the same step, even when another worker removed the item first', async () => {
        const { id, state } = await started();
        await store.commit(team, id, 1, state, null, [post('o:ask')]);
        expect(await store.outboxDone(team, id, { itemIds: ['o:start', 'o:ask'], ref: { name: 'q:goal', value: '1700000005.000100' } })).toBe(2);
        expect(await store.refs(team, id)).toEqual({ 'q:goal': '1700000005.000100' });
        expect(await store.outboxDone(team, id, { itemIds: ['o:ask'], ref: { name: 'q:goal', value: '1700000006.000100' } })).toBe(0);
        expect(await store.refs(team, id)).toEqual({ 'q:goal': '1700000006.000100' });
      });

      it('stores no ref for a review that does not exist', async () => {
        expect(await store.outboxDone(team, 'r-missing', { itemIds: ['o:x'], ref: { name: 'q:goal', value: '1700000005.000100' } })).toBe(0);
        expect(await store.refs(team, 'r-missing')).toEqual({});
      });
    });

    describe('reviews with work', () => {
      const mine = async (limit = 10_000) =>
        (await store.reviewsWithWork(limit))
          .filter((review) => review.teamId === team)
          .map((review) => review.reviewId)
          .sort();

      it('lists the reviews with an input queued or a message unsent, and drops each once its work is done', async () => {
        const unsent = await started();
        const queued = await started();
        const idle = await started();
        await store.outboxDone(team, queued.id, { itemIds: ['o:start'] });
        await store.outboxDone(team, idle.id, { itemIds: ['o:start'] });
        const input = reply('1700000001.000100');
        expect(await store.enqueue(team, queued.id, input, [], 60)).toBe(true);
        expect(await mine()).toEqual([unsent.id, queued.id].sort());

        expect(await store.commit(team, queued.id, 1, queued.state, input.id, [])).toBeTruthy();
        expect(await mine()).toEqual([unsent.id]);
        await store.outboxDone(team, unsent.id, { itemIds: ['o:start'] });
        expect(await mine()).toEqual([]);
      });

      it('lists at most the number asked for', async () => {
        for (let i = 0; i < 3; i++) await started();
        expect(await mine()).toHaveLength(3);
        expect(await store.reviewsWithWork(2)).toHaveLength(2);
        expect(await store.reviewsWithWork(0)).toEqual([]);
      });
    });

    describe('refs', () => {
      it('stores and overwrites message references per review', async () => {
        const one = await started();
        const two = await started();
        await store.setRef(team, one.id, 'q:goal', '1700000001.000100');
        await store.setRef(team, one.id, 'q:metric', '1700000002.000100');
        await store.setRef(team, one.id, 'q:goal', '1700000003.000100');
        expect(await store.refs(team, one.id)).toEqual({ 'q:goal': '1700000003.000100', 'q:metric': '1700000002.000100' });
        expect(await store.refs(team, two.id)).toEqual({});
      });

      it('ignores a ref for a review that does not exist', async () => {
        await store.setRef(team, 'r-missing', 'q:goal', '1700000001.000100');
        expect(await store.refs(team, 'r-missing')).toEqual({});
      });
    });

    describe('lock', () => {
      it('is held by one worker at a time and released only with its token', async () => {
        const { id } = await started();
        const token = await takeLock(store, team, id, 10_000);
        expect(token).toEqual(expect.any(String));
        expect(await takeLock(store, team, id, 10_000)).toBeNull();

        await store.unlock(team, id, 'not-the-token');
        expect(await takeLock(store, team, id, 10_000)).toBeNull();

        await store.unlock(team, id, token!);
        const next = await takeLock(store, team, id, 10_000);
        expect(next).toEqual(expect.any(String));
        expect(next).not.toBe(token);
      });

      it('runs out after its lease, and the old token cannot release the new holder', async () => {
        const { id } = await started();
        const first = await takeLock(store, team, id, 200);
        expect(first).not.toBeNull();
        await harness.advance(350);
        const second = await takeLock(store, team, id, 10_000);
        expect(second).not.toBeNull();
        await store.unlock(team, id, first!);
        expect(await takeLock(store, team, id, 10_000)).toBeNull();
      });

      it('says on unlock how many inputs wait, whether or not the token still held the lock', async () => {
        const { id } = await started();
        const token = (await takeLock(store, team, id, 10_000))!;
        await store.enqueue(team, id, reply('1700000001.000100'), [], 60);
        await store.enqueue(team, id, reply('1700000002.000100'), [], 60);
        expect(await store.unlock(team, id, 'not-the-token')).toBe(2);
        expect(await takeLock(store, team, id, 10_000)).toBeNull();
        expect(await store.unlock(team, id, token)).toBe(2);
        expect(await store.unlock(team, 'r-missing', token)).toBe(0);
      });

      it('removes performed items and stores their ref on unlock, even when the lease ran out', async () => {
        const { id } = await started();
        const token = (await takeLock(store, team, id, 10_000))!;
        expect(await store.unlock(team, id, token, { itemIds: ['o:start'], ref: { name: 'q:goal', value: '1700000000.000500' } })).toBe(0);
        expect(await store.outbox(team, id)).toEqual([]);
        expect(await store.refs(team, id)).toEqual({ 'q:goal': '1700000000.000500' });
        expect(await takeLock(store, team, id, 10_000)).not.toBeNull();
        await store.unlock(team, id, 'a-lost-lease', { itemIds: [], ref: { name: 'q:goal', value: '1700000000.000600' } });
        expect(await store.refs(team, id)).toEqual({ 'q:goal': '1700000000.000600' });
        expect(await takeLock(store, team, id, 10_000)).toBeNull();
      });

      it('is released by a commit given its token when no input waits, and the ref is stored with it', async () => {
        const { id, state } = await started();
        const input = reply('1700000001.000100');
        await store.enqueue(team, id, input, [], 60);
        const token = (await takeLock(store, team, id, 10_000))!;
        const ref = { name: 'q:metric', value: '1700000001.000500' };
        const committed = await store.commit(team, id, 1, answered(state, 'goal', 'one', 'metric'), input.id, [], { itemIds: [], ref }, { token, ttlMs: 10_000 });
        expect(committed).toEqual({ next: null, held: false });
        expect(await store.refs(team, id)).toEqual({ 'q:metric': '1700000001.000500' });
        expect((await store.outbox(team, id)).map((item) => item.id)).toEqual(['o:start']);
        // Released: the next worker takes it at once.
        expect(await takeLock(store, team, id, 10_000)).not.toBeNull();
      });

      it('is kept, with its lease extended, by a commit given its token when an input waits', async () => {
        const { id, state } = await started();
        const first = reply('1700000001.000100');
        const second = reply('1700000002.000100');
        await store.enqueue(team, id, first, [], 60);
        await store.enqueue(team, id, second, [], 60);
        const token = (await takeLock(store, team, id, 200))!;
        expect(await store.commit(team, id, 1, answered(state, 'goal', 'one', 'metric'), first.id, [post('o:note')], undefined, { token, ttlMs: 10_000 })).toEqual({
          next: second,
          held: true,
        });
        expect((await store.outbox(team, id)).map((item) => item.id)).toEqual(['o:start', 'o:note']);
        // Past the first lease: the commit's longer one still holds.
        await harness.advance(350);
        expect(await takeLock(store, team, id, 10_000)).toBeNull();
        expect(await store.unlock(team, id, token)).toBe(1);
        expect(await takeLock(store, team, id, 10_000)).not.toBeNull();
      });

      it('is not taken back by a commit whose lease ran out: the commit goes through, held false, and the new holder keeps the lock', async () => {
        const { id, state } = await started();
        const first = reply('1700000001.000100');
        await store.enqueue(team, id, first, [], 60);
        await store.enqueue(team, id, reply('1700000002.000100'), [], 60);
        const token = (await takeLock(store, team, id, 200))!;
        await harness.advance(350);
        const other = await takeLock(store, team, id, 10_000);
        expect(other).not.toBeNull();
        const committed = await store.commit(team, id, 1, answered(state, 'goal', 'one', 'metric'), first.id, [], undefined, { token, ttlMs: 10_000 });
        expect(committed && committed.held).toBe(false);
        expect(committed && committed.next?.seq).toBe('1700000002.000100');
        expect(await takeLock(store, team, id, 10_000)).toBeNull();
        await store.unlock(team, id, other!);
        expect(await takeLock(store, team, id, 10_000)).not.toBeNull();
      });

      it('takes the lock and reads the record, refs, outbox and first input in one step', async () => {
        const { id, state, placement } = await started();
        const first = reply('1700000001.000100');
        await store.enqueue(team, id, reply('1700000002.000100'), [], 60);
        await store.enqueue(team, id, first, [], 60);
        await store.setRef(team, id, 'q:goal', '1700000000.000900');

        const loaded = await store.lockAndLoad(team, id, 10_000, 'my-token');
        expect(loaded).toEqual({
          token: 'my-token',
          record: { placement, state, version: 1 },
          refs: { 'q:goal': '1700000000.000900' },
          outbox: [expect.objectContaining({ id: 'o:start' })],
          first,
          takenOver: false,
        });
        // Held now: neither lock call gets it, and nothing is read.
        expect(await store.lockAndLoad(team, id, 10_000, 'other')).toBeNull();
        expect(await takeLock(store, team, id, 10_000)).toBeNull();
        expect(await store.unlock(team, id, 'my-token')).toBe(2);
        expect(await takeLock(store, team, id, 10_000)).not.toBeNull();
      });

      it('takes a free lock with a queued input and reads the review, and takes nothing otherwise', async () => {
        const { id, state, placement } = await started();
        const limit = { person: 'U1', max: 1, windowSeconds: 60 };
        const first = reply('1700000001.000100');
        const queued = await store.enqueueCounted(team, id, first, [], 60, limit, { token: 't1', ttlMs: 10_000 });
        expect(queued).toEqual({
          outcome: 'queued',
          count: 1,
          loaded: { token: 't1', record: { placement, state, version: 1 }, refs: {}, outbox: [expect.objectContaining({ id: 'o:start' })], first, takenOver: false },
        });
        expect(await takeLock(store, team, id, 10_000)).toBeNull();
        // Held: the next input is queued without it, and says who holds it.
        const second = await store.enqueueCounted(team, id, reply('1700000002.000100'), [], 60, { ...limit, person: 'U2' }, { token: 't2', ttlMs: 10_000 });
        expect(second).toEqual({ outcome: 'queued', count: 1, lockHolder: 't1' });
        // Without asking for the lock, likewise.
        const third = await store.enqueueCounted(team, id, reply('1700000002.000200'), [], 60, { ...limit, person: 'U3' });
        expect(third).toEqual({ outcome: 'queued', count: 1, lockHolder: 't1' });
        expect(await store.unlock(team, id, 't1')).toBe(3);
        const free = await store.enqueueCounted(team, id, reply('1700000002.000300'), [], 60, { ...limit, person: 'U4' });
        expect(free).toEqual({ outcome: 'queued', count: 1 });
        // Duplicates and inputs over the limit take no lock.
        expect(await store.enqueueCounted(team, id, first, [], 60, limit, { token: 't3', ttlMs: 10_000 })).toEqual({ outcome: 'duplicate', count: 0 });
        expect(await store.enqueueCounted(team, id, reply('1700000003.000100'), [], 60, limit, { token: 't4', ttlMs: 10_000 })).toEqual({ outcome: 'over_limit', count: 2 });
        expect(await takeLock(store, team, id, 10_000)).not.toBeNull();
      });

      it('with "work", takes a free lock only when an input waits or the outbox holds an item', async () => {
        const { id, state, placement } = await started();
        // The start's outbox item is work.
        const withOutbox = await store.lockAndLoad(team, id, 10_000, 't1', 'work');
        expect(withOutbox).toMatchObject({ token: 't1', record: { placement, state, version: 1 }, first: null });
        // Held: null, whatever waits.
        expect(await store.lockAndLoad(team, id, 10_000, 't2', 'work')).toBeNull();
        expect(await store.unlock(team, id, 't1', { itemIds: ['o:start'] })).toBe(0);
        // Nothing queued, nothing to send: idle, and the lock stays free.
        expect(await store.lockAndLoad(team, id, 10_000, 't3', 'work')).toBe('idle');
        const free = await takeLock(store, team, id, 10_000);
        expect(free).not.toBeNull();
        await store.unlock(team, id, free!);
        const queued = reply('1700000001.000100');
        await store.enqueue(team, id, queued, [], 60);
        expect(await store.lockAndLoad(team, id, 10_000, 't4', 'work')).toMatchObject({ token: 't4', first: queued });
        expect(await store.unlock(team, id, 't4')).toBe(1);
        expect(await store.lockAndLoad(team, 'r-missing', 10_000, 't5', 'work')).toBe('idle');
        expect(await takeLock(store, team, 'r-missing', 10_000)).not.toBeNull();
      });

      it('says when the holder before never let go (its lease ran out), and not after a release, an unlock or a commit that lets go', async () => {
        const { id, state } = await started();
        const first = reply('1700000001.000100');
        await store.enqueue(team, id, first, [], 60);
        // Released by unlock: not taken over.
        expect((await store.lockAndLoad(team, id, 10_000, 't1'))?.takenOver).toBe(false);
        await store.unlock(team, id, 't1');
        // A lease that runs out: the next holder, whichever way it takes the lock, is told.
        expect((await store.lockAndLoad(team, id, 200, 't2'))?.takenOver).toBe(false);
        await harness.advance(350);
        const limit = { person: 'U1', max: 10, windowSeconds: 60 };
        const queued = await store.enqueueCounted(team, id, reply('1700000002.000100'), [], 60, limit, { token: 't3', ttlMs: 200 });
        expect(queued.loaded?.takenOver).toBe(true);
        // ... and so is the one after it, when that holder's lease ran out too.
        await harness.advance(350);
        expect((await store.lockAndLoad(team, id, 10_000, 't4'))?.takenOver).toBe(true);
        // A commit that lets go (nothing queued after its input): not taken over.
        await store.dropInput(team, id, 'm:1700000002.000100');
        const committed = await store.commit(team, id, 1, answered(state, 'goal', 'one', 'metric'), first.id, [], undefined, { token: 't4', ttlMs: 10_000 });
        expect(committed && committed.held).toBe(false);
        expect((await store.lockAndLoad(team, id, 10_000, 't5'))?.takenOver).toBe(false);
        // An unlock by a holder whose lease ran out releases nothing, so the next holder is told.
        await store.unlock(team, id, 't5');
        expect((await store.lockAndLoad(team, id, 200, 't6'))?.takenOver).toBe(false);
        await harness.advance(350);
        await store.unlock(team, id, 't6');
        expect((await store.lockAndLoad(team, id, 10_000, 't7'))?.takenOver).toBe(true);
        await store.unlock(team, id, 't7');
      });

      it('takes the lock of a review that does not exist, reading nothing', async () => {
        expect(await store.lockAndLoad(team, 'r-missing', 10_000, 't1')).toEqual({ token: 't1', record: null, refs: {}, outbox: [], first: null, takenOver: false });
        expect(await takeLock(store, team, 'r-missing', 10_000)).toBeNull();
        await store.unlock(team, 'r-missing', 't1');
      });

      it('locks each review separately', async () => {
        const one = await started();
        const two = await started();
        expect(await takeLock(store, team, one.id, 10_000)).not.toBeNull();
        expect(await takeLock(store, team, two.id, 10_000)).not.toBeNull();
      });
    });

    describe('lists', () => {
      it('lists a team and a channel newest first and shows status changes after a commit', async () => {
        const old = await started({ startedAt: '2024-05-01T10:00:00.000Z', systemName: 'Old' }, { channelId: 'C1' });
        const mid = await started({ startedAt: '2024-05-02T10:00:00.000Z', systemName: 'Mid', flowId: 'quick' }, { channelId: 'C2' });
        const NEW = await started({ startedAt: '2024-05-03T10:00:00.000Z', systemName: 'New' }, { channelId: 'C1' });
        const elsewhere = uniqueId('T');
        await store.create({ placement: makePlacement({ teamId: elsewhere, channelId: 'C1' }), state: makeState() }, []);

        expect((await store.listByTeam(team, 10)).map((e) => e.reviewId)).toEqual([NEW.id, mid.id, old.id]);
        expect((await store.listByTeam(team, 2)).map((e) => e.reviewId)).toEqual([NEW.id, mid.id]);
        expect((await store.listByChannel(team, 'C1', 10)).map((e) => e.reviewId)).toEqual([NEW.id, old.id]);
        expect(await store.listByChannel(team, 'C3', 10)).toEqual([]);

        const before = (await store.listByTeam(team, 10)).find((e) => e.reviewId === mid.id);
        expect(before).toEqual({
          reviewId: mid.id,
          teamId: team,
          channelId: 'C2',
          systemName: 'Mid',
          flowId: 'quick',
          status: 'active',
          startedAt: '2024-05-02T10:00:00.000Z',
          updatedAt: expect.any(String),
        });

        await harness.advance(20);
        const done: ReviewState = { ...mid.state, status: 'completed', currentQuestionId: null, finishedAt: '2024-05-02T11:00:00.000Z' };
        expect(await store.commit(team, mid.id, 1, done, null, [])).toEqual({ next: null, held: true });
        const after = (await store.listByChannel(team, 'C2', 10))[0];
        expect(after?.status).toBe('completed');
        expect(Date.parse(after!.updatedAt)).toBeGreaterThan(Date.parse(before!.updatedAt));
      });

      it('returns nothing for a limit of 0', async () => {
        await started();
        expect(await store.listByTeam(team, 0)).toEqual([]);
      });
    });

    describe('delete', () => {
      it('removes the review, its inbox, outbox, refs, lock and index entries, and nothing else', async () => {
        const gone = await started({}, { channelId: 'C1' });
        const kept = await started({}, { channelId: 'C1' });
        await store.enqueue(team, gone.id, reply('1700000001.000100'), ['ev:Ev1'], 60);
        await store.setRef(team, gone.id, 'q:goal', '1700000001.000100');
        await takeLock(store, team, gone.id, 10_000);
        await store.setRef(team, kept.id, 'q:goal', '1700000001.000200');

        const deletion = deletionBy('U999');
        expect(await store.delete(team, gone.id, deletion)).toEqual({ outcome: 'deleted', placement: gone.placement, refs: { 'q:goal': '1700000001.000100' }, by: 'U999', at: deletion.at });

        expect(await store.get(team, gone.id)).toBeNull();
        expect(await store.findByThread(team, 'C1', gone.placement.threadTs)).toBeNull();
        expect(await store.peek(team, gone.id)).toBeNull();
        expect(await store.outbox(team, gone.id)).toEqual([]);
        expect(await store.refs(team, gone.id)).toEqual({});
        expect(await takeLock(store, team, gone.id, 1000)).not.toBeNull();
        expect((await store.listByTeam(team, 10)).map((e) => e.reviewId)).toEqual([kept.id]);
        expect((await store.listByChannel(team, 'C1', 10)).map((e) => e.reviewId)).toEqual([kept.id]);

        expect(await store.get(team, kept.id)).not.toBeNull();
        expect(await store.findByThread(team, 'C1', kept.placement.threadTs)).toBe(kept.id);
        expect(await store.refs(team, kept.id)).toEqual({ 'q:goal': '1700000001.000200' });

        expect(await store.delete(team, gone.id, deletionBy('U999'))).toEqual({ outcome: 'gone' });
        expect(await store.delete(team, 'r-never', deletionBy('U999'))).toEqual({ outcome: 'gone' });
      });

      it('lets a deleted review id be created again from scratch', async () => {
        const { state, placement } = await started();
        await store.enqueue(team, state.id, reply('1700000001.000100'), ['ev:Ev1'], 60);
        await store.delete(team, state.id, deletionBy());
        await store.create({ placement, state }, []);
        expect((await store.get(team, state.id))?.version).toBe(1);
        expect(await store.peek(team, state.id)).toBeNull();
        expect(await store.enqueue(team, state.id, reply('1700000001.000100'), ['ev:Ev1'], 60)).toBe(true);
      });

      it('answers the same deletion run again as its first run, with its by, at and refs as first stored; another deletion finds it gone', async () => {
        const gone = await started();
        await store.setRef(team, gone.id, 'summary', '1700000001.000100');
        const deletion = deletionBy('U999');
        const first = await store.delete(team, gone.id, deletion);
        expect(first.outcome).toBe('deleted');
        // The retry is made later, by the same confirmation: what the first run stored is what counts.
        expect(await store.delete(team, gone.id, { ...deletion, at: '2024-05-02T09:00:05.000Z' })).toEqual(first);
        expect(await store.delete(team, gone.id, deletionBy('U999'))).toEqual({ outcome: 'gone' });
      });

      it('deletes while its premise holds: nothing changed since the check, or only the answers and the decision is still the one it read', async () => {
        const unchanged = await started(decided(makeState()));
        expect((await store.delete(team, unchanged.id, deletionBy('U999', { premise: { version: 1, decision: unchanged.state.decision! } }))).outcome).toBe('deleted');

        const answeredSince = await started();
        const checked = (await store.get(team, answeredSince.id))!;
        expect(await store.commit(team, answeredSince.id, 1, answered(answeredSince.state, 'goal', 'one', 'metric'), null, [])).toBeTruthy();
        const premise = { version: checked.version, decision: null, decisionInputPrefix: 'decide:' };
        expect((await store.delete(team, answeredSince.id, deletionBy(answeredSince.state.startedBy, { premise }))).outcome).toBe('deleted');

        const decidedBefore = await started();
        const withDecision = decided(decidedBefore.state);
        expect(await store.commit(team, decidedBefore.id, 1, withDecision, null, [])).toBeTruthy();
        const read = (await store.get(team, decidedBefore.id))!;
        // An edit after the decision flags it; the decision itself stands.
        const flagged = { ...withDecision, decision: { ...withDecision.decision!, answersChangedAt: '2024-05-01T12:00:00.000Z' } };
        expect(await store.commit(team, decidedBefore.id, 2, flagged, null, [])).toBeTruthy();
        expect((await store.delete(team, decidedBefore.id, deletionBy('U333', { premise: { version: read.version, decision: read.state.decision! } }))).outcome).toBe('deleted');
      });

      it('refuses, changing nothing, when a decision was recorded after the check read none', async () => {
        const review = await started({}, { channelId: 'C1' });
        await store.setRef(team, review.id, 'summary', '1700000001.000100');
        const checked = (await store.get(team, review.id))!;
        // The lead's decision lands between the check and the deletion.
        expect(await store.commit(team, review.id, 1, decided(review.state), null, [post('o:card')])).toBeTruthy();
        await store.enqueue(team, review.id, reply('1700000002.000100'), [], 60);

        const premise = { version: checked.version, decision: checked.state.decision ?? null, decisionInputPrefix: 'decide:' };
        expect(await store.delete(team, review.id, deletionBy(review.state.startedBy, { premise }))).toEqual({ outcome: 'changed' });

        const after = (await store.get(team, review.id))!;
        expect(after.version).toBe(2);
        expect(after.state.decision).toMatchObject({ outcome: 'approved', by: 'U333' });
        expect(await store.refs(team, review.id)).toEqual({ summary: '1700000001.000100' });
        expect((await store.outbox(team, review.id)).map((item) => item.id)).toEqual(['o:start', 'o:card']);
        expect((await store.peek(team, review.id))?.id).toBe('m:1700000002.000100');
        expect(await store.findByThread(team, 'C1', review.placement.threadTs)).toBe(review.id);
        expect((await store.listByTeam(team, 10)).map((e) => e.reviewId)).toEqual([review.id]);
        expect((await store.listByChannel(team, 'C1', 10)).map((e) => e.reviewId)).toEqual([review.id]);
        // A retry of the refused deletion is refused too; checked again, it goes.
        expect(await store.delete(team, review.id, deletionBy(review.state.startedBy, { premise }))).toEqual({ outcome: 'changed' });
        expect((await store.delete(team, review.id, deletionBy('U333', { premise: { version: 2, decision: after.state.decision! } }))).outcome).toBe('deleted');
      });

      it('refuses when the decision changed after the check: another one was recorded', async () => {
        const review = await started(decided(makeState(), 'U333', '2024-05-01T11:00:00.000Z', 'changes_needed'));
        const checked = (await store.get(team, review.id))!;
        expect(await store.commit(team, review.id, 1, decided(checked.state, 'U444', '2024-05-01T11:30:00.000Z'), null, [])).toBeTruthy();
        const premise = { version: checked.version, decision: checked.state.decision! };
        expect(await store.delete(team, review.id, deletionBy('U333', { premise }))).toEqual({ outcome: 'changed' });
        expect((await store.get(team, review.id))?.state.decision).toMatchObject({ by: 'U444', outcome: 'approved' });
      });

      it('refuses while a decision is queued, not yet applied: its lead was told it is recorded', async () => {
        const review = await started({ status: 'completed', currentQuestionId: null });
        await store.enqueue(team, review.id, decisionInput('1700000003.000100'), [], 60);
        const premise = { version: 1, decision: null, decisionInputPrefix: 'decide:' };
        expect(await store.delete(team, review.id, deletionBy(review.state.startedBy, { premise }))).toEqual({ outcome: 'changed' });
        expect((await store.peek(team, review.id))?.id).toBe('decide:V1:1700000003.000100');
        // Another kind of input queued is no decision.
        const other = await started({ status: 'completed', currentQuestionId: null });
        await store.enqueue(team, other.id, reply('1700000003.000200'), [], 60);
        expect((await store.delete(team, other.id, deletionBy(other.state.startedBy, { premise }))).outcome).toBe('deleted');
      });
    });

    describe('settings', () => {
      it('stores settings per team', async () => {
        expect(await store.getSettings(team)).toEqual({});
        await store.setSetting(team, 'leadsChannel', 'C777');
        await store.setSetting(team, 'flow', 'standard');
        await store.setSetting(team, 'leadsChannel', 'C888');
        expect(await store.getSettings(team)).toEqual({ leadsChannel: 'C888', flow: 'standard' });
        expect(await store.getSettings(uniqueId('T'))).toEqual({});
      });
    });

    describe('user settings', () => {
      it('stores settings per person and team, apart from the team settings', async () => {
        expect(await store.getUserSettings(team, 'U1')).toEqual({});
        await store.setUserSetting(team, 'U1', 'home_channel', 'C1');
        await store.setUserSetting(team, 'U1', 'home_level', 'III');
        await store.setUserSetting(team, 'U1', 'home_channel', 'C2');
        await store.setUserSetting(team, 'U2', 'home_level', 'I');
        expect(await store.getUserSettings(team, 'U1')).toEqual({ home_channel: 'C2', home_level: 'III' });
        expect(await store.getUserSettings(team, 'U2')).toEqual({ home_level: 'I' });
        expect(await store.getUserSettings(uniqueId('T'), 'U1')).toEqual({});
        expect(await store.getSettings(team)).toEqual({});
      });
    });

    describe('background jobs', () => {
      const base = Date.parse('2031-01-01T00:00:00.000Z');
      const job = (itemId: string, attempt = 1) => ({ teamId: team, reviewId: 'R1', itemId, attempt, job: { op: 'job', job: 'proxy-failures', afterQuestionId: 'metric' } });

      it('hands a job whose lease ran out to one claimer, with what it needs to run it again', async () => {
        await store.startJob(job('i1'), base + 1000);
        await store.startJob(job('i2', 2), base + 2000);
        expect(await store.claimStalledJobs(base + 999, 10, 5000)).toEqual([]);
        const [a, b] = await Promise.all([store.claimStalledJobs(base + 1500, 10, 5000), store.claimStalledJobs(base + 1500, 10, 5000)]);
        expect([...a!, ...b!]).toEqual([{ ...job('i1'), lease: base + 6500 }]);
        // Held by that claimer until its own lease runs out.
        expect((await store.claimStalledJobs(base + 6499, 10, 5000)).map((item) => item.itemId)).toEqual(['i2']);
        expect((await store.claimStalledJobs(base + 6500, 1, 5000)).map((item) => item.itemId)).toEqual(['i1']);
      });

      it('drops a finished job, but not one another process claimed since', async () => {
        await store.startJob(job('i1'), base + 1000);
        await store.startJob(job('i2'), base + 1000);
        await store.finishJob(job('i1'), base + 1000);
        const [claimed] = await store.claimStalledJobs(base + 1000, 10, 5000);
        expect(claimed?.itemId).toBe('i2');
        // The first runner finishes late: its lease is no longer the job's, so the claimer keeps it.
        await store.finishJob(job('i2'), base + 1000);
        expect((await store.claimStalledJobs(base + 6000, 10, 5000)).map((item) => item.itemId)).toEqual(['i2']);
        await store.finishJob(job('i2'), base + 11_000);
        expect(await store.claimStalledJobs(base + 100_000, 10, 5000)).toEqual([]);
      });
    });

    describe('reminders', () => {
      const base = Date.parse('2030-01-01T00:00:00.000Z');
      const ids = (claimed: { teamId: string; reviewId: string }[]) => claimed.map((item) => `${item.teamId}/${item.reviewId}`);

      it('claims what is due, oldest first, up to the limit, and nothing early', async () => {
        await store.scheduleReminder(team, 'R2', base + 2000);
        await store.scheduleReminder(team, 'R1', base + 1000);
        await store.scheduleReminder(team, 'R3', base + 3000);
        expect(await store.claimDueReminders(base + 999, 10, 60_000)).toEqual([]);
        const first = await store.claimDueReminders(base + 2500, 1, 60_000);
        expect(first).toEqual([{ teamId: team, reviewId: 'R1', lease: base + 2500 + 60_000 }]);
        expect(ids(await store.claimDueReminders(base + 2500, 10, 60_000))).toEqual([`${team}/R2`]);
        expect(await store.claimDueReminders(base + 2500, 0, 60_000)).toEqual([]);
      });

      it('gives a claimed reminder to no one else until its lease runs out, then again', async () => {
        await store.scheduleReminder(team, 'R1', base);
        const [claimed] = await store.claimDueReminders(base + 10, 10, 5000);
        expect(claimed?.reviewId).toBe('R1');
        expect(await store.claimDueReminders(base + 5009, 10, 5000)).toEqual([]);
        const again = await store.claimDueReminders(base + 5010, 10, 5000);
        expect(ids(again)).toEqual([`${team}/R1`]);
        expect(again[0]?.lease).toBe(base + 10_010);
      });

      it('lets exactly one of two concurrent claims have a due reminder', async () => {
        await store.scheduleReminder(team, 'R1', base);
        const [a, b] = await Promise.all([store.claimDueReminders(base + 1, 10, 60_000), store.claimDueReminders(base + 1, 10, 60_000)]);
        expect([...a!, ...b!].map((item) => item.reviewId)).toEqual(['R1']);
      });

      it('drops a finished reminder, but keeps one rescheduled after its claim', async () => {
        await store.scheduleReminder(team, 'R1', base);
        await store.scheduleReminder(team, 'R2', base);
        const claimed = await store.claimDueReminders(base, 10, 1000);
        expect(claimed).toHaveLength(2);
        await store.scheduleReminder(team, 'R2', base + 50_000);
        for (const item of claimed) await store.finishReminder(item.teamId, item.reviewId, item.lease);
        expect(await store.claimDueReminders(base + 49_999, 10, 1000)).toEqual([]);
        expect(ids(await store.claimDueReminders(base + 50_000, 10, 1000))).toEqual([`${team}/R2`]);
      });

      it('replaces the time on a new schedule and drops it on null', async () => {
        await store.scheduleReminder(team, 'R1', base);
        await store.scheduleReminder(team, 'R1', base + 9000);
        expect(await store.claimDueReminders(base + 8999, 10, 1000)).toEqual([]);
        await store.scheduleReminder(team, 'R1', null);
        expect(await store.claimDueReminders(base + 100_000, 10, 1000)).toEqual([]);
        await store.scheduleReminder(team, 'R-never', null);
      });

      it('keeps teams apart and forgets the reminder of a deleted review', async () => {
        const other = uniqueId('T');
        const gone = await started();
        await store.scheduleReminder(team, gone.id, base);
        await store.scheduleReminder(other, gone.id, base);
        expect((await store.delete(team, gone.id, deletionBy())).outcome).toBe('deleted');
        expect(await store.claimDueReminders(base, 10, 1000)).toEqual([{ teamId: other, reviewId: gone.id, lease: base + 1000 }]);
      });
    });

    describe('starts in progress', () => {
      it('are noted once, updated only while noted, claimed once each, oldest first, only when noted before the time asked, and not once cleared', async () => {
        const base = 1_700_000_000_000;
        const start = (notedAt: number, rootTs?: string) => ({ channelId: 'C0REVIEWS', userId: 'U0ALICE', systemName: 'Resume screener', responseUrl: 'https://hooks.example/r/1', notedAt, ...(rootTs ? { rootTs } : {}) });
        const [a, b, c, d] = [uniqueId('S'), uniqueId('S'), uniqueId('S'), uniqueId('S')];
        expect(await store.noteStart(team, a, start(base + 20), 'new')).toBe(true);
        expect(await store.noteStart(team, b, start(base + 10), 'new')).toBe(true);
        expect(await store.noteStart(team, c, start(base + 30), 'new')).toBe(true);
        expect(await store.noteStart(team, d, start(base + 5), 'new')).toBe(true);
        // A replay of the same request does not take over the note.
        expect(await store.noteStart(team, c, start(base + 1), 'new')).toBe(false);
        // Noted again once its root message is posted: the later record counts.
        expect(await store.noteStart(team, b, start(base + 10, '1700000000.000100'), 'update')).toBe(true);
        await store.clearStart(team, d);
        // A start cleared (or claimed) meanwhile is not noted again by its update.
        expect(await store.noteStart(team, d, start(base + 5, '1700000000.000200'), 'update')).toBe(false);

        // Claims from other tests' teams may come along (one index for all teams): only ours are looked at.
        const ours = (claimed: Awaited<ReturnType<ReviewStore['claimLostStarts']>>) => claimed.filter((item) => item.teamId === team);
        expect(ours(await store.claimLostStarts(base + 20, 10))).toEqual([{ teamId: team, startId: b, start: start(base + 10, '1700000000.000100') }]);
        expect(ours(await store.claimLostStarts(base + 100, 1))).toEqual([{ teamId: team, startId: a, start: start(base + 20) }]);
        expect(ours(await store.claimLostStarts(base + 100, 10))).toEqual([{ teamId: team, startId: c, start: start(base + 30) }]);
        expect(ours(await store.claimLostStarts(base + 100, 10))).toEqual([]);
      });
    });

    describe('installations', () => {
      it('saves, fetches, replaces and deletes an installation by key, saying whether there was one', async () => {
        const key = uniqueId('T');
        expect(await store.fetchInstallation(key)).toBeNull();
        await store.saveInstallation(key, '{"team":{"id":"one"}}');
        await store.saveInstallation(key, '{"team":{"id":"two"}}');
        expect(await store.fetchInstallation(key)).toBe('{"team":{"id":"two"}}');
        expect(await store.fetchInstallation(uniqueId('T'))).toBeNull();
        expect(await store.deleteInstallation(key)).toBe(true);
        expect(await store.fetchInstallation(key)).toBeNull();
        // Deleted once: the second of two events asking for it finds nothing.
        expect(await store.deleteInstallation(key)).toBe(false);
      });
    });

    describe('hit', () => {
      it('counts hits per key and starts again after the window', async () => {
        const key = uniqueId('user:');
        expect(await store.hit(key, 1)).toBe(1);
        expect(await store.hit(key, 1)).toBe(2);
        expect(await store.hit(`${key}x`, 1)).toBe(1);
        expect(await store.hit(key, 1)).toBe(3);
        await harness.advance(1100);
        expect(await store.hit(key, 1)).toBe(1);
      });
    });

    describe('hitInTurn', () => {
      const counters = (limits: [number, number, number]) => [
        { name: 'once', windowSeconds: 1, limit: limits[0] },
        { name: 'person', windowSeconds: 1, limit: limits[1] },
        { name: 'team', windowSeconds: 2, limit: limits[2] },
      ];

      it('counts each counter in turn and stops at the first over its limit, leaving the rest uncounted', async () => {
        const team = uniqueId('T');
        expect(await store.hitInTurn(team, counters([5, 2, 3]))).toBe(-1);
        expect(await store.hitInTurn(team, counters([5, 2, 3]))).toBe(-1);
        // The person's third hit is over their limit of 2: the team's counter is not touched.
        expect(await store.hitInTurn(team, counters([5, 2, 3]))).toBe(1);
        expect(await store.hitInTurn(team, counters([5, 9, 3]))).toBe(-1);
        // The team's counter now holds 3: a fourth hit goes over it.
        expect(await store.hitInTurn(team, counters([9, 9, 3]))).toBe(2);
        // Stopped at the first: this counts only `once` (now 6, over 5).
        expect(await store.hitInTurn(team, counters([5, 0, 0]))).toBe(0);
        // Another team's counters are its own.
        expect(await store.hitInTurn(uniqueId('T'), counters([1, 1, 1]))).toBe(-1);
      });

      it('starts each window at its first hit, each with its own length', async () => {
        const team = uniqueId('T');
        expect(await store.hitInTurn(team, counters([1, 1, 1]))).toBe(-1);
        expect(await store.hitInTurn(team, counters([1, 1, 1]))).toBe(0);
        await harness.advance(1100);
        // `once` and `person` started again; `team` (two seconds) still holds its hit.
        expect(await store.hitInTurn(team, counters([1, 1, 1]))).toBe(2);
        expect(await store.hitInTurn(team, [])).toBe(-1);
      });
    });

    describe('values', () => {
      it('hands back state as after a JSON round trip (dates as strings, undefined dropped)', async () => {
        const when = new Date('2024-05-01T10:05:00.000Z');
        const state = makeState({ finishedAt: undefined });
        const odd = { ...state, history: [{ at: when as unknown as string, by: 'U1', action: 'start' as const }] };
        await store.create({ placement: makePlacement({ teamId: team }), state: odd }, []);
        const record = await store.get(team, state.id);
        expect(record?.state.history[0]?.at).toBe('2024-05-01T10:05:00.000Z');
        expect(record?.state).not.toHaveProperty('finishedAt');
        expect(record?.state).toEqual(JSON.parse(JSON.stringify(odd)));
      });

      it('keeps its own copies: changing objects after create, commit or get changes nothing stored', async () => {
        const state = makeState();
        const placement = makePlacement({ teamId: team, respondents: ['U1'] });
        const item = post('o:1');
        await store.create({ placement, state }, [item]);
        state.systemName = 'changed';
        placement.respondents!.push('U2');
        (item.payload as { text: string }).text = 'changed';

        const record = await store.get(team, state.id);
        expect(record?.state.systemName).toBe('Support reply assistant');
        expect(record?.placement.respondents).toEqual(['U1']);
        expect((await store.outbox(team, state.id))[0]).toEqual(post('o:1'));

        record!.state.asked.push('mutated');
        const next = answered(record!.state, 'goal', 'x', 'metric');
        await store.commit(team, state.id, 1, next, null, []);
        next.asked.push('after-commit');
        const again = await store.get(team, state.id);
        expect(again?.state.asked).toEqual(['goal', 'mutated', 'metric']);
      });
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
