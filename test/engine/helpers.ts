/** Small builders for engine tests: fixture flows, a clock, and a review driven one input at a time. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFlow } from '../../src/engine/flow-parse.js';
import { applyInput, startReview } from '../../src/engine/review.js';
import type { Effect, Flow, ReviewInput, ReviewState, Step } from '../../src/engine/types.js';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export function loadFixture(name: string): Flow {
  return parseFlow(readFileSync(fixturePath(name), 'utf8'), `fixtures/${name}`);
}

/** Parses a flow from YAML text, as if it came from `flows/test.yaml`. */
export function flowFrom(yamlText: string): Flow {
  return parseFlow(yamlText, 'flows/test.yaml');
}

type Without<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;
export type InputWithoutActor = Without<ReviewInput, 'by' | 'at'>;

/**
 * A review driven step by step. Each input gets a later time (one minute
 * apart) and, for replies, a distinct message ts, so edits can find them.
 */
export class Driver {
  state: ReviewState;
  last: Step;
  private minute = 0;
  private ts = 0;

  constructor(
    readonly flow: Flow,
    readonly by = 'U1',
  ) {
    this.last = startReview(flow, { id: 'R1', systemName: 'Test system', startedBy: by, at: this.nextAt() });
    this.state = this.last.state;
  }

  nextAt(): string {
    return new Date(Date.UTC(2025, 0, 6, 9, this.minute++)).toISOString();
  }

  /** The ts the next reply will carry. */
  get nextTs(): string {
    return `1736154000.${String(this.ts + 1).padStart(6, '0')}`;
  }

  send(input: InputWithoutActor, by = this.by): Step {
    const ts = input.type === 'reply' && !('messageTs' in input && input.messageTs) ? { messageTs: this.nextTsConsumed() } : {};
    this.last = applyInput(this.flow, this.state, { ...input, ...ts, by, at: this.nextAt() } as ReviewInput);
    this.state = this.last.state;
    return this.last;
  }

  reply(text: string, by = this.by): Step {
    return this.send({ type: 'reply', text }, by);
  }

  /** Replies in order; fails the test at the first reply that is not recorded. */
  replies(...texts: string[]): Step {
    for (const text of texts) {
      const step = this.reply(text);
      if (!step.effects.some((effect) => effect.type === 'recorded')) {
        throw new Error(`reply ${JSON.stringify(text)} to ${this.state.currentQuestionId} was not recorded: ${JSON.stringify(step.effects)}`);
      }
    }
    return this.last;
  }

  get current(): string | null {
    return this.state.currentQuestionId;
  }

  private nextTsConsumed(): string {
    const ts = this.nextTs;
    this.ts += 1;
    return ts;
  }
}

export function effectTypes(effects: readonly Effect[]): string[] {
  return effects.map((effect) => effect.type);
}
