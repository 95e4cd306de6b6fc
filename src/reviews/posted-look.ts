/**
 * What a drain that took a review over finds already posted. The holder
 * before it let its lease run out (it died, or stalled past the lease), so it
 * may have sent posts whose commit never came: the next question of a reply
 * it was applying (posted before the commit: inbox.ts, postingOrder), or an
 * outbox item it performed but had not yet removed. Each post carries its
 * outbox item's id as a mark in its metadata (outbox.ts), and a taken-over
 * drain's items have the same ids as the old holder's, so the new holder
 * reads the review's thread (or the other channel) once and skips a post
 * whose mark is there, taking its ts as the post's answer.
 *
 * Only a takeover looks: it costs a read of the thread, and a drain that
 * follows a holder that let go has nothing to find. A read that fails part
 * way keeps what its earlier pages found; a post not found is sent (at worst
 * twice, as before).
 */
import type { Logger } from '../logger.js';
import { markOf, type ChatClient } from '../slack/chat-client.js';

/** Pages of a thread read at most (200 messages each: a full review's thread holds about 70). */
const THREAD_PAGES = 10;
const PAGE_SIZE = 200;

/** Mark → ts of the marked messages found: those of the pages read before a read failed, if one did. */
type Found = Map<string, string>;

interface Page {
  messages?: Array<{ ts?: string; metadata?: unknown }>;
  response_metadata?: { next_cursor?: string };
}

function collect(into: Map<string, string>, page: Page): void {
  for (const message of page.messages ?? []) {
    const mark = markOf(message);
    if (mark && message.ts) into.set(mark, message.ts);
  }
}

/** The latest message ts among a review's refs (encoded as outbox.ts's encodeRef writes them), or undefined when it has none. */
export function latestRefTs(refs: Record<string, string>): string | undefined {
  let latest: string | undefined;
  for (const value of Object.values(refs)) {
    const ts = value.slice(value.indexOf('/') + 1);
    if (latest === undefined || Number(ts) > Number(latest)) latest = ts;
  }
  return latest;
}

export class PostedLook {
  /** One read per thread or channel, shared by every post of the drain that asks. */
  private readonly reads = new Map<string, Promise<Found>>();

  /**
   * `since`: the latest ts among the review's refs (see latestRefTs). The old
   * holder's unconfirmed posts came after it, since a post's ref is stored by
   * the write that confirms it: only the messages from there on are read, a
   * handful, which fit in the one short page Slack allows some apps a minute.
   */
  constructor(
    private readonly client: ChatClient,
    private readonly logger: Logger,
    private readonly context: { reviewId: string; teamId: string },
    private readonly since?: string,
  ) {}

  /** The ts of the post marked `mark` in the thread (or, without one, the channel), if the old holder sent it. */
  async find(channel: string, threadTs: string | undefined, mark: string): Promise<string | undefined> {
    const key = `${channel} ${threadTs ?? ''}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.read(channel, threadTs);
      this.reads.set(key, read);
    }
    return (await read).get(mark);
  }

  private range(): { oldest: string; inclusive: true } | Record<string, never> {
    return this.since ? { oldest: this.since, inclusive: true } : {};
  }

  private async read(channel: string, threadTs: string | undefined): Promise<Found> {
    const found = new Map<string, string>();
    try {
      if (threadTs) {
        let cursor: string | undefined;
        for (let pages = 0; pages < THREAD_PAGES; pages += 1) {
          const page = (await this.client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: PAGE_SIZE, ...this.range(), ...(cursor ? { cursor } : {}) })) as Page;
          collect(found, page);
          cursor = page.response_metadata?.next_cursor || undefined;
          if (!cursor) break;
        }
      } else {
        // Newest first: a takeover comes within a lease, or a look for work, of the crash.
        collect(found, (await this.client.conversations.history({ channel, include_all_metadata: true, limit: PAGE_SIZE, ...this.range() })) as Page);
      }
      this.logger.info({ ...this.context, channel, marked: found.size }, 'Looked for what the review’s last holder posted');
    } catch (error) {
      // What the pages before the failure hold is still known; a post not among them is sent again.
      this.logger.warn({ ...this.context, channel, marked: found.size, err: (error as Error).message }, 'Could not look through all the review’s last holder posted; sending again what was not found');
    }
    return found;
  }
}
