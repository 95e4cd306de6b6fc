/**
 * waitFor: resolve when something shows up (a Web API call, a message, a
 * delivery), re-checking whenever the stand-in changes; on timeout, reject
 * with a dump of what did happen so a failing test explains itself.
 */
import type { Delivery } from './deliverer.js';
import type { RecordedCall, Runtime } from './runtime.js';
import type { World } from './world/types.js';

export interface WaitView {
  calls: RecordedCall[];
  world: World;
  deliveries: Delivery[];
}

export type WaitPredicate<T> = (view: WaitView) => T | undefined | null | false;

function short(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function describeRecent(view: WaitView): string {
  const calls = view.calls.slice(-15).map((call) => {
    const outcome = call.response.ok === true ? 'ok' : `error=${String(call.response.error ?? call.status)}`;
    const args = call.args;
    const where = [args.channel, args.ts ?? args.thread_ts, args.text].filter((part) => part !== undefined).map((part) => short(part, 60));
    return `  #${call.id} ${call.method} ${outcome} ${where.join(' ')}`;
  });
  const messages = view.world.messages.slice(-10).map((message) => `  ${message.channel} ${message.ts}${message.threadTs ? ` (thread ${message.threadTs})` : ''} ${message.user}: ${short(message.text)}`);
  const deliveries = view.deliveries.slice(-10).map((delivery) => `  #${delivery.id} ${delivery.description} → ${delivery.status}${delivery.error ? ` (${delivery.error})` : ''}`);
  return [
    `Web API calls (${view.calls.length}, last 15):`,
    ...(calls.length ? calls : ['  none']),
    `Messages (${view.world.messages.length}, last 10):`,
    ...(messages.length ? messages : ['  none']),
    `Deliveries to the app (${view.deliveries.length}, last 10):`,
    ...(deliveries.length ? deliveries : ['  none']),
  ].join('\n');
}

export function waitFor<T>(runtime: Runtime, predicate: WaitPredicate<T>, options: { timeoutMs?: number; description?: string } = {}): Promise<T> {
  const view = (): WaitView => ({ calls: runtime.calls, world: runtime.world, deliveries: runtime.deliverer.deliveries });
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<T>((resolve, reject) => {
    const check = () => {
      let result: T | undefined | null | false;
      try {
        result = predicate(view());
      } catch (error) {
        finish();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (result !== undefined && result !== null && result !== false) {
        finish();
        resolve(result);
      }
    };
    const onTimeout = () => {
      finish();
      reject(new Error(`waitFor timed out after ${timeoutMs} ms${options.description ? ` waiting for ${options.description}` : ''}\n${describeRecent(view())}`));
    };
    const timer = setTimeout(onTimeout, timeoutMs);
    // A slow poll as well, for predicates over things that change without an event (clock-based ones).
    const poll = setInterval(check, 100);
    const finish = () => {
      clearTimeout(timer);
      clearInterval(poll);
      runtime.events.off('change', check);
      runtime.events.off('call', check);
      runtime.events.off('delivery', check);
    };
    runtime.events.on('change', check);
    runtime.events.on('call', check);
    runtime.events.on('delivery', check);
    check();
  });
}
