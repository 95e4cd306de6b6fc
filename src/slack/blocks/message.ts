import type { KnownBlock } from '@slack/types';
import { truncate } from './text.js';

/** What chat.postMessage / chat.update take: a fallback text and the blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** A one-section message. */
export function simpleMessage(mrkdwn: string, fallback?: string): SlackMessage {
  return {
    // Cut as every text is (text.ts): a plain slice could split a surrogate pair, which the Web API client cannot encode.
    text: fallback ?? truncate(mrkdwn, 300),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }],
  };
}
