/**
 * A workspace removing the app, as Slack shows it to the app: tokens_revoked
 * (naming the bot's user id, never a token) and app_uninstalled, each an
 * event_callback for the team, in the order asked; the bot's token is
 * refused from then on with `token_revoked`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackStandin, type SlackStandin } from '../../../src/standin/slack/index.js';
import { startFakeApp, type FakeApp } from './support/fake-app.js';

const SECRET = 'uninstall-test-secret';

let slack: SlackStandin | undefined;
let app: FakeApp | undefined;

afterEach(async () => {
  await slack?.close();
  await app?.close();
});

async function post(standin: SlackStandin): Promise<Record<string, unknown>> {
  const answer = await fetch(`${standin.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${standin.botToken}` },
    body: JSON.stringify({ channel: 'C0GENERAL', text: 'still here?' }),
  });
  return (await answer.json()) as Record<string, unknown>;
}

describe('removing the app from a workspace', () => {
  it('sends tokens_revoked and app_uninstalled for the team, then refuses the bot token', async () => {
    app = await startFakeApp(SECRET);
    slack = await startSlackStandin({ signingSecret: SECRET, appUrl: app.url, echoBotEvents: false });
    expect(await post(slack)).toMatchObject({ ok: true });

    await slack.uninstallApp();
    const events = app.received.map((received) => received.body);
    expect(events.map((body) => (body.event as { type: string }).type)).toEqual(['tokens_revoked', 'app_uninstalled']);
    for (const body of events) expect(body).toMatchObject({ type: 'event_callback', team_id: slack.world.team.id, api_app_id: slack.world.bot.appId });
    expect(events[0]!.event).toEqual({ type: 'tokens_revoked', tokens: { oauth: [], bot: [slack.world.bot.userId] } });
    expect(JSON.stringify(events)).not.toContain(slack.botToken);

    expect(await post(slack)).toEqual({ ok: false, error: 'token_revoked' });
  });

  it('sends app_uninstalled first when asked: Slack promises no order', async () => {
    app = await startFakeApp(SECRET);
    slack = await startSlackStandin({ signingSecret: SECRET, appUrl: app.url, echoBotEvents: false });
    await slack.uninstallApp({ order: 'uninstalled-first' });
    expect(app.received.map((received) => (received.body.event as { type: string }).type)).toEqual(['app_uninstalled', 'tokens_revoked']);
  });
});
