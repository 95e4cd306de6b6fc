import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DRAFT_LIMITS,
  loadOfflineLibrary,
  matchProxyFailures,
  parseOfflineLibrary,
  type OfflineLibrary,
  type ProxyFailureEntry,
} from '../../src/llm/offline-library.js';

let library: OfflineLibrary;

beforeAll(() => {
  library = loadOfflineLibrary();
});

const ids = (input: Parameters<typeof matchProxyFailures>[1], limit?: number) =>
  matchProxyFailures(library, input, limit).map((match) => match.entry.id);

describe('the shipped library file', () => {
  it('has at least 40 valid entries with unique ids, each with a source', () => {
    expect(library.entries.length).toBeGreaterThanOrEqual(40);
    expect(new Set(library.entries.map((entry) => entry.id)).size).toBe(library.entries.length);
    for (const entry of library.entries) {
      expect(entry.source.length, entry.id).toBeGreaterThan(10);
      expect(entry.title.length, entry.id).toBeLessThanOrEqual(DRAFT_LIMITS.title);
      expect(entry.why.length, entry.id).toBeLessThanOrEqual(DRAFT_LIMITS.why);
      expect(entry.safeguard.length, entry.id).toBeLessThanOrEqual(DRAFT_LIMITS.safeguard);
      expect(entry.keywords.length, entry.id).toBeGreaterThan(0);
    }
  });

  it('covers both areas and has a few general entries', () => {
    const areas = new Set(library.entries.map((entry) => entry.area));
    expect(areas).toEqual(new Set(['reward_misspecification', 'over_optimization']));
    const general = library.entries.filter((entry) => entry.general);
    expect(general.length).toBeGreaterThanOrEqual(3);
  });

  it('has no word broken by a line fold ("approved- supplier")', () => {
    for (const entry of library.entries) {
      for (const text of [entry.title, entry.why, entry.safeguard, entry.source]) expect(text, entry.id).not.toMatch(/[a-z]- [a-z]/i);
    }
  });

  it('puts the most broadly apt general entry first', () => {
    expect(library.entries.filter((entry) => entry.general)[0]!.id).toBe('goodhart-single-target');
  });

  it('names its file as the source', () => {
    expect(library.source).toMatch(/data[/\\]proxy-failures\.yaml$/);
  });
});

describe('matching the scenarios', () => {
  it('resume screener: speed and similarity to past hires', () => {
    const top = ids({ metric: 'time to hire, % of candidates matching past hires', objective: 'Shortlist the best applicants' });
    expect(top.slice(0, 2).sort()).toEqual(['hiring-speed-filters-nontraditional', 'past-hires-as-talent']);
  });

  it('support bot: ticket volume reduction', () => {
    const top = ids({ metric: 'ticket volume reduction', objective: 'Resolve customer issues without a human' });
    expect(top[0]).toBe('ticket-reduction-by-silencing');
    expect(top).toContain('chat-resolution-by-closing');
  });

  it('feed ranking: engagement and time on site', () => {
    const top = ids({ metric: 'engagement, time on site' });
    expect(top.slice(0, 2).sort()).toEqual(['engagement-promotes-outrage', 'watch-time-recommender']);
  });

  it('purchasing agent: cost savings per order', () => {
    const top = ids({ metric: 'cost savings per order' });
    expect(top[0]).toBe('cheapest-supplier-wins');
    expect(top.slice(0, 3)).toContain('orders-split-under-approval-limits');
  });

  it('claims triage: claims cost per policy', () => {
    expect(ids({ metric: 'claims cost per policy' })[0]).toBe('claims-denial-cuts-cost');
  });

  it('summarizer: summary length and reviewer edits', () => {
    const top = ids({ metric: 'summary length and reviewer edits' });
    expect(top.slice(0, 2).sort()).toEqual(['fewer-edits-rubber-stamping', 'summary-brevity-drops-facts']);
  });

  it('falls back to the general entries when nothing matches', () => {
    const matches = matchProxyFailures(library, { metric: 'qwzx blorp' });
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every((match) => match.entry.general === true && match.score === 0)).toBe(true);
    expect(matches.slice(0, 2).map((match) => match.entry.id)).toEqual(['goodhart-single-target', 'harm-outside-the-metric']);
  });

  it('is deterministic and respects the limit', () => {
    const input = { metric: 'engagement, clicks and conversion rate', objective: 'grow sales' };
    expect(ids(input, 3)).toHaveLength(3);
    expect(ids(input)).toEqual(ids(input));
    expect(ids(input, 3)).toEqual(ids(input).slice(0, 3));
  });
});

function entry(id: string, keywords: string[], extra: Partial<ProxyFailureEntry> = {}): ProxyFailureEntry {
  return { id, title: `Title ${id}`, why: 'Why.', safeguard: 'Safeguard.', area: 'over_optimization', keywords, source: 'Test.', ...extra };
}

