/**
 * `/alignment-review config leads #channel` moves every review's cards for
 * the whole workspace: only leads and admins may, and only to a channel
 * the app can post in (the start form's check), joining a public one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEADS_CHANNEL_LEADS_ONLY, leadsChannelRefusal } from '../../src/leads/leads-channel-setting.js';
import { LEADS_SETTING } from '../../src/reviews/placement.js';
import { BOB, BOT_USER, CAROL, CHANNEL, LEADS, PRIVATE_WITHOUT_BOT, PUBLIC_WITHOUT_BOT, TEAM } from '../support/app-harness.js';
import { DAN, startLeadsHarness, type LeadsHarness } from '../leads/support/leads-harness.js';
import { finishedReview, waitForEphemeral } from '../leads/support/leads-driver.js';
import { answerByTyping, startReview, waitForSummaryCard } from '../support/review-driver.js';

let h: LeadsHarness;

beforeEach(async () => {
  h = await startLeadsHarness({ env: { LEAD_USER_IDS: DAN } });
});

afterEach(async () => {
  await h.close();
});

async function configLeads(userId: string, channel: string, name: string): Promise<string> {
  const seq = h.slack.world.seq;
  await h.slack.slashCommand({ userId, channelId: CHANNEL, command: '/alignment-review', text: `config leads <#${channel}|${name}>` });
  return (await waitForEphemeral(h, userId, /./, seq)).text;
}

function joinCalls(channel: string) {
  return h.slack.calls.filter((call) => call.method === 'conversations.join' && call.args.channel === channel);
}

function botIsIn(channel: string): boolean {
  return h.slack.world.channels.find((candidate) => candidate.id === channel)?.members.includes(BOT_USER) ?? false;
}

describe('config leads', () => {
  it('refuses someone who is neither a lead nor an admin, privately, saying who may, and changes nothing', async () => {
    const seq = h.slack.world.seq;
    const reply = await configLeads(BOB, PUBLIC_WITHOUT_BOT, 'general');
    expect(reply).toBe(LEADS_CHANNEL_LEADS_ONLY);
    expect(reply).toContain('Only review leads and workspace admins can do that.');
    expect(reply).toContain('Nothing was changed.');
    await h.slack.settled();
    expect((await h.store.getSettings(TEAM))[LEADS_SETTING]).toBeUndefined();
    expect(joinCalls(PUBLIC_WITHOUT_BOT)).toEqual([]);
    expect(botIsIn(PUBLIC_WITHOUT_BOT)).toBe(false);
    // Private: nothing was posted in the channel, and nobody else was told.
    expect(h.slack.world.messages.filter((message) => message.seq > seq && message.user === BOT_USER)).toEqual([]);
    expect(h.slack.world.ephemerals.filter((item) => item.seq > seq && item.userId !== BOB)).toEqual([]);
    expect(h.logs.some((line) => line.msg === "Leads' channel set")).toBe(false);

    // The cards still go where they went.
    const review = await finishedReview(h, 'Unmoved cards system', BOB);
    expect(h.slack.world.messages.some((message) => message.channel === LEADS && JSON.stringify(message.blocks ?? []).includes(review.reviewId))).toBe(true);
  });

  it('lets a lead named in LEAD_USER_IDS and a workspace admin change it', async () => {
    expect(await configLeads(DAN, CHANNEL, 'ai-reviews')).toBe(`Summary cards will go to <#${CHANNEL}>.`);
    expect((await h.store.getSettings(TEAM))[LEADS_SETTING]).toBe(CHANNEL);
    expect(await configLeads(CAROL, LEADS, 'ai-leads')).toBe(`Summary cards will go to <#${LEADS}>.`);
    expect((await h.store.getSettings(TEAM))[LEADS_SETTING]).toBe(LEADS);
  });

  it('refuses a private channel the app is not in, saying to invite it first, and changes nothing; the next card still goes out', async () => {
    await h.store.setSetting(TEAM, LEADS_SETTING, LEADS);
    const reply = await configLeads(DAN, PRIVATE_WITHOUT_BOT, 'secret');
    expect(reply).toBe(leadsChannelRefusal.notAMember(PRIVATE_WITHOUT_BOT));
    expect(reply).toContain('/invite @Alignment Review');
    expect(reply).toContain("I did not change the leads' channel");
    expect((await h.store.getSettings(TEAM))[LEADS_SETTING]).toBe(LEADS);

    const review = await finishedReview(h, 'Still carded system', BOB);
    expect(h.slack.world.messages.some((message) => message.channel === LEADS && JSON.stringify(message.blocks ?? []).includes(review.reviewId))).toBe(true);
    expect(h.logs.some((line) => line.slackError === 'not_in_channel')).toBe(false);
  });

  it('joins a public channel it is not in, then sets it; the next card goes there', async () => {
    expect(botIsIn(PUBLIC_WITHOUT_BOT)).toBe(false);
    const reply = await configLeads(DAN, PUBLIC_WITHOUT_BOT, 'general');
    expect(reply).toBe(`Summary cards will go to <#${PUBLIC_WITHOUT_BOT}>. I joined it to post them there.`);
    expect(joinCalls(PUBLIC_WITHOUT_BOT)).toHaveLength(1);
    expect(botIsIn(PUBLIC_WITHOUT_BOT)).toBe(true);
    expect((await h.store.getSettings(TEAM))[LEADS_SETTING]).toBe(PUBLIC_WITHOUT_BOT);

    const review = await startReview(h, '--flow quick-check Moved cards system', BOB);
    await answerByTyping(h, review, BOB);
    await waitForSummaryCard(h, review);
    await h.slack.waitFor((view) => view.world.messages.find((message) => message.channel === PUBLIC_WITHOUT_BOT && JSON.stringify(message.blocks ?? []).includes(review.reviewId)), {
      description: "the leads' card in the joined channel",
    });
  });

  it('refuses a public channel it cannot join, and one Slack does not answer about, changing nothing', async () => {
    h.slack.failNext('conversations.join', { error: 'restricted_action' });
    expect(await configLeads(DAN, PUBLIC_WITHOUT_BOT, 'general')).toBe(leadsChannelRefusal.notJoined(PUBLIC_WITHOUT_BOT));
    expect(botIsIn(PUBLIC_WITHOUT_BOT)).toBe(false);

    h.slack.failNext('conversations.info', { error: 'internal_error' });
    expect(await configLeads(DAN, CHANNEL, 'ai-reviews')).toBe(leadsChannelRefusal.unknown(CHANNEL));
    expect((await h.store.getSettings(TEAM))[LEADS_SETTING]).toBeUndefined();
  });
});
