/**
 * One Web API call from start to answer: unknown methods, the bot token
 * (Bearer header or `token` argument), injected failures, then the method.
 */
import { failureAnswer, type FailureQueue } from '../failures.js';
import type { Runtime } from '../runtime.js';
import { fail, type Args, type MethodAnswer } from './method.js';
import { WEB_API_METHODS } from './registry.js';

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

export function dispatchWebApi(
  runtime: Runtime,
  failures: FailureQueue,
  method: string,
  args: Args,
  authorization: string | undefined,
): MethodAnswer {
  const handler = WEB_API_METHODS[method];
  if (!handler) return fail('unknown_method', { req_method: method });
  const token = bearerToken(authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
  if (!token) return fail('not_authed');
  if (token !== runtime.options.botToken) return fail('invalid_auth');
  // As Slack answers a token of an app the workspace removed.
  if (runtime.world.bot.uninstalled) return fail('token_revoked');
  const injected = failures.take(method, args);
  if (injected && !injected.performed) return failureAnswer(injected);
  let answer: MethodAnswer;
  try {
    answer = handler(runtime, args);
  } catch (error) {
    answer = { ...fail('internal_error'), notes: [`handler threw: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return injected ? failureAnswer(injected) : answer;
}