function small(entries: ProxyFailureEntry[]): OfflineLibrary {
  return parseOfflineLibrary({ entries: [...entries, entry('general-one', ['zzzz'], { general: true })] }, 'test');
}

describe('the matcher', () => {
  const lib = small([entry('tickets', ['ticket volume']), entry('engagement', ['engagement']), entry('costs', ['cost'])]);
  const match = (input: Parameters<typeof matchProxyFailures>[1]) => matchProxyFailures(lib, input).map((m) => m.entry.id);

  it('weighs the metric over the objective', () => {
    const lib2 = small([entry('tickets', ['tickets']), entry('engagement', ['engagement'])]);
    const found = (input: Parameters<typeof matchProxyFailures>[1]) => matchProxyFailures(lib2, input).map((m) => m.entry.id);
    expect(found({ metric: 'engagement', objective: 'fewer tickets' })).toEqual(['engagement', 'tickets']);
    expect(found({ metric: 'tickets', objective: 'more engagement' })).toEqual(['tickets', 'engagement']);
  });

  it('counts a longer phrase as more specific', () => {
    const lib2 = small([entry('word', ['ticket']), entry('phrase', ['ticket volume'])]);
    expect(matchProxyFailures(lib2, { metric: 'ticket volume' }).map((m) => m.entry.id)).toEqual(['phrase', 'word']);
  });

  it('matches whole words only, case-insensitively, with plural, -ing and -ed forms', () => {
    expect(match({ metric: 'Costume budget' })).toEqual(['general-one']);
    expect(match({ metric: 'COSTS per unit' })).toEqual(['costs']);
    expect(match({ metric: 'Ticket volumes' })).toEqual(['tickets']);
    const verbs = small([entry('hire', ['hire']), entry('engage', ['engage'])]);
    const found = (metric: string) => matchProxyFailures(verbs, { metric }).map((m) => m.entry.id);
    expect(found('hiring speed')).toEqual(['hire']);
    expect(found('people hired per week')).toEqual(['hire']);
    expect(found('users engaged')).toEqual(['engage']);
    expect(found('engaging users')).toEqual(['engage']);
  });

  it('needs every word of a phrase, in order', () => {
    expect(match({ metric: 'volume of tickets' })).toEqual(['general-one']);
  });

  it('breaks ties by library order', () => {
    const tie = small([entry('first', ['speed']), entry('second', ['speed'])]);
    expect(matchProxyFailures(tie, { metric: 'speed' }).map((m) => m.entry.id)).toEqual(['first', 'second']);
  });

  it('counts domains weakly, from any field', () => {
    const lib2 = small([entry('plain', ['rate']), entry('support', ['rate'], { domains: ['support'] })]);
    const top = matchProxyFailures(lib2, { metric: 'resolution rate', systemDescription: 'A support bot' });
    expect(top.map((m) => m.entry.id)).toEqual(['support', 'plain']);
    expect(top[0]!.score).toBe(top[1]!.score + 1);
  });
});

describe('refusing a bad file', () => {
  async function write(content: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'proxy-failures-'));
    const path = join(dir, 'library.yaml');
    await writeFile(path, content);
    return path;
  }

  it('names the path and the field that is wrong', async () => {
    const path = await write('entries:\n  - id: a\n    title: T\n    safeguard: S\n    area: over_optimization\n    keywords: [x]\n    source: s\n    general: true\n');
    expect(() => loadOfflineLibrary(path)).toThrow(new RegExp(`${path.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: entries\\.0\\.why`));
  });

  it('refuses duplicate ids, unknown areas and over-long text', () => {
    const good = entry('a', ['x'], { general: true });
    expect(() => parseOfflineLibrary({ entries: [good, good] }, 'dup.yaml')).toThrow(/dup\.yaml: entries\.1\.id: duplicate id "a"/);
    expect(() => parseOfflineLibrary({ entries: [{ ...good, area: 'goal_misalignment' }] }, 'area.yaml')).toThrow(/area\.yaml: entries\.0\.area/);
    expect(() => parseOfflineLibrary({ entries: [{ ...good, title: 'x'.repeat(101) }] }, 'long.yaml')).toThrow(/entries\.0\.title/);
    expect(() => parseOfflineLibrary({ entries: [{ ...good, general: false }] }, 'nogeneral.yaml')).toThrow(/general/);
  });

  it('refuses invalid YAML and a missing file', async () => {
    const path = await write('entries: [\n  - : :');
    expect(() => loadOfflineLibrary(path)).toThrow(/not valid YAML/);
    expect(() => loadOfflineLibrary(join(tmpdir(), 'no-such-dir-xyz', 'missing.yaml'))).toThrow(/missing\.yaml: cannot read/);
  });
});
