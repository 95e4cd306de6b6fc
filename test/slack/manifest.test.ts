/**
 * manifest.yml is what a team pastes into Slack to create the app: an event
 * the app listens to but the manifest does not subscribe to never arrives,
 * and a scope missing there fails at the first call that needs it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ListenerContext } from '../../src/slack/listeners/context.js';
import { registerEvents } from '../../src/slack/listeners/events/index.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { REPO_ROOT } from '../support/app-process.js';

interface Manifest {
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

const manifest = parse(readFileSync(join(REPO_ROOT, 'manifest.yml'), 'utf8')) as Manifest;

describe('manifest.yml', () => {
  it('subscribes to every event the app listens to, and to the messages of the threads it runs in', () => {
    const listened: string[] = [];
    registerEvents({ event: (name: string) => listened.push(name) } as unknown as App, {} as ListenerContext);
    expect(listened).toEqual(expect.arrayContaining(['app_home_opened', 'app_uninstalled', 'tokens_revoked']));
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining([...listened, 'message.channels', 'message.groups']));
  });

  it('asks for the same bot scopes as the OAuth install', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
  });
});
