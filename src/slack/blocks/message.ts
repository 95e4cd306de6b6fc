import type { KnownBlock } from '@slack/types';

/** What chat.postMessage / chat.update take: a fallback text and the blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** A one-section message. */
export function simpleMessage(mrkdwn: string, fallback?: string): SlackMessage {
  return {
    text: fallback ?? mrkdwn.slice(0, 300),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } }],
  };
}
