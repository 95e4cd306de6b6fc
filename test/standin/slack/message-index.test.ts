import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { World, WorldMessage } from '../../../src/standin/slack/world/types.js';
import { addedSince } from '../../../src/standin/slack/actors/context.js';
import { addMessage, findMessage, removeMessage, threadReplies } from '../../../src/standin/slack/world/world.js';

/** Only what the look-ups touch: the message list and its counter. */
function emptyWorld(): World {
  return { seq: 0, messages: [], ephemerals: [] } as unknown as World;
}

function post(world: World, channel: string, ts: string, threadTs?: string): WorldMessage {
  return addMessage(world, { channel, ts, ...(threadTs ? { threadTs } : {}), user: 'U1', text: `${channel} ${ts}`, via: 'person' });
}

/** The look-ups as plain scans: what the index must always agree with. */
const scanned = {
  find: (world: World, channel: string, ts: string) => world.messages.find((message) => message.channel === channel && message.ts === ts),
  replies: (world: World, channel: string, parentTs: string) =>
    world.messages.filter((message) => message.channel === channel && message.threadTs === parentTs && message.ts !== parentTs),
};

describe('the stand-in’s message look-ups', () => {
  it('find messages and thread replies by channel, in order, though channels share a ts', () => {
    const world = emptyWorld();
    const rootA = post(world, 'C1', '1.000100');
    const rootB = post(world, 'C2', '1.000100');
    const first = post(world, 'C1', '1.000200', '1.000100');
    post(world, 'C2', '1.000300', '1.000100');
    const second = post(world, 'C1', '1.000400', '1.000100');
    expect(findMessage(world, 'C1', '1.000100')).toBe(rootA);
    expect(findMessage(world, 'C2', '1.000100')).toBe(rootB);
    expect(findMessage(world, 'C1', '9.000000')).toBeUndefined();
    expect(threadReplies(world, 'C1', '1.000100')).toEqual([first, second]);
    expect(threadReplies(world, 'C1', '1.000200')).toEqual([]);
  });

  it('forget a removed message, and follow a list that was emptied and refilled or replaced, as the benchmark’s pruner does', () => {
    const world = emptyWorld();
    const root = post(world, 'C1', '1.000100');
    const reply = post(world, 'C1', '1.000200', '1.000100');
    const later = post(world, 'C1', '1.000300', '1.000100');
    expect(threadReplies(world, 'C1', '1.000100')).toEqual([reply, later]);
    removeMessage(world, reply);
    expect(findMessage(world, 'C1', '1.000200')).toBeUndefined();
    expect(threadReplies(world, 'C1', '1.000100')).toEqual([later]);

    world.messages.length = 0;
    world.messages.push(root);
    const fresh = post(world, 'C1', '1.000500', '1.000100');
    expect(findMessage(world, 'C1', '1.000300')).toBeUndefined();
    expect(threadReplies(world, 'C1', '1.000100')).toEqual([fresh]);

    world.messages = [later];
    expect(findMessage(world, 'C1', '1.000100')).toBeUndefined();
    expect(findMessage(world, 'C1', '1.000300')).toBe(later);
  });

  it('agree with a scan of the list after any mix of posts, removals and outside changes, as does what was added since a point', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('post' as const), channel: fc.constantFrom('C1', 'C2'), thread: fc.option(fc.nat(5), { nil: undefined }) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('prune' as const), keep: fc.array(fc.boolean(), { maxLength: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.array(fc.nat(40), { maxLength: 10 }), (steps, probes) => {
        const world = emptyWorld();
        let clock = 0;
        for (const each of steps) {
          if (each.kind === 'post') {
            clock += 1;
            const roots = world.messages.filter((message) => message.threadTs === undefined);
            const parent = each.thread === undefined ? undefined : roots[each.thread % Math.max(1, roots.length)];
            post(world, each.channel, `1.${String(clock).padStart(6, '0')}`, parent?.ts);
          } else if (each.kind === 'remove') {
            const victim = world.messages[each.at % Math.max(1, world.messages.length)];
            if (victim) removeMessage(world, victim);
          } else {
            const kept = world.messages.filter((_, index) => each.keep[index] ?? true);
            world.messages.length = 0;
            world.messages.push(...kept);
          }
          for (const probe of probes) {
            expect(addedSince(world.messages, probe)).toEqual(world.messages.filter((message) => message.seq > probe));
            const ts = `1.${String(probe).padStart(6, '0')}`;
            for (const channel of ['C1', 'C2']) {
              expect(findMessage(world, channel, ts)).toBe(scanned.find(world, channel, ts));
              expect(threadReplies(world, channel, ts)).toEqual(scanned.replies(world, channel, ts));
            }
          }
        }
      }),
    );
  });
});
