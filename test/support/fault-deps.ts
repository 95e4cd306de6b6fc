/**
 * The review use cases without Slack or HTTP: ReviewDeps over any store,
 * the shipped flows, an offline suggester, and a Web API client stub that
 * records what it was asked to post. For tests that need to interleave
 * store calls precisely (retractions, races) or run many cases fast.
 */
import type { WebClient } from '@slack/web-api';
import { createLogger } from '../../src/logger.js';
import { createSuggester } from '../../src/llm/suggester.js';
import { loadOfflineLibrary } from '../../src/llm/offline-library.js';
import type { ReviewDeps } from '../../src/reviews/deps.js';
import { ReviewInbox } from '../../src/reviews/inbox.js';
import { WorkTracker } from '../../src/reviews/work-tracker.js';
import { loadAllFlows } from '../../src/server.js';
import { parseConfig } from '../../src/config.js';
import type { ReviewStore } from '../../src/store/types.js';

export interface RecordedPost {
  method: string;
  args: Record<string, unknown>;
}

/** A Web API client that answers ok to what the outbox calls, and records each call. */
export function recordingClient(): { client: WebClient; calls: RecordedPost[] } {
  const calls: RecordedPost[] = [];
  let counter = 0;
  const answer = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    counter += 1;
    return { ok: true, channel: args.channel, ts: `1700000000.${String(counter).padStart(6, '0')}`, permalink: 'https://standin.example/archives/x' };
  };
  const client = {
    chat: {
      postMessage: answer('chat.postMessage'),
      update: answer('chat.update'),
      postEphemeral: answer('chat.postEphemeral'),
      getPermalink: answer('chat.getPermalink'),
    },
    conversations: { join: answer('conversations.join') },
  };
  return { client: client as unknown as WebClient, calls };
}

export interface InProcessReviews {
  deps: ReviewDeps;
  inbox: ReviewInbox;
  calls: RecordedPost[];
  client: WebClient;
}

export function inProcessReviews(store: ReviewStore): InProcessReviews {
  const logger = createLogger('silent');
  const config = parseConfig({ NODE_ENV: 'test', LLM_ENABLED: 'false' });
  const { client, calls } = recordingClient();
  const work = new WorkTracker(() => undefined);
  const deps: ReviewDeps = {
    store,
    flows: loadAllFlows(config, logger),
    suggester: createSuggester({ enabled: false, logger, library: loadOfflineLibrary(), callCounter: async () => 0 }),
    logger,
    settings: { leadUserIds: [], retentionDays: 180, reviewsPerMinutePerTeam: 20, reminderHours: 24, staleDays: 7 },
    clientFor: async () => client,
    work,
    now: () => new Date(),
  };
  const inbox = new ReviewInbox(deps, () => Promise.resolve());
  return { deps, inbox, calls, client };
}
