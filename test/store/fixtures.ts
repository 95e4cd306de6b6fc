/** Review records for store tests, shaped like what the engine and the Slack adapter produce. */
import { randomBytes, randomUUID } from 'node:crypto';
import { REVIEW_SCHEMA_VERSION, type Decision, type ReviewState } from '../../src/engine/types.js';
import type { Deletion, OutboxItem, QueuedInput, ReviewPlacement, ReviewStore } from '../../src/store/types.js';

export function uniqueId(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export function makeState(overrides: Partial<ReviewState> = {}): ReviewState {
  return {
    schema: REVIEW_SCHEMA_VERSION,
    id: uniqueId('r'),
    flowId: 'standard',
    flowVersion: 1,
    systemName: 'Support reply assistant',
    startedBy: 'U111',
    startedAt: '2024-05-01T10:00:00.000Z',
    status: 'active',
    currentQuestionId: 'goal',
    asked: ['goal'],
    answers: {},
    extraQuestions: [],
    suggestions: [],
    redTeam: [],
    history: [{ at: '2024-05-01T10:00:00.000Z', by: 'U111', action: 'start' }],
    ...overrides,
  };
}

export function makePlacement(overrides: Partial<ReviewPlacement> = {}): ReviewPlacement {
  return { teamId: 'T111', channelId: 'C111', threadTs: '1700000000.000100', ...overrides };
}

/** A state one answer further on, as the engine would commit it. */
export function answered(state: ReviewState, questionId: string, text: string, next: string | null): ReviewState {
  return {
    ...state,
    currentQuestionId: next,
    asked: next ? [...state.asked, next] : state.asked,
    answers: {
      ...state.answers,
      [questionId]: { questionId, value: { kind: 'text', text }, by: 'U222', at: '2024-05-01T10:05:00.000Z', messageTs: '1700000300.000200' },
    },
    history: [...state.history, { at: '2024-05-01T10:05:00.000Z', by: 'U222', action: 'answer', questionId }],
  };
}

export function reply(seq: string, text = 'Reduce handling time without hurting resolution'): QueuedInput {
  return { id: `m:${seq}`, seq, payload: { type: 'reply', text, by: 'U222', at: '2024-05-01T10:05:00.000Z', messageTs: seq } };
}

export function post(id: string): OutboxItem {
  return { id, payload: { op: 'post', text: `message ${id}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] } };
}

/** Takes a review's lock as a drain does (lockAndLoad), for tests of the lease itself: its token, or null when held. */
export async function takeLock(store: ReviewStore, teamId: string, reviewId: string, ttlMs: number, token: string = randomUUID()): Promise<string | null> {
  return (await store.lockAndLoad(teamId, reviewId, ttlMs, token))?.token ?? null;
}

/** A person's deletion as leads/delete-review.ts makes one, with an id of its own; without a premise unless given one. */
export function deletionBy(by = 'U999', overrides: Partial<Deletion> = {}): Deletion {
  return { id: randomUUID(), by, at: '2024-05-02T09:00:00.000Z', ...overrides };
}

/** A finished review's state with a lead's decision on it. */
export function decided(state: ReviewState, by = 'U333', at = '2024-05-01T11:00:00.000Z', outcome: Decision['outcome'] = 'approved'): ReviewState {
  return { ...state, status: 'completed', currentQuestionId: null, decision: { outcome, by, at }, history: [...state.history, { at, by, action: 'decision' }] };
}

/** A lead's decision queued in the inbox, its id as leads/sign-off.ts names it. */
export function decisionInput(seq: string, by = 'U333'): QueuedInput {
  return { id: `decide:V1:${seq}`, seq, payload: { input: { type: 'decide', outcome: 'approved', by, at: '2024-05-01T11:00:00.000Z' } } };
}
