import { describe, expect, it } from 'vitest';
import { loadOfflineLibrary, matchProxyFailures, parseOfflineLibrary, type ProxyFailureEntry } from '../../src/llm/offline-library.js';

function entry(id: string, keywords: string[], extra: Partial<ProxyFailureEntry> = {}): ProxyFailureEntry {
  return { id, title: `Title ${id}`, why: 'Why.', safeguard: 'Safeguard.', area: 'over_optimization', keywords, source: 'Test.', ...extra };
}

describe('the system’s name in matching', () => {
  it('counts weakly, like the description: it breaks a tie but never outweighs the metric', () => {
    const library = parseOfflineLibrary(
      { entries: [entry('plain', ['rate']), entry('support', ['rate'], { domains: ['support'] }), entry('general-one', ['zzzz'], { general: true })] },
      'test',
    );
    const withName = matchProxyFailures(library, { metric: 'resolution rate', systemName: 'Support bot' });
    expect(withName.map((match) => match.entry.id)).toEqual(['support', 'plain']);
    expect(withName[0]!.score).toBe(withName[1]!.score + 1);
    expect(matchProxyFailures(library, { metric: 'resolution rate' }).map((match) => match.entry.id)).toEqual(['plain', 'support']);
  });

  it('brings a support bot the library’s support entries when its metric names only tickets', () => {
    const library = loadOfflineLibrary();
    const input = { metric: 'Ticket volume reduction', humanGoal: 'Customers want their problem solved.' };
    const without = matchProxyFailures(library, input).map((match) => match.entry.id);
    const named = matchProxyFailures(library, { ...input, systemName: 'Support bot' }).map((match) => match.entry.id);
    expect(named[0]).toBe('ticket-reduction-by-silencing');
    expect(without).not.toContain('complaint-reduction-as-satisfaction');
    expect(named).toContain('complaint-reduction-as-satisfaction');
  });
});
