import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSlotPart, reviewKeyList, reviewKeys } from '../../src/store/keys.js';
import { createRedisConnection } from '../../src/store/redis-connection.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { freePort } from '../support/global-setup.js';
import { runStoreContract } from './contract.js';
import { answered, decided, deletionBy, makePlacement, makeState, post, reply, takeLock, uniqueId } from './fixtures.js';
import { runDeletionRetryCases } from './deletion-retry.js';
import { DELETION_NOTE_SECONDS } from '../../src/store/types.js';
import { freshPrefix, keysUnder, makeRedisTestStore, testRedisUrl, type RedisTestStore } from './redis-harness.js';

runStoreContract('RedisStore', async () => {
  const made = await makeRedisTestStore();
  return { store: made.store, advance: (ms) => sleep(ms), cleanup: made.cleanup };
});

runDeletionRetryCases('RedisStore', () => makeRedisTestStore());

describe('RedisStore deletion premise on a review stored before commits kept the decision mark', () => {
  let t: RedisTestStore;
  beforeEach(async () => {
    t = await makeRedisTestStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** A decided review whose state hash has no `d`, as one last committed by an earlier version of the app. */
  async function legacyDecided(team: string) {
    const state = makeState();
    await t.store.create({ placement: makePlacement({ teamId: team }), state }, []);
    expect(await t.store.commit(team, state.id, 1, decided(state), null, [])).toBeTruthy();
    await t.inspect.hdel(reviewKeys(t.prefix, team, state.id).state, 'd');
    return (await t.store.get(team, state.id))!;
  }

  it('deletes it when nothing changed since the check', async () => {
    const team = uniqueId('T');
    const checked = await legacyDecided(team);
    const premise = { version: checked.version, decision: checked.state.decision! };
    expect((await t.store.delete(team, checked.state.id, deletionBy('U333', { premise }))).outcome).toBe('deleted');
  });

  it('refuses when the version moved, as it cannot tell whether the decision did', async () => {
    const team = uniqueId('T');
    const checked = await legacyDecided(team);
    const premise = { version: checked.version - 1, decision: checked.state.decision! };
    expect(await t.store.delete(team, checked.state.id, deletionBy('U333', { premise }))).toEqual({ outcome: 'changed' });
    expect(await t.store.get(team, checked.state.id)).not.toBeNull();
  });
});

describe('RedisStore keys', () => {
  let t: RedisTestStore;
  beforeEach(async () => {
    t = await makeRedisTestStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** Runs a review through everything the store does. */
  async function lifecycle(team: string) {
    const state = makeState();
    const placement = makePlacement({ teamId: team });
    await t.store.create({ placement, state }, [post('o:intro')]);
    await t.store.enqueue(team, state.id, reply('1700000001.000100'), ['ev:Ev1', 'm:C111:1700000001.000100'], 600);
    const token = await takeLock(t.store, team, state.id, 30_000);
    const input = await t.store.peek(team, state.id);
    const next = answered(state, 'goal', 'Reduce handling time', 'metric');
    await t.store.commit(team, state.id, 1, next, input!.id, [post('o:ask')]);
    await t.store.setRef(team, state.id, 'q:goal', '1700000002.000100');
    await t.store.outboxDone(team, state.id, { itemIds: ['o:intro', 'o:ask'], ref: { name: 'q:metric', value: '1700000002.000200' } });
    await t.store.enqueue(team, state.id, reply('1700000003.000100'), ['ev:Ev2'], 600);
    await t.store.setSetting(team, 'leadsChannel', 'C999');
    await t.store.hit(`user:${team}:U222`, 60);
    await t.store.listByTeam(team, 10);
    await t.store.commit(team, state.id, 2, { ...next, status: 'completed', currentQuestionId: null }, null, [post('o:done')]);
    // An edit after the end: counted in a new window.
    await t.store.enqueueCounted(team, state.id, reply('1700000004.000100'), [], 600, { person: 'U222', max: 10, windowSeconds: 60 });
    await t.store.unlock(team, state.id, token!);
    await t.store.lockAndLoad(team, state.id, 30_000, 'second-token');
    await t.store.setUserSetting(team, 'U222', 'home_level', 'III');
    await t.store.scheduleReminder(team, state.id, Date.now() + 60_000);
    await t.store.saveInstallation(team, '{"team":{"id":"x"}}');
    await t.store.fetchInstallation(team);
    // A start whose note is never cleared (its replica died): its record and the index of all starts stay behind.
    await t.store.noteStart(team, uniqueId('start'), { channelId: 'C111', userId: 'U222', systemName: 'Resume screener', notedAt: Date.now() }, 'new');
    return { state, placement };
  }

  it('gives every key it writes an expiry', async () => {
    await lifecycle(uniqueId('T'));
    const keys = await keysUnder(t.inspect, t.prefix);
    const kinds = new Set(keys.map((key) => key.split(':').at(-1)));
    // The lifecycle must have written each kind of key, or the check below proves little.
    for (const kind of ['state', 'inbox', 'inputs', 'seen', 'outbox', 'refs', 'lock', 'rate', 'all', 'settings']) expect(kinds).toContain(kind);
    expect(keys.some((key) => key.includes(':thread:'))).toBe(true);
    expect(keys.some((key) => key.includes(':chan:'))).toBe(true);
    expect(keys.some((key) => key.includes(':rl:'))).toBe(true);
    expect(keys.some((key) => key.includes(':user:'))).toBe(true);
    expect(keys.some((key) => key.endsWith(':reminders'))).toBe(true);
    expect(keys.some((key) => key.includes(':inst:'))).toBe(true);
    expect(keys.some((key) => key.endsWith(':starting'))).toBe(true);
    expect(keys.some((key) => key.includes(':starting:'))).toBe(true);

    const withoutExpiry: string[] = [];
    for (const key of keys) if ((await t.inspect.pttl(key)) < 0) withoutExpiry.push(key);
    expect(withoutExpiry).toEqual([]);
  });

  it('keeps review keys for retentionDays and dedupe marks for their window', async () => {
    const team = uniqueId('T');
    const { state } = await lifecycle(team);
    const keys = reviewKeys(t.prefix, team, state.id);
    const retention = 30 * 86_400;
    expect(await t.inspect.ttl(keys.state)).toBeGreaterThan(retention - 10);
    expect(await t.inspect.ttl(keys.state)).toBeLessThanOrEqual(retention);
    expect(await t.inspect.ttl(keys.seen)).toBeLessThanOrEqual(600);
    expect(await t.inspect.ttl(keys.seen)).toBeGreaterThan(590);
    expect(await t.inspect.pttl(keys.lock)).toBeLessThanOrEqual(30_000);
    expect(await t.inspect.pttl(keys.rate)).toBeLessThanOrEqual(60_000);
    expect(await t.inspect.pttl(keys.rate)).toBeGreaterThan(50_000);
  });

  it("puts one review's keys under one hash tag, and its team's index keys under another", async () => {
    const team = uniqueId('T');
    const { state } = await lifecycle(team);
    const names = reviewKeyList(reviewKeys(t.prefix, team, state.id));
    expect(new Set(names.map(hashSlotPart))).toEqual(new Set([`${team}:${state.id}`]));

    const written = await keysUnder(t.inspect, t.prefix);
    const reviewTagged = written.filter((key) => key.includes(state.id));
    expect(reviewTagged.length).toBeGreaterThanOrEqual(6);
    expect(new Set(reviewTagged.map(hashSlotPart))).toEqual(new Set([`${team}:${state.id}`]));
    // Rate counters, the reminders and starts indexes and installations are not per team and carry no hash tag.
    const teamTagged = written.filter((key) => !key.includes(state.id) && !/:rl:|:inst:|:reminders$|:starting$/.test(key));
    expect(teamTagged.length).toBeGreaterThanOrEqual(5);
    expect(new Set(teamTagged.map(hashSlotPart))).toEqual(new Set([team]));
  });

  it('leaves no key of a deleted review behind', async () => {
    const team = uniqueId('T');
    const { state } = await lifecycle(team);
    const other = makeState();
    await t.store.create({ placement: makePlacement({ teamId: team, threadTs: '1700000999.000100' }), state: other }, []);

    const before = await keysUnder(t.inspect, t.prefix);
    expect(before.filter((key) => key.includes(state.id)).length).toBeGreaterThanOrEqual(6);

    expect((await t.store.delete(team, state.id, deletionBy())).outcome).toBe('deleted');
    const after = await keysUnder(t.inspect, t.prefix);
    // Only the deletion's note is left, for an hour: where the review was and its message refs, none of what it held.
    const note = reviewKeys(t.prefix, team, state.id).deleted;
    expect(after.filter((key) => key.includes(state.id))).toEqual([note]);
    expect(Object.keys(await t.inspect.hgetall(note)).sort()).toEqual(['d', 'i', 'p', 'r']);
    expect(await t.inspect.ttl(note)).toBeGreaterThan(0);
    expect(await t.inspect.ttl(note)).toBeLessThanOrEqual(DELETION_NOTE_SECONDS);
    for (const key of after.filter((k) => k.endsWith(':all') || k.includes(':chan:'))) {
      expect(await t.inspect.zrange(key, 0, -1)).toEqual([other.id]);
    }
    expect(after.filter((key) => key.includes(':thread:'))).toHaveLength(1);
    // The reminders zset held only this review, so it is gone with its last member.
    expect(after.filter((key) => key.endsWith(':reminders'))).toEqual([]);
    expect(await t.store.get(team, other.id)).not.toBeNull();
  });

  it('drops ids of reviews that expired from the lists', async () => {
    const team = uniqueId('T');
    const kept = makeState({ startedAt: '2024-05-01T10:00:00.000Z' });
    const expired = makeState({ startedAt: '2024-05-02T10:00:00.000Z' });
    await t.store.create({ placement: makePlacement({ teamId: team, threadTs: '1.1' }), state: kept }, []);
    await t.store.create({ placement: makePlacement({ teamId: team, threadTs: '1.2' }), state: expired }, []);
    await t.inspect.del(reviewKeys(t.prefix, team, expired.id).state);

    expect((await t.store.listByTeam(team, 10)).map((e) => e.reviewId)).toEqual([kept.id]);
    const written = await keysUnder(t.inspect, t.prefix);
    expect(await t.inspect.zrange(written.find((k) => k.endsWith(':all'))!, 0, -1)).toEqual([kept.id]);
  });

  it('fills a list past ids of expired reviews', async () => {
    const team = uniqueId('T');
    const states = Array.from({ length: 14 }, (_, i) => makeState({ startedAt: new Date(Date.UTC(2024, 4, 1 + i)).toISOString() }));
    for (const [i, state] of states.entries()) {
      await t.store.create({ placement: makePlacement({ teamId: team, threadTs: `2.${i}` }), state }, []);
    }
    const newestFirst = [...states].reverse();
    for (const state of newestFirst.slice(0, 10)) await t.inspect.del(reviewKeys(t.prefix, team, state.id).state);

    expect((await t.store.listByTeam(team, 3)).map((e) => e.reviewId)).toEqual(newestFirst.slice(10, 13).map((s) => s.id));
  });
});

describe('RedisStore states it committed', () => {
  it('reads a state it committed itself without fetching it again, and a state another replica committed from Redis', async () => {
    const t = await makeRedisTestStore();
    const replica = new RedisStore({ redis: createRedisConnection({ url: testRedisUrl() }), prefix: t.prefix, retentionDays: 30 });
    try {
      const team = uniqueId('T');
      const state = makeState();
      await t.store.create({ placement: makePlacement({ teamId: team }), state }, []);
      const mine = answered(state, 'goal', 'Mine', 'metric');
      expect(await t.store.commit(team, state.id, 1, mine, null, [])).toEqual({ next: null, held: true });
      // The stored state is then spoiled behind the store's back: only a fetch would see it.
      const stateKey = reviewKeys(t.prefix, team, state.id).state;
      const packed = await t.inspect.hgetBuffer(stateKey, 's');
      await t.inspect.hset(stateKey, 's', Buffer.from([9]));
      const loaded = await t.store.lockAndLoad(team, state.id, 10_000, 'a');
      expect(loaded?.record).toMatchObject({ version: 2, state: mine });
      await t.store.unlock(team, state.id, 'a');
      await t.inspect.hset(stateKey, 's', packed!);

      // Another replica commits version 3: this store's copy of version 2 is not used.
      const theirs = answered(mine, 'metric', 'Theirs', 'proxy');
      expect(await replica.commit(team, state.id, 2, theirs, null, [])).toEqual({ next: null, held: true });
      expect((await t.store.lockAndLoad(team, state.id, 10_000, 'b'))?.record).toMatchObject({ version: 3, state: theirs });
    } finally {
      await replica.close();
      await t.cleanup();
    }
  });
});

describe('RedisStore index refresh', () => {
  it('pushes back the expiry of thread and list keys on a commit once a day has passed', async () => {
    let time = Date.now();
    const t = await makeRedisTestStore({ now: () => time });
    try {
      const team = uniqueId('T');
      const state = makeState();
      const placement = makePlacement({ teamId: team });
      await t.store.create({ placement, state }, []);
      const indexKeys = (await keysUnder(t.inspect, t.prefix)).filter((key) => hashSlotPart(key) === team);
      expect(indexKeys.length).toBe(3);
      for (const key of indexKeys) await t.inspect.expire(key, 1000);

      await t.store.commit(team, state.id, 1, state, null, []);
      for (const key of indexKeys) expect(await t.inspect.ttl(key)).toBeLessThanOrEqual(1000);

      time += 86_400_000;
      await t.store.commit(team, state.id, 2, state, null, []);
      for (const key of indexKeys) expect(await t.inspect.ttl(key)).toBeGreaterThan(30 * 86_400);
    } finally {
      await t.cleanup();
    }
  });
});

describe('RedisStore dedupe marks', () => {
  it('drops marks whose window has passed, so a long review keeps a small seen hash', async () => {
    let time = Date.now();
    const t = await makeRedisTestStore({ now: () => time });
    try {
      const team = uniqueId('T');
      const state = makeState();
      await t.store.create({ placement: makePlacement({ teamId: team }), state }, []);
      for (let i = 0; i < 40; i++) {
        time += 45_000;
        const input = reply(`17000000${String(10 + i)}.000100`);
        expect(await t.store.enqueue(team, state.id, input, [`ev:${i}`], 600)).toBe(true);
        await t.store.dropInput(team, state.id, input.id);
      }
      // 600 s at 45 s an input: the last 14 inputs are live, two marks each.
      const marks = await t.inspect.hkeys(reviewKeys(t.prefix, team, state.id).seen);
      expect(marks.length).toBeGreaterThanOrEqual(28);
      expect(marks.length).toBeLessThanOrEqual(30);
      expect(marks).toContain('k:ev:39');
      expect(marks).not.toContain('k:ev:0');
    } finally {
      await t.cleanup();
    }
  });
});

describe('RedisStore when Redis stops', () => {
  it('rejects a commit within 3 s instead of hanging, and ping says no', async () => {
    const port = await freePort();
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    const errors: Error[] = [];
    const redis = createRedisConnection({ url: `redis://127.0.0.1:${port}` }, (error) => errors.push(error));
    const store = new RedisStore({ redis, prefix: freshPrefix(), retentionDays: 1 });
    try {
      // Commands before the connection is up wait for it.
      const state = makeState();
      for (let tries = 0; !(await store.ping()); tries++) {
        if (tries > 50) throw new Error('private redis-server did not start');
        await sleep(100);
      }
      await store.create({ placement: makePlacement(), state }, []);
      expect(await store.ping()).toBe(true);

      server.kill('SIGKILL');
      await exited;

      const started = Date.now();
      const hung = sleep(5000).then(() => 'still waiting after 5 s');
      await expect(Promise.race([store.commit('T111', state.id, 1, state, null, []), hung])).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(errors.some((error) => /ECONNREFUSED|ECONNRESET/.test(error.message))).toBe(true);

      const pinged = Date.now();
      expect(await store.ping()).toBe(false);
      expect(Date.now() - pinged).toBeLessThan(3000);
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      await store.close();
    }
  });
});

describe('RedisStore waiting for replicas', () => {
  it('refuses a write no replica confirmed, though the primary took it; waits for nothing unless told', async () => {
    // The suite's Redis has no replicas: WAIT 1 can only time out.
    const made = await makeRedisTestStore();
    const waiting = new RedisStore({ redis: createRedisConnection({ url: testRedisUrl() }), prefix: made.prefix, retentionDays: 30, waitReplicas: { count: 1, timeoutMs: 50 } });
    try {
      const team = uniqueId('T');
      const state = makeState();
      await made.store.create({ placement: makePlacement({ teamId: team }), state }, []);
      await expect(waiting.enqueue(team, state.id, reply('1700000001.000100'), [], 60)).rejects.toThrow(/confirmed by 0 of 1 replicas within 50 ms/);
      // The primary has it: a caller told of the failure retracts it (InboxRecovery), as after any write that may have run.
      expect((await made.store.peek(team, state.id))?.id).toBe('m:1700000001.000100');
      await expect(waiting.commit(team, state.id, 1, state, null, [])).rejects.toThrow(/replicas/);
      await expect(waiting.dropInput(team, state.id, 'm:1700000001.000100')).rejects.toThrow(/replicas/);
      expect(await made.store.enqueue(team, state.id, reply('1700000002.000100'), [], 60)).toBe(true);
    } finally {
      await waiting.close();
      await made.cleanup();
    }
  });
});
