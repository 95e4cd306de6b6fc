import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, BOT_USER, CAROL, CHANNEL, LEADS, PRIVATE_WITHOUT_BOT, PUBLIC_WITHOUT_BOT, TEAM, startHarness, type Harness } from '../support/app-harness.js';
import { answerByTyping, startReview, stateOf, waitForSummaryCard, waitUntil } from '../support/review-driver.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

function ephemeralsFor(userId: string, after: number) {
  return h.slack.world.ephemerals.filter((item) => item.userId === userId && item.seq > after);
}

describe('/alignment-review', () => {
  it('help answers privately and lists the flows and the thread words', async () => {
    const seq = h.slack.world.seq;
    const result = await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: 'help' });
    expect(result.status).toBe(200);
    const help = await waitUntil(() => ephemeralsFor(ALICE, seq)[0], 'the help message');
    const text = JSON.stringify(help.blocks ?? help.text);
    for (const word of ['quick-check', 'agent-autonomy', 'alignment-review', 'skip', 'back', 'status', 'pause', 'resume', 'cancel', 'finish']) {
      expect(text).toContain(word);
    }
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toHaveLength(0);
  });

  it('refuses an unknown flow privately and posts nothing', async () => {
    const seq = h.slack.world.seq;
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: '--flow nonsense Some system' });
    const reply = await waitUntil(() => ephemeralsFor(ALICE, seq)[0], 'the refusal');
    expect(reply.text).toContain('There is no flow called `nonsense`');
    expect(reply.text).toContain('quick-check');
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toHaveLength(0);
  });

  it('list shows the channel’s open and recent reviews privately', async () => {
    const open = await startReview(h, '--flow quick-check Listed open system', ALICE);
    const done = await startReview(h, '--flow quick-check Listed finished system', BOB);
    await answerByTyping(h, done, BOB);
    const seq = h.slack.world.seq;
    await h.slack.slashCommand({ userId: ALICE, channelId: CHANNEL, command: '/alignment-review', text: 'list' });
    const list = await waitUntil(() => ephemeralsFor(ALICE, seq)[0], 'the list');
    const text = JSON.stringify(list.blocks);
    expect(text).toContain('Open reviews');
    expect(text).toContain('Listed open system');
    expect(text).toContain(open.reviewId);
    expect(text).toContain('Recent reviews');
    expect(text).toContain('Listed finished system');
  });

  it('joins a public channel it is not in, so it can hear the thread', async () => {
    const review = await startReview(h, '--flow quick-check Joined channel system', ALICE, PUBLIC_WITHOUT_BOT);
    expect(h.slack.calls.some((call) => call.method === 'conversations.join' && call.args.channel === PUBLIC_WITHOUT_BOT)).toBe(true);
    expect(h.slack.world.channels.find((channel) => channel.id === PUBLIC_WITHOUT_BOT)?.members).toContain(BOT_USER);
    expect((await stateOf(h, review.reviewId)).currentQuestionId).toBeTruthy();
  });

  it('in a private channel it is not in, says how to invite it and stores nothing', async () => {
    const seq = h.slack.world.seq;
    await h.slack.slashCommand({ userId: ALICE, channelId: PRIVATE_WITHOUT_BOT, command: '/alignment-review', text: 'Secret system' });
    const reply = await waitUntil(() => ephemeralsFor(ALICE, seq)[0], 'the invite hint');
    expect(reply.text).toContain('/invite @Alignment Review');
    expect(await h.store.listByChannel(TEAM, PRIVATE_WITHOUT_BOT, 10)).toHaveLength(0);
  });

  it('config leads sets where summary cards go', async () => {
    const seq = h.slack.world.seq;
    // Carol is a workspace admin: only leads and admins may change it (test/e2e/leads-config.test.ts).
    await h.slack.slashCommand({ userId: CAROL, channelId: CHANNEL, command: '/alignment-review', text: `config leads <#${CHANNEL}|ai-reviews>` });
    const reply = await waitUntil(() => ephemeralsFor(CAROL, seq)[0], 'the confirmation');
    expect(reply.text).toContain(`<#${CHANNEL}>`);
    expect((await h.store.getSettings(TEAM)).leads_channel).toBe(CHANNEL);
    const review = await startReview(h, '--flow quick-check Routed card system', ALICE);
    await answerByTyping(h, review, ALICE);
    await waitForSummaryCard(h, review);
    // The compact card goes to the configured channel, not LEADS_CHANNEL.
    const compact = await h.slack.waitFor(
      (view) => view.world.messages.find((message) => message.channel === CHANNEL && !message.threadTs && message.seq > seq && /finished: Routed card system/.test(message.text)),
      { description: 'the compact card in the configured channel' },
    );
    expect(compact).toBeDefined();
    expect(h.slack.world.messages.some((message) => message.channel === LEADS && /Routed card system/.test(message.text))).toBe(false);
    await h.store.setSetting(TEAM, 'leads_channel', LEADS);
  });
});

describe('Slack’s refusals', () => {
  it('a leads’ channel the app cannot post in is explained in the thread, and nothing is lost', async () => {
    await h.store.setSetting(TEAM, 'leads_channel', PRIVATE_WITHOUT_BOT);
    try {
      const review = await startReview(h, '--flow quick-check Uninvited leads system', ALICE);
      await answerByTyping(h, review, ALICE);
      await waitForSummaryCard(h, review);
      const note = await h.slack.waitFor(
        (view) => view.world.messages.find((message) => message.threadTs === review.threadTs && message.user === BOT_USER && message.text.includes(`<#${PRIVATE_WITHOUT_BOT}>`)),
        { description: 'the invite note in the thread' },
      );
      expect(note.text).toContain('/invite @Alignment Review');
      expect((await stateOf(h, review.reviewId)).status).toBe('completed');
    } finally {
      await h.store.setSetting(TEAM, 'leads_channel', LEADS);
    }
  });
});
