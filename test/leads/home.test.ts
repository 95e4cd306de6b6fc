import { describe, expect, it } from 'vitest';
import { AREA_IDS } from '../../src/engine/areas.js';
import type { ReviewState } from '../../src/engine/types.js';
import { homeEntryOf, isInvolved, isStale, lastActivityOf, MAX_FINISHED_SHOWN, MAX_OPEN_SHOWN, selectHome, type HomeEntry } from '../../src/leads/home-data.js';
import { applyInput, startReview } from '../../src/engine/index.js';
import { loadFlows } from '../../src/flows/load.js';
import { filterFromSettings, threadUrl } from '../../src/leads/home.js';
import { peopleToRefresh } from '../../src/leads/home-refresh.js';
import { durationSince, homeView } from '../../src/slack/blocks/home.js';
import { checkView } from '../../src/standin/slack/blocks/limits.js';
import { makePlacement, makeState } from '../store/fixtures.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

function entry(i: number, overrides: Partial<HomeEntry> = {}): HomeEntry {
  const started = new Date(NOW.getTime() - i * 3_600_000).toISOString();
  return {
    reviewId: `R${String(i).padStart(7, '0')}`,
    channelId: i % 3 === 0 ? 'C0THREE' : 'C0OTHER',
    threadTs: `17000000${String(i).padStart(2, '0')}.000100`,
    systemName: `System ${i}`,
    flowTitle: 'Quick check',
    status: 'active',
    startedBy: 'U1',
    startedAt: started,
    lastActivityAt: started,
    waitingOn: { number: 2, total: { fewest: 8, most: 8 }, prompt: 'What does it optimise?' },
    stale: false,
    ...overrides,
  };
}

function finishedEntry(i: number, overall: 'I' | 'II' | 'III' | 'IV'): HomeEntry {
  return entry(i, {
    status: 'completed',
    waitingOn: undefined,
    overall,
    finishedAt: new Date(NOW.getTime() - i * 60_000).toISOString(),
    areas: AREA_IDS.map((area, n) => ({ area, level: (['low', 'medium', 'high', 'not_assessed'] as const)[n % 4]! })),
  });
}

const links = { threadUrl: (e: HomeEntry) => `https://standin.slack.com/archives/${e.channelId}/p${e.threadTs.replace('.', '')}`, channelName: (id: string) => `#${id.toLowerCase()}`, now: NOW };

