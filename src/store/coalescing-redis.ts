/**
 * An ioredis connection that sends every command given in one turn of the
 * event loop in one socket write.
 *
 * Why: each reply costs the app two Redis round trips (the input queued, the
 * state committed), and under load those come from many reviews' separate
 * I/O callbacks. Every write to Redis's socket is a system call that wakes
 * the server, and often hands it the core the app was running on: in the V8
 * profile of `npm run bench` those two writes were about 12 % of the app's
 * samples. The first command of a turn corks the socket, and the check phase
 * that follows the turn's callbacks (setImmediate) uncorks it, so the turn's
 * commands leave together in one writev (about four under that load) and
 * Redis wakes once for them: the app's CPU per reply fell by about 8 %. A
 * command waits at most until the end of the turn it was given in; order is
 * unchanged.
 *
 * ioredis's own `enableAutoPipelining` batches per process.nextTick through
 * its pipeline machinery: it did not help here (see docs/performance.md, "Tried and dropped").
 * Cluster connections are built by ioredis itself and are left as they are.
 */
import { Redis } from 'ioredis';

type SendCommand = Redis['sendCommand'];

export class CoalescingRedis extends Redis {
  /** The socket corked in the current turn, if any (a reconnect brings a new one). */
  private corkedSocket: Redis['stream'] | undefined;

  override sendCommand(...args: Parameters<SendCommand>): ReturnType<SendCommand> {
    const [, target] = args;
    const socket = this.stream;
    // Only commands written straight to the connection's socket: a pipeline passes its own target.
    if (target === undefined && this.status === 'ready' && socket?.writable && this.corkedSocket !== socket) {
      this.corkedSocket = socket;
      socket.cork();
      setImmediate(() => {
        if (this.corkedSocket === socket) this.corkedSocket = undefined;
        socket.uncork();
      });
    }
    return super.sendCommand(...args);
  }
}
