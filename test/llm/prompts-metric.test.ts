import { describe, expect, it } from 'vitest';
import { clarifyingPrompt, proxyFailurePrompt } from '../../src/llm/prompts.js';

describe('the metric in prompts', () => {
  it('is left out while the team has not given it yet, so the model does not ask for it', () => {
    const early = clarifyingPrompt({ systemName: 'Support bot', humanGoal: 'Problems solved', metric: '' }, []);
    expect(early.user).not.toContain('field="metric"');
    expect(early.user).toContain('<team_answer field="human_goal">\nProblems solved\n</team_answer>');
  });

  it('is quoted once it is known', () => {
    expect(proxyFailurePrompt({ systemName: 'Support bot', metric: 'ticket volume' }).user).toContain('<team_answer field="metric">\nticket volume\n</team_answer>');
  });
});
