/**
 * Running a whole review from a file of replies, as people would type them:
 * how flow authors try a flow (`npm run flows -- simulate`) and how scenario
 * tests calibrate it. Each question the engine asks takes its reply from the
 * map; a question with no reply there is skipped.
 */
import { applyInput, startReview } from './review.js';
import { buildSummary } from './summary.js';
import type { Flow, ReviewState, Summary } from './types.js';

export interface SimulationOptions {
  systemName: string;
  /** Time of the first step; each later step is one second after. */
  startAt: Date;
  /** Who gives the replies. */
  by?: string;
}

export type SimulationResult =
  | {
      ok: true;
      state: ReviewState;
      summary: Summary;
      /** Questions in the order they were asked. */
      asked: string[];
      /** Asked but absent from the replies: skipped. */
      missing: string[];
      /** Replies for questions that were never asked. */
      unused: string[];
    }
  | { ok: false; questionId: string; message: string; asked: string[] };

export const SKIP_REPLY = 'skip';

export function simulateReview(flow: Flow, replies: Readonly<Record<string, string>>, options: SimulationOptions): SimulationResult {
  const by = options.by ?? 'simulator';
  let tick = 0;
  const at = () => new Date(options.startAt.getTime() + 1000 * tick++).toISOString();
  let state = startReview(flow, { id: 'simulation', systemName: options.systemName, startedBy: by, at: at() }).state;
  const asked: string[] = [];
  const missing: string[] = [];
  // Every step answers one question, so a review ends within this many steps; the bound only guards against a bug.
  for (let guard = 0; state.status === 'active' && state.currentQuestionId !== null && guard < 10_000; guard++) {
    const questionId = state.currentQuestionId;
    asked.push(questionId);
    const reply = replies[questionId];
    if (reply === undefined) missing.push(questionId);
    const step =
      reply === undefined || reply.trim().toLowerCase() === SKIP_REPLY
        ? applyInput(flow, state, { type: 'skip', by, at: at() })
        : applyInput(flow, state, { type: 'reply', text: reply, by, at: at(), messageTs: `${1_700_000_000 + tick}.000100` });
    const refused = step.effects.find((effect) => effect.type === 'invalid' || effect.type === 'stale');
    if (refused && 'message' in refused) return { ok: false, questionId, message: refused.message ?? refused.type, asked };
    state = step.state;
  }
  const unused = Object.keys(replies).filter((id) => !asked.includes(id));
  return { ok: true, state, summary: buildSummary(flow, state), asked, missing, unused };
}