describe('App Home', () => {
  it('keeps a crowded workspace within Slack’s 100 blocks and says how many more there are', () => {
    const entries = [...Array.from({ length: 100 }, (_, i) => entry(i)), ...Array.from({ length: 50 }, (_, i) => finishedEntry(100 + i, 'III'))];
    const model = selectHome(entries, {}, 'all');
    expect(model.open).toHaveLength(MAX_OPEN_SHOWN);
    expect(model.finished).toHaveLength(MAX_FINISHED_SHOWN);
    expect([model.moreOpen, model.moreFinished]).toEqual([60, 10]);
    const view = homeView(model, links);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(checkView(view, 'home').error).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain('…and 60 more');
    expect(JSON.stringify(view.blocks)).toContain('…and 10 more');
  });

  it('stays valid with the longest names and prompts', () => {
    const long = 'x'.repeat(3000);
    const entries = [entry(1, { systemName: long, waitingOn: { number: 1, total: { fewest: 1, most: 1 }, prompt: long } }), { ...finishedEntry(2, 'IV'), systemName: long }];
    const view = homeView(selectHome(entries, {}, 'mine'), { ...links, channelName: () => long });
    expect(checkView(view, 'home')).toMatchObject({ messages: [] });
  });

  it('names each area’s level in words beside its colour, as the summary card does', () => {
    const view = JSON.stringify(homeView(selectHome([finishedEntry(2, 'III')], {}, 'all'), links).blocks);
    expect(view).toContain(':large_green_circle: low — Instruction mismatch');
    expect(view).toContain(':large_orange_circle: *medium* — Reward misspecification');
    expect(view).toContain(':red_circle: *high* — Goal misalignment');
    expect(view).toContain(':white_circle: not assessed — Value complexity');
  });

  it('orders open reviews newest first and finished ones by when they finished', () => {
    const model = selectHome([entry(5), entry(1), finishedEntry(9, 'I'), finishedEntry(3, 'II')], {}, 'all');
    expect(model.open.map((e) => e.reviewId)).toEqual(['R0000001', 'R0000005']);
    expect(model.finished.map((e) => e.reviewId)).toEqual(['R0000003', 'R0000009']);
  });

  it('filters by channel and by level; a level shows finished reviews only; an unknown channel filter is dropped', () => {
    const entries = [entry(1), entry(3), finishedEntry(6, 'II'), finishedEntry(7, 'IV')];
    const byChannel = selectHome(entries, { channel: 'C0THREE' }, 'all');
    expect([...byChannel.open, ...byChannel.finished].map((e) => e.reviewId)).toEqual(['R0000003', 'R0000006']);
    expect(byChannel.channels).toEqual(['C0OTHER', 'C0THREE']);
    const byLevel = selectHome(entries, { level: 'IV' }, 'all');
    expect(byLevel.open).toEqual([]);
    expect(byLevel.finished.map((e) => e.reviewId)).toEqual(['R0000007']);
    const view = JSON.stringify(homeView(byLevel, links).blocks);
    expect(view).not.toContain('Open reviews');
    expect(view).toContain('Finished at Level IV');
    expect(selectHome(entries, { channel: 'C0GONE' }, 'all').filter).toEqual({});
  });

  it('reads saved filters, ignoring what is not a filter', () => {
    expect(filterFromSettings({ home_channel: 'C1', home_level: 'III' })).toEqual({ channel: 'C1', level: 'III' });
    expect(filterFromSettings({ home_channel: 'all', home_level: 'all' })).toEqual({});
    expect(filterFromSettings({ home_level: 'V' })).toEqual({});
  });

  it('marks an active review stale after the reminder time and STALE_DAYS, from its last activity', () => {
    const state = makeState({ startedAt: '2025-05-01T00:00:00.000Z', history: [{ at: '2025-05-01T00:00:00.000Z', by: 'U1', action: 'start' }, { at: '2025-05-20T00:00:00.000Z', by: 'U1', action: 'answer' }] });
    expect(lastActivityOf(state)).toBe('2025-05-20T00:00:00.000Z');
    const rule = { reminderHours: 24, staleDays: 7 };
    expect(isStale(state, Date.parse('2025-05-27T23:59:00.000Z'), rule)).toBe(false);
    expect(isStale(state, Date.parse('2025-05-28T00:00:00.000Z'), rule)).toBe(true);
    expect(isStale({ ...state, status: 'paused' }, Date.parse('2025-07-01T00:00:00.000Z'), rule)).toBe(false);
    expect(durationSince('2025-05-20T00:00:00.000Z', NOW)).toBe('12 days');
    expect(durationSince('2025-06-01T11:59:00.000Z', NOW)).toBe('1 minute');
    expect(durationSince('2025-06-01T07:00:00.000Z', NOW)).toBe('5 hours');
  });

  it('shows a person the reviews they are part of, and refreshes the homes of those people', () => {
    const state: ReviewState = {
      ...makeState({ startedBy: 'U1' }),
      answers: { goal: { questionId: 'goal', value: { kind: 'text', text: 'x' }, by: 'U2', at: '2025-05-01T00:00:00.000Z' } },
      suggestions: [{ id: 's', title: 't', why: 'w', safeguard: 'g', area: 'over_optimization', source: 'offline', afterQuestionId: 'goal', verdict: { relevant: true, by: 'U3', at: '2025-05-01T00:00:00.000Z' } }],
      decision: { outcome: 'approved', by: 'U4', at: '2025-05-02T00:00:00.000Z' },
    };
    const record = { placement: makePlacement({ respondents: ['U5'] }), state, version: 3 };
    for (const user of ['U1', 'U2', 'U3', 'U4', 'U5']) expect(isInvolved(record, user)).toBe(true);
    expect(isInvolved(record, 'U9')).toBe(false);
    expect(peopleToRefresh(record.placement, { ...state, answers: { ...state.answers, x: { ...state.answers.goal!, by: 'bot' } } }, ['U7']).sort()).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U7']);
  });

  it('links to a thread the way Slack writes permalinks, and not at all without a workspace URL', () => {
    expect(threadUrl('https://acme.slack.com/', 'C1', '1700000000.000100')).toBe('https://acme.slack.com/archives/C1/p1700000000000100');
    expect(threadUrl('https://acme.slack.com', 'C1', '1700000000.000100')).toBe('https://acme.slack.com/archives/C1/p1700000000000100');
    expect(threadUrl(undefined, 'C1', '1700000000.000100')).toBeUndefined();
    expect(threadUrl('javascript:alert(1)', 'C1', '1700000000.000100')).toBeUndefined();
    const view = homeView(selectHome([entry(1)], {}, 'mine'), { ...links, threadUrl: () => undefined });
    expect(JSON.stringify(view.blocks)).not.toContain('ar_open_thread');
  });

  it('shows a review finished with too little answered as such, not by a level, built from the review itself', () => {
    const flow = loadFlows({ builtinDir: 'flows' }).flows.get('quick-check')!;
    let state = startReview(flow, { id: 'RHOME0001', systemName: 'Barely answered', startedBy: 'U1', at: NOW.toISOString() }).state;
    state = applyInput(flow, state, { type: 'reply', text: 'Screen applicants fairly and quickly', by: 'U1', at: NOW.toISOString(), messageTs: '1700000000.000001' }).state;
    state = applyInput(flow, state, { type: 'finish', by: 'U1', at: NOW.toISOString() }).state;
    const built = homeEntryOf(flow, { placement: makePlacement(), state, version: 3 }, NOW.getTime(), { reminderHours: 24, staleDays: 3 })!;
    expect(built.overallText).toBe('Not enough answered');
    const view = JSON.stringify(homeView(selectHome([built], {}, 'all'), links).blocks);
    expect(view).toContain('*Not enough answered*');
    expect(view).not.toMatch(/\*Level (I|II|III|IV)\*/);
  });
});
