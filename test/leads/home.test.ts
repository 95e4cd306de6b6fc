import { describe, expect, it } from 'vitest';
import { AREA_IDS } from '../../src/engine/areas.js';
import type { ReviewState } from '../../src/engine/types.js';
import { homeEntryOf, isInvolved, isStale, lastActivityOf, MAX_FINISHED_SHOWN, MAX_OPEN_SHOWN, needsDecision, selectHome, type HomeEntry } from '../../src/leads/home-data.js';
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

  it('says an open review touched within the minute is active just now, not idle for 0 minutes', () => {
    const view = JSON.stringify(homeView(selectHome([entry(0, { lastActivityAt: new Date(NOW.getTime() - 20_000).toISOString() }), entry(1)], {}, 'all'), links).blocks);
    expect(view).toContain('Active just now · started by <@U1>');
    expect(view).not.toContain('Idle for 0 minutes');
    expect(view).toContain('Idle for 1 hour (since 2025-06-01 11:00 UTC) · started by <@U1>');
  });

  it('gives the overall level a line of its own, apart from the areas', () => {
    const view = JSON.stringify(homeView(selectHome([finishedEntry(2, 'III')], {}, 'all'), links).blocks);
    expect(view).toContain('\\nOverall: *Level III*\\nBy area: :large_green_circle: low — Instruction mismatch · ');
    expect(view).not.toMatch(/\*Level III\* — /);
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

  it('marks an open review, active or paused, stale after the reminder time and STALE_DAYS, from its last activity', () => {
    const state = makeState({ startedAt: '2025-05-01T00:00:00.000Z', history: [{ at: '2025-05-01T00:00:00.000Z', by: 'U1', action: 'start' }, { at: '2025-05-20T00:00:00.000Z', by: 'U1', action: 'answer' }] });
    expect(lastActivityOf(state)).toBe('2025-05-20T00:00:00.000Z');
    const rule = { reminderHours: 24, staleDays: 7 };
    expect(isStale(state, Date.parse('2025-05-27T23:59:00.000Z'), rule)).toBe(false);
    expect(isStale(state, Date.parse('2025-05-28T00:00:00.000Z'), rule)).toBe(true);
    // A paused review gets no reminder, but the same rule: a pause nobody comes back to is stale work too.
    expect(isStale({ ...state, status: 'paused' }, Date.parse('2025-05-27T23:59:00.000Z'), rule)).toBe(false);
    expect(isStale({ ...state, status: 'paused' }, Date.parse('2025-05-28T00:00:00.000Z'), rule)).toBe(true);
    expect(isStale({ ...state, status: 'completed' }, Date.parse('2025-07-01T00:00:00.000Z'), rule)).toBe(false);
    expect(isStale({ ...state, status: 'cancelled' }, Date.parse('2025-07-01T00:00:00.000Z'), rule)).toBe(false);
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

describe('App Home: paused, cancelled and waiting for a decision', () => {
  const flow = loadFlows({ builtinDir: 'flows' }).flows.get('quick-check')!;
  const rule = { reminderHours: 24, staleDays: 7 };
  const at = (iso: string) => ({ by: 'U1', at: iso });

  function started(): ReviewState {
    let state = startReview(flow, { id: 'RHOME0002', systemName: 'Invoice matcher', startedBy: 'U1', at: '2025-05-01T09:00:00.000Z' }).state;
    state = applyInput(flow, state, { type: 'reply', text: 'Pay the right suppliers, once.', ...at('2025-05-01T09:05:00.000Z'), messageTs: '1700000000.000001' }).state;
    return state;
  }

  function built(state: ReviewState, now = NOW): HomeEntry {
    return homeEntryOf(flow, { placement: makePlacement(), state, version: 3 }, now.getTime(), rule)!;
  }

  it('shows a paused review with how long it has been paused, stale by the open reviews’ rule', () => {
    const paused = applyInput(flow, started(), { type: 'pause', by: 'U2', at: '2025-05-02T10:00:00.000Z' }).state;
    const entry = built(paused);
    expect(entry).toMatchObject({ status: 'paused', pausedAt: '2025-05-02T10:00:00.000Z', stale: true });
    const text = JSON.stringify(homeView(selectHome([entry], {}, 'mine'), links).blocks);
    expect(text).toContain(':double_vertical_bar: Paused for 30 days (since 2025-05-02 10:00 UTC) at question 2 of 8 · started by <@U1>');
    expect(text).toContain(':hourglass_flowing_sand: *stale*');
    // One line says how long: an idle line beside it would say the same again.
    expect(text).not.toContain('Idle for');
    // Paused this very minute: not "for 0 minutes".
    const halfAMinuteOn = new Date('2025-05-02T10:00:30.000Z');
    const justPaused = JSON.stringify(homeView(selectHome([built(paused, halfAMinuteOn)], {}, 'mine'), { ...links, now: halfAMinuteOn }).blocks);
    expect(justPaused).toContain(':double_vertical_bar: Paused just now (since 2025-05-02 10:00 UTC) at question 2 of 8');
    expect(justPaused).not.toMatch(/0 minutes/);
    // Paused a day ago: not stale yet.
    expect(built(paused, new Date('2025-05-03T10:00:00.000Z')).stale).toBe(false);
  });

  it('keeps cancelled reviews out of the open and finished lists, says how many there are, and lists them on request with who and when', () => {
    // A typed `cancel` asks first: the same person's second one, within 2 minutes, cancels.
    const asked = applyInput(flow, started(), { type: 'cancel', by: 'U2', at: '2025-05-03T08:29:00.000Z' }).state;
    const cancelled = applyInput(flow, asked, { type: 'cancel', by: 'U2', at: '2025-05-03T08:30:00.000Z' }).state;
    const gone = built(cancelled);
    expect(gone).toMatchObject({ status: 'cancelled', cancelled: { by: 'U2', at: '2025-05-03T08:30:00.000Z' }, stale: false });

    const usual = selectHome([gone, entry(1)], {}, 'all');
    expect([usual.open.length, usual.finished.length, usual.cancelled.length, usual.cancelledNotShown]).toEqual([1, 0, 0, 1]);
    const usualText = JSON.stringify(homeView(usual, links).blocks);
    expect(usualText).not.toContain('RHOME0002');
    expect(usualText).toContain('1 cancelled review not listed here: choose *Cancelled* in the filters above.');

    const onRequest = selectHome([gone, entry(1)], { show: 'cancelled' }, 'all');
    expect(onRequest.cancelled.map((e) => e.reviewId)).toEqual(['RHOME0002']);
    expect(onRequest.open).toEqual([]);
    const text = JSON.stringify(homeView(onRequest, links).blocks);
    expect(text).toContain('*Cancelled reviews* (1)');
    expect(text).toContain(':no_entry_sign: *Cancelled*\\nCancelled by <@U2> on 2025-05-03 08:30 UTC · started by <@U1> on 2025-05-01');
    expect(text).not.toContain('Open reviews');
    // Levels belong to finished reviews: with one chosen, the list says why it is empty.
    const withLevel = homeView(selectHome([gone], { show: 'cancelled', level: 'II' }, 'all'), links);
    expect(JSON.stringify(withLevel.blocks)).toContain('Cancelled reviews have no level');
    // An old review whose history lacks the cancel still says when it ended.
    expect(built({ ...cancelled, history: cancelled.history.filter((h) => h.action !== 'cancel') }).cancelled).toEqual({ at: '2025-05-03T08:30:00.000Z' });
  });

  it('lists the finished reviews waiting for a decision, longest waiting first, including those whose answers changed since', () => {
    const waitingLong = finishedEntry(9, 'II');
    const waitingShort = finishedEntry(3, 'IV');
    const decided = { ...finishedEntry(5, 'II'), decision: { outcome: 'approved' as const, by: 'U4', at: NOW.toISOString() } };
    const editedSince = { ...finishedEntry(7, 'III'), decision: { outcome: 'approved' as const, by: 'U4', at: NOW.toISOString(), answersChangedAt: NOW.toISOString() } };
    const entries = ([entry(1), decided, waitingShort, editedSince, waitingLong] as HomeEntry[]).map((e) => ({ ...e, needsDecision: e.status === 'completed' && (!e.decision || Boolean(e.decision.answersChangedAt)) }));

    const model = selectHome(entries, { show: 'needs_decision' }, 'all');
    // The one whose answers were edited just now has waited for its new decision since then: last.
    expect(model.finished.map((e) => e.reviewId)).toEqual(['R0000009', 'R0000003', 'R0000007']);
    expect(model.open).toEqual([]);
    const view = homeView(model, links);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*Needs a decision* — finished with none recorded, or answers edited since; waiting longest first (3)');
    // Each row says how long it has waited, and marks the one that needs a decision again.
    const rows = (view.blocks as { text?: { text?: string } }[]).map((block) => block.text?.text ?? '');
    const row = (id: string) => rows.find((line) => line.includes(id))!;
    expect(row('R0000009')).toMatch(/\nFinished 9 minutes ago \(2025-06-01 11:51 UTC\) · _No decision recorded yet_$/);
    expect(row('R0000003')).toContain('Finished 3 minutes ago');
    expect(row('R0000007')).toContain('`R0000007` · :warning: *Needs a decision again*');
    expect(row('R0000007')).toContain('\nAnswers edited just now, after :white_check_mark: Approved by <@U4> on 2025-06-01 12:00 UTC · finished 2025-06-01');
    expect(row('R0000009')).not.toContain('Needs a decision again');
    expect(text).not.toContain('R0000005');
    expect(selectHome(entries, { show: 'needs_decision', level: 'IV' }, 'all').finished.map((e) => e.reviewId)).toEqual(['R0000003']);
    expect(JSON.stringify(homeView(selectHome([decided], { show: 'needs_decision' }, 'all'), links).blocks)).toContain('every finished review here has a decision');
  });

  it('builds needsDecision from the review: none yet, or one the answers have outgrown', () => {
    const state = makeState({ status: 'completed' });
    expect(needsDecision(state)).toBe(true);
    expect(needsDecision({ ...state, decision: { outcome: 'approved', by: 'U4', at: '2025-05-02T00:00:00.000Z' } })).toBe(false);
    expect(needsDecision({ ...state, decision: { outcome: 'approved', by: 'U4', at: '2025-05-02T00:00:00.000Z', answersChangedAt: '2025-05-03T00:00:00.000Z' } })).toBe(true);
    expect(needsDecision({ ...state, status: 'active' })).toBe(false);
  });

  it('offers the lists in a third filter, kept with the others, and stays within Slack’s limits', () => {
    const view = homeView(selectHome([entry(1)], { show: 'needs_decision' }, 'all'), links);
    expect(checkView(view, 'home')).toMatchObject({ messages: [] });
    const filters = view.blocks.find((block) => block.block_id === 'ar_home_filters') as { elements: { action_id: string; initial_option: { value: string }; options: { value: string }[] }[] };
    expect(filters.elements.map((element) => element.action_id)).toEqual(['ar_home_filter_channel', 'ar_home_filter_level', 'ar_home_filter_show']);
    expect(filters.elements[2]!.options.map((option) => option.value)).toEqual(['all', 'needs_decision', 'cancelled']);
    expect(filters.elements[2]!.initial_option.value).toBe('needs_decision');
    expect(filterFromSettings({ home_show: 'cancelled' })).toEqual({ show: 'cancelled' });
    expect(filterFromSettings({ home_show: 'deleted' })).toEqual({});
    const crowded = [...Array.from({ length: 60 }, (_, i) => entry(i)), ...Array.from({ length: 60 }, (_, i) => finishedEntry(100 + i, 'I')), ...Array.from({ length: 60 }, (_, i) => ({ ...entry(200 + i), status: 'cancelled' as const, waitingOn: undefined, cancelled: { by: 'U2', at: NOW.toISOString() } }))];
    for (const show of [undefined, 'cancelled', 'needs_decision'] as const) {
      const crowdedView = homeView(selectHome(crowded.map((e) => ({ ...e, needsDecision: e.status === 'completed' })), show ? { show } : {}, 'all'), links);
      expect(crowdedView.blocks.length).toBeLessThanOrEqual(100);
      expect(checkView(crowdedView, 'home').error).toBeUndefined();
    }
  });
});
