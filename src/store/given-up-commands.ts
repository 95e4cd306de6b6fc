/**
 * Makes sure a command the app has given up on never reaches Redis later.
 *
 * Why: when a command fails (its 1.5 s `commandTimeout`, usually while Redis
 * is away), the app tells the person at once: "I could not save that
 * answer", "I could not delete review X, so it is still there". ioredis
 * rejects the command's promise but keeps the command itself:
 * - if it was waiting in the offline queue, it is sent as soon as the
 *   connection is back, unless a `maxRetriesPerRequest` emptying of the queue
 *   came first (one every other reconnection attempt, up to 4 s apart);
 * - if it had been written to a connection that then closed unanswered, it
 *   is sent again on the new connection (`autoResendUnfulfilledCommands`).
 * Either way the answer the person was told was not saved would be saved
 * after all, and the deletion they were told did not happen would happen.
 * Here such a command is dropped instead of sent. A command not given up on
 * (Redis back within its timeout) is still sent, as before.
 *
 * A Cluster has a third way: when a node's connection closes, the Cluster
 * itself sends the commands it had written there again, on the node then
 * serving their slot (its node connections never reconnect by themselves).
 *
 * What this cannot cover: a command already written to a live connection
 * whose server is slow past the timeout (not gone) still runs when the
 * server gets to it; nothing on the client can take it back.
 *
 * On one server or Sentinel the check costs nothing on the usual path:
 * commands are only watched when they go into the offline queue, or when the
 * connection they were written to closes before answering. A Cluster's
 * retries start deep inside ioredis, so there every command is watched.
 */
import type { Cluster, Redis } from 'ioredis';

type SendCommand = Redis['sendCommand'];
type Command = Parameters<SendCommand>[0];

/** The parts of ioredis's connection this reads; not in its public types. */
interface ConnectionQueues {
  offlineQueue: { length: number; peekBack(): { command: Command } | undefined };
  prevCommandQueue?: { toArray(): Array<{ command: Command }> } | null;
}

const NOT_SENT = (): void => {};

/** Remembers the commands whose caller was given a rejection. */
function givenUpSet(): { givenUp: WeakSet<Command>; watch(command: Command): void } {
  const givenUp = new WeakSet<Command>();
  return {
    givenUp,
    watch: (command) => {
      command.promise.then(NOT_SENT, () => givenUp.add(command));
    },
  };
}

/** For one server or a Sentinel primary's connection. */
export function dropCommandsGivenUpOn(redis: Redis): void {
  const { givenUp, watch } = givenUpSet();
  const queues = redis as unknown as ConnectionQueues;

  const send: SendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    // Already rejected: its caller has moved on and told the person it failed.
    if (givenUp.has(command)) return command.promise;
    const result = send(command, stream);
    if (queues.offlineQueue.length > 0 && queues.offlineQueue.peekBack()?.command === command) watch(command);
    return result;
  };

  // The connection closed: what it had written and not heard back about waits to be sent again.
  redis.on('reconnecting', () => {
    for (const item of queues.prevCommandQueue?.toArray() ?? []) watch(item.command);
  });
}

/** For a Cluster: every command is watched as it enters, and each node connection refuses those given up on. */
export function dropClusterCommandsGivenUpOn(cluster: Cluster): void {
  const { givenUp, watch } = givenUpSet();
  const send: Cluster['sendCommand'] = cluster.sendCommand.bind(cluster);
  cluster.sendCommand = (command, stream, node) => {
    // Also the way back in for what waited in the Cluster's own queue while no node was reachable.
    if (givenUp.has(command)) return command.promise;
    watch(command);
    return send(command, stream, node);
  };
  cluster.on('+node', (node: Redis) => {
    const sendToNode: SendCommand = node.sendCommand.bind(node);
    node.sendCommand = (command, stream) => (givenUp.has(command) ? command.promise : sendToNode(command, stream));
  });
}
