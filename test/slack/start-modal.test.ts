import type { InputBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { startModal } from '../../src/slack/blocks/start-modal.js';

describe('the start modal', () => {
  it('leaves "(optional)" to Slack, which adds it after an optional input’s label', () => {
    const modal = startModal([{ id: 'quick-check', title: 'Quick alignment check', questions: { fewest: 8, most: 8 } }], { channelId: 'C1' }, 'quick-check');
    const inputs = modal.blocks.filter((block): block is InputBlock => block.type === 'input');
    expect(inputs.filter((block) => block.optional).map((block) => block.label.text)).toEqual(['Who answers', "Leads' channel for the summary"]);
    for (const block of inputs) expect(block.label.text).not.toMatch(/optional/i);
  });
});
