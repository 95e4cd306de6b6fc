/**
 * App Home in a team with more cancelled reviews than Home looks through, all
 * newer than its open and finished ones: each filter still shows its own
 * kind (open and finished, needs a decision, cancelled), as Home counts each
 * kind apart. Through the real app: the stand-in opens the tab and picks the
 * filters, the app reads the reviews from Redis and publishes the view.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReview as startInEngine } from '../../src/engine/index.js';
import type { Flow, ReviewState } from '../../src/engine/types.js';
import { loadFlows } from '../../src/flows/load.js';
import { HOME_SCAN_LIMIT } from '../../src/leads/home.js';
import { MAX_CANCELLED_SHOWN } from '../../src/leads/home-data.js';
import { resolveFlowsDir } from '../../src/server.js';
import { ALICE, BOB, CHANNEL, TEAM } from '../support/app-harness.js';
import { startReview } from '../support/review-driver.js';
import { finishedReview, homeBlocksText, openHomeUntil } from '../leads/support/leads-driver.js';
import { startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';

const flow = loadFlows({ builtinDir: resolveFlowsDir() }).flows.get('quick-check') as Flow;
const CANCELLED = HOME_SCAN_LIMIT + 20;

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness();
});

afterEach(async () => {
  await h.close();
});

/** A review Alice started and Bob cancelled, a minute apart from the next and all after now: newer than the reviews run through Slack. */
function cancelledState(index: number): ReviewState {
  const at = new Date(Date.now() + (index + 1) * 60_000).toISOString();
  const started = startInEngine(flow, { id: `RCAN${String(index).padStart(4, '0')}`, systemName: `Dropped bot ${index}`, startedBy: ALICE, at }).state;
  return { ...started, status: 'cancelled', currentQuestionId: null, finishedAt: at, history: [...started.history, { at, by: BOB, action: 'cancel' }] };
}

async function seedCancelled(): Promise<void> {
  for (let index = 0; index < CANCELLED; index++) {
    const state = cancelledState(index);
    await h.store.create({ placement: { teamId: TEAM, channelId: CHANNEL, threadTs: `1800000000.${String(index).padStart(6, '0')}` }, state }, []);
  }
}

async function chooseShow(value: string, ready: (text: string) => boolean, what: string): Promise<string> {
  const home = await openHomeUntil(h, ALICE, () => true, 'the home');
  await h.slack.selectOption({ userId: ALICE, viewId: home.id, actionId: 'ar_home_filter_show', value });
  return h.slack.waitFor(() => (ready(homeBlocksText(h, ALICE)) ? homeBlocksText(h, ALICE) : undefined), { description: what });
}

describe('App Home with many cancelled reviews', () => {
  it('still shows the open and finished reviews, the ones needing a decision, and the cancelled ones under their filter', async () => {
    const open = await startReview(h, '--flow quick-check Invoice matcher', ALICE);
    const finished = await finishedReview(h, 'Resume screener', ALICE);
    await seedCancelled();
    expect((await h.store.listByTeam(TEAM, HOME_SCAN_LIMIT)).every((entry) => entry.status === 'cancelled')).toBe(true);

    const home = await openHomeUntil(h, ALICE, (text) => text.includes(open.reviewId) && text.includes(finished.reviewId), 'the open and the finished review');
    const text = JSON.stringify(home.definition.blocks);
    expect(text).toContain('*Open reviews* (1)');
    expect(text).toMatch(/\d+ cancelled reviews not listed here/);
    expect(text).not.toContain('RCAN');

    const waiting = await chooseShow('needs_decision', (blocks) => blocks.includes('Needs a decision*'), 'the needs-a-decision list');
    expect(waiting).toContain(finished.reviewId);

    const cancelled = await chooseShow('cancelled', (blocks) => blocks.includes('Cancelled reviews'), 'the cancelled list');
    expect(cancelled).toContain(`RCAN${String(CANCELLED - 1).padStart(4, '0')}`);
    expect(cancelled).toContain(`…and ${HOME_SCAN_LIMIT - MAX_CANCELLED_SHOWN} more`);
    expect(cancelled).not.toContain(open.reviewId);
  });
});
