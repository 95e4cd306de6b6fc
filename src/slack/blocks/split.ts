/**
 * Long content in as many messages as it needs: each within Slack's 50 blocks
 * and its total-text limit. The full text always stays in the stored review.
 */
import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from './message.js';
import { LIMITS } from './text.js';

function textLength(block: KnownBlock): number {
  return JSON.stringify(block).length;
}

export function splitIntoMessages(blocks: KnownBlock[], fallback: string): SlackMessage[] {
  const messages: SlackMessage[] = [];
  let current: KnownBlock[] = [];
  let size = 0;
  for (const block of blocks) {
    const length = textLength(block);
    if (current.length > 0 && (current.length >= LIMITS.blocksPerMessage || size + length > LIMITS.messageText)) {
      messages.push({ text: fallback, blocks: current });
      current = [];
      size = 0;
    }
    current.push(block);
    size += length;
  }
  if (current.length > 0) messages.push({ text: fallback, blocks: current });
  return messages.map((message, index) =>
    index === 0 ? message : { ...message, text: `${fallback} (continued ${index + 1}/${messages.length})` },
  );
}
