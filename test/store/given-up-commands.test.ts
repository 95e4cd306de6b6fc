/**
 * A command the app has already given up on (its 1.5 s timeout rejected it,
 * and the person was told "I could not save that answer") must never run
 * once Redis is back. ioredis keeps such a command in its queues and sends
 * it on reconnecting; the connection built by createRedisConnection drops it.
 *
 * Each case uses its own redis-server (test/support/fault-redis.ts), and
 * reaches the moment it needs by watching the connection's own events, not
 * by sleeping a guessed time.
 */
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_TIMEOUT_MS, createRedisConnection } from '../../src/store/redis-connection.js';
import { startPrivateRedis, type PrivateRedis } from '../support/fault-redis.js';

/** What the running case opened, for afterEach to close. */
let opened: { server: PrivateRedis; connection: Redis } | undefined;

afterEach(async () => {
  opened?.connection.disconnect();
  await opened?.server.close();
  opened = undefined;
});

/** A private server and the app's kind of connection to it, connected. */
async function connected(): Promise<{ server: PrivateRedis; connection: Redis }> {
  const server = await startPrivateRedis();
  opened = { server, connection: createRedisConnection({ url: server.url }, () => {}) as Redis };
  await opened.connection.ping();
  return opened;
}

/** Kills the server and resolves once the connection has failed to reconnect `attempts` times. */
async function killedFor(attempts: number): Promise<{ server: PrivateRedis; connection: Redis }> {
  const made = await connected();
  const seen = reconnectingEvents(made.connection, attempts);
  await made.server.kill();
  await seen;
  return made;
}

function reconnectingEvents(redis: Redis, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const listener = () => {
      seen += 1;
      if (seen < count) return;
      redis.off('reconnecting', listener);
      // ioredis empties its offline queue (maxRetriesPerRequest) right after this event, in the same turn.
      setImmediate(resolve);
    };
    redis.on('reconnecting', listener);
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the command was expected to fail');
}

async function readyAgain(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  // What the connection resends on reconnecting goes out in the 'ready' turn: let it be answered.
  await redis.ping();
}

describe('a command given up on while Redis was away', () => {
  it('is not sent when the connection comes back, if it was still waiting to be sent', async () => {
    // Six failed reconnections in: the queue was just emptied, and the next emptying is two
    // reconnections (1.2 s + 1.4 s) away, later than the command's timeout.
    const { server, connection } = await killedFor(6);
    const write = connection.set('given-up', 'yes');
    const error = await rejectionOf(write);
    expect(error.message).toBe('Command timed out');
    await server.restart();
    await readyAgain(connection);
    expect(await connection.get('given-up')).toBeNull();
    // The connection works as before: a new command runs.
    await connection.set('after', 'yes');
    expect(await connection.get('after')).toBe('yes');
  });

  it('is not sent again on a new connection, if it had been sent to a server that stopped answering', async () => {
    const { server, connection } = await connected();
    server.freeze();
    const startedAt = Date.now();
    const error = await rejectionOf(connection.set('sent-but-unanswered', 'yes'));
    expect(error.message).toBe('Command timed out');
    expect(Date.now() - startedAt).toBeLessThan(COMMAND_TIMEOUT_MS + 1000);
    // The stalled server dies without having read it; a new one starts on the same data.
    await server.kill();
    await server.restart();
    await readyAgain(connection);
    expect(await connection.get('sent-but-unanswered')).toBeNull();
  });

  it('still sends what was waiting and not given up on, once the connection is back', async () => {
    // Just after an emptying of the queue, with the next reconnection 0.4 s away.
    const { server, connection } = await killedFor(2);
    const write = connection.set('waited', 'yes');
    // Back before the command's timeout: it goes through.
    await server.restart();
    expect(await write).toBe('OK');
    expect(await connection.get('waited')).toBe('yes');
  });

  it('is still sent again on the new connection, if that came back within its timeout', async () => {
    const { server, connection } = await connected();
    server.freeze();
    const write = connection.set('resent', 'yes');
    await server.kill();
    await server.restart();
    expect(await write).toBe('OK');
    expect(await connection.get('resent')).toBe('yes');
  });
});
