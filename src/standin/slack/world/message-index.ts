/**
 * Finds the world's messages by channel and ts, and a thread's replies,
 * without scanning every message.
 *
 * Why: every post in a thread, every update and every person's reply looks
 * up a message or a thread (the parent's reply count goes into the event
 * payloads), and under `npm run bench` the world holds a few thousand
 * messages between prunings: the scans were about 40 % of the load driver's
 * time, and they grew with the app's speed.
 *
 * The world stays plain data that tests and the benchmark's pruner change
 * directly, so the index checks on each use that the list has only grown
 * since it last looked (same array, at least as long, the same message where
 * its end was) and indexes the new messages; after any other change it is
 * built again from the list. Messages never change their channel, ts or
 * thread once added.
 */
import type { World, WorldMessage } from './types.js';

interface MessageIndex {
  list: WorldMessage[];
  /** How many of the list's messages are indexed, and the last of them. */
  count: number;
  last: WorldMessage | undefined;
  byTs: Map<string, WorldMessage>;
  /** Messages by the thread they are in (channel and thread ts), in list order: replies, not their parent. */
  byThread: Map<string, WorldMessage[]>;
}

const indexes = new WeakMap<World, MessageIndex>();

const keyOf = (channelId: string, ts: string) => `${channelId}\u0000${ts}`;

function upToDate(world: World): MessageIndex {
  const list = world.messages;
  let index = indexes.get(world);
  const onlyGrew = index !== undefined && index.list === list && list.length >= index.count && (index.count === 0 || list[index.count - 1] === index.last);
  if (!onlyGrew || index === undefined) {
    index = { list, count: 0, last: undefined, byTs: new Map(), byThread: new Map() };
    indexes.set(world, index);
  }
  for (let i = index.count; i < list.length; i++) {
    const message = list[i]!;
    const key = keyOf(message.channel, message.ts);
    // The first of equal keys wins, as a scan from the start would find it.
    if (!index.byTs.has(key)) index.byTs.set(key, message);
    if (message.threadTs !== undefined) {
      const threadKey = keyOf(message.channel, message.threadTs);
      const thread = index.byThread.get(threadKey);
      if (thread) thread.push(message);
      else index.byThread.set(threadKey, [message]);
    }
  }
  index.count = list.length;
  index.last = list[list.length - 1];
  return index;
}

export function indexedMessage(world: World, channelId: string, ts: string): WorldMessage | undefined {
  return upToDate(world).byTs.get(keyOf(channelId, ts));
}

/** The messages whose thread ts is this one, in list order (a parent carries none of its own, so only replies). */
export function indexedThread(world: World, channelId: string, threadTs: string): readonly WorldMessage[] {
  return upToDate(world).byThread.get(keyOf(channelId, threadTs)) ?? [];
}
