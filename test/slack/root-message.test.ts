import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load.js';
import { rootMessage } from '../../src/slack/blocks/root-message.js';
import { LIMITS, plain } from '../../src/slack/blocks/text.js';

const { flows } = loadFlows({ builtinDir: 'flows' });

function contextOf(description: string): string {
  const flow = { ...flows.get('alignment-review')!, description };
  const message = rootMessage({ systemName: 'Support bot', startedBy: 'U1', flow, questionCount: 30, reviewId: 'RROOT001' });
  const context = message.blocks.find((block) => block.type === 'context') as { elements: { text: string }[] };
  return context.elements[0]!.text;
}

describe('the root message', () => {
  it('shows the flow’s whole description when it fits', () => {
    const description = flows.get('alignment-review')!.description;
    expect(description.length).toBeGreaterThan(300);
    expect(contextOf(description)).toBe(`Review RROOT001 · _${plain(description)}_`);
  });

  it('cuts a description too long for Slack after a whole word, within the limit', () => {
    const description = 'Ask about the goal, the metric and the safeguards. '.repeat(50);
    const text = contextOf(description);
    expect(text.length).toBeLessThanOrEqual(LIMITS.contextText);
    expect(text.endsWith('…_')).toBe(true);
    const kept = text.slice('Review RROOT001 · _'.length, -'…_'.length);
    expect(kept.length).toBeGreaterThan(LIMITS.contextText - 60);
    expect(description.startsWith(kept)).toBe(true);
    expect(description[kept.length]).toBe(' ');
  });
});

describe('the root message’s question count', () => {
  const flow = flows.get('alignment-review')!;
  const sectionOf = (status?: 'active' | 'completed') => {
    const message = rootMessage({ systemName: 'Support bot', startedBy: 'U1', flow, questionCount: 29, reviewId: 'RROOT001', status });
    return (message.blocks.find((block) => block.type === 'section') as { text: { text: string } }).text.text;
  };

  it('gives the flow’s range while the review runs, since branches decide how many are asked', () => {
    expect(sectionOf('active')).toContain(`(v${flow.version}), 26–34 questions, depending on the answers`);
    expect(sectionOf('active')).not.toContain('about');
  });

  it('gives the number asked once the review is finished', () => {
    expect(sectionOf('completed')).toContain(`(v${flow.version}), 29 questions`);
  });
});
