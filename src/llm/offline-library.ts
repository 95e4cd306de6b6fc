/**
 * The offline library of known proxy failures (data/proxy-failures.yaml):
 * what a team gets when no model is configured, the model fails, or the
 * review's model budget is spent. Entries are matched to the team's metric
 * by keywords; the file is data so it can grow without code changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { containsPhrase, stems, withoutPhrases } from './text-match.js';

export const PROXY_FAILURE_AREAS = ['reward_misspecification', 'over_optimization'] as const;

/** The same limits as a model's draft, so offline entries can be shown the same way. */
export const DRAFT_LIMITS = { title: 100, why: 300, safeguard: 300 } as const;

const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1–64 lowercase letters, digits or "-"'),
  title: z.string().trim().min(1).max(DRAFT_LIMITS.title),
  why: z.string().trim().min(1).max(DRAFT_LIMITS.why),
  safeguard: z.string().trim().min(1).max(DRAFT_LIMITS.safeguard),
  area: z.enum(PROXY_FAILURE_AREAS),
  /** Words or phrases matched against the team's metric and objective. */
  keywords: z.array(z.string().trim().min(1)).min(1),
  /** Kinds of system it is typical for; matched too, but weakly. */
  domains: z.array(z.string().trim().min(1)).optional(),
  /**
   * Phrases that give a keyword another sense ("employee engagement" is not a
   * feed's engagement): a keyword or domain found inside one does not count.
   */
  unless: z.array(z.string().trim().min(1)).optional(),
  /** Where it comes from: the article's section, or a public example's author/paper/year. */
  source: z.string().trim().min(1).max(300),
  /** Shown when nothing else matches, so a team always gets something useful. */
  general: z.boolean().optional(),
});

const librarySchema = z
  .strictObject({ entries: z.array(entrySchema).min(1) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.entries.forEach((entry, index) => {
      if (seen.has(entry.id)) {
        ctx.addIssue({ code: 'custom', path: ['entries', index, 'id'], message: `duplicate id "${entry.id}"` });
      }
      seen.add(entry.id);
    });
    if (!file.entries.some((entry) => entry.general)) {
      ctx.addIssue({ code: 'custom', path: ['entries'], message: 'at least one entry must be marked general: true' });
    }
  });

export type ProxyFailureEntry = z.infer<typeof entrySchema>;

export interface OfflineLibrary {
  /** The file it was loaded from, for messages. */
  source: string;
  entries: readonly ProxyFailureEntry[];
}

export class OfflineLibraryError extends Error {
  override name = 'OfflineLibraryError';
}

/**
 * The shipped file, found from this module whether it runs from src/ (tsx)
 * or from the compiled dist/src/.
 */
export function defaultLibraryPath(): string {
  const candidates = ['../../data/proxy-failures.yaml', '../../../data/proxy-failures.yaml'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'}: ${issue.message}`)
    .join('; ');
}

/** Checks already-parsed data; `source` names it in errors. */
export function parseOfflineLibrary(data: unknown, source: string): OfflineLibrary {
  const parsed = librarySchema.safeParse(data);
  if (!parsed.success) {
    throw new OfflineLibraryError(`${source}: ${describeIssues(parsed.error)}`);
  }
  return { source, entries: parsed.data.entries };
}

/**
 * Reads and validates the library; refuses a bad file naming the path and the
 * first issues. Synchronous: it runs once at start-up, before anything is served.
 */
export function loadOfflineLibrary(path: string = defaultLibraryPath()): OfflineLibrary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OfflineLibraryError(`${path}: cannot read the offline library (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new OfflineLibraryError(`${path}: not valid YAML (${(error as Error).message})`);
  }
  return parseOfflineLibrary(data, path);
}

export interface MatchInput {
  metric: string;
  objective?: string;
  humanGoal?: string;
  systemDescription?: string;
  /** Often the plainest statement of what kind of system it is ("Support bot"); a flow may ask nothing else about it. */
  systemName?: string;
}

export interface MatchedEntry {
  entry: ProxyFailureEntry;
  score: number;
}

/**
 * How much a keyword found in each field counts. The metric is what gets
 * gamed, so it weighs most; the objective next; the goal, description and
 * name only add context.
 */
const FIELD_WEIGHTS = { metric: 3, objective: 2, humanGoal: 1, systemDescription: 1, systemName: 1 } as const;
const DOMAIN_WEIGHT = 1;

/** Distinct stemmed phrases; "ticket" and "tickets" count once. */
function uniquePhrases(phrases: readonly string[]): string[][] {
  const seen = new Map<string, string[]>();
  for (const phrase of phrases) {
    const stemmed = stems(phrase);
    if (stemmed.length > 0) seen.set(stemmed.join(' '), stemmed);
  }
  return [...seen.values()];
}

interface EntryPhrases {
  keywords: string[][];
  domains: string[][];
  unless: string[][];
}

/**
 * Each entry's stemmed phrases, worked out on its first match: a library is
 * loaded once and matched for every review, and stemming its few hundred
 * phrases again each time cost more than the matching itself.
 */
const phrasesOfEntry = new WeakMap<ProxyFailureEntry, EntryPhrases>();

function entryPhrases(entry: ProxyFailureEntry): EntryPhrases {
  let phrases = phrasesOfEntry.get(entry);
  if (!phrases) {
    phrases = {
      keywords: uniquePhrases(entry.keywords),
      domains: uniquePhrases(entry.domains ?? []),
      unless: uniquePhrases(entry.unless ?? []),
    };
    phrasesOfEntry.set(entry, phrases);
  }
  return phrases;
}

/** A field of the team's answers, stemmed, with the set of its words for a quick first look. */
interface Field {
  weight: number;
  words: string[];
  present: Set<string>;
}

/** Whether the field holds the phrase: most phrases are ruled out by their first word alone. */
function fieldHolds(field: Field, phrase: readonly string[]): boolean {
  return field.present.has(phrase[0]!) && containsPhrase(field.words, phrase);
}

/**
 * The field as an entry with `unless` phrases reads it: those phrases blanked
 * out. Its set of words may still list a blanked word; that only costs a look.
 */
function withoutOtherSenses(field: Field, unless: readonly string[][]): Field {
  if (!unless.some((phrase) => fieldHolds(field, phrase))) return field;
  return { ...field, words: withoutPhrases(field.words, unless) };
}

function scoreEntry(entry: ProxyFailureEntry, allFields: Field[]): number {
  const { keywords, domains, unless } = entryPhrases(entry);
  const fields = unless.length > 0 ? allFields.map((field) => withoutOtherSenses(field, unless)) : allFields;
  let score = 0;
  // A longer phrase is more specific, so it counts once per word.
  for (const phrase of keywords) {
    let best = 0;
    for (const field of fields) if (field.weight > best && fieldHolds(field, phrase)) best = field.weight;
    score += best * phrase.length;
  }
  for (const phrase of domains) {
    if (fields.some((field) => fieldHolds(field, phrase))) score += DOMAIN_WEIGHT * phrase.length;
  }
  return score;
}

/**
 * The entries most relevant to the team's answers, best first; ties keep
 * library order. When nothing matches, the general entries, so a team always
 * gets something. Deterministic: same input, same output.
 */
export function matchProxyFailures(library: OfflineLibrary, input: MatchInput, limit = 5): MatchedEntry[] {
  const fields = (Object.keys(FIELD_WEIGHTS) as (keyof typeof FIELD_WEIGHTS)[])
    .map((name): Field => {
      const words = stems(input[name] ?? '');
      return { weight: FIELD_WEIGHTS[name], words, present: new Set(words) };
    })
    .filter((field) => field.words.length > 0);

  const matched = library.entries
    .map((entry, order) => ({ entry, order, score: scoreEntry(entry, fields) }))
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, limit)
    .map(({ entry, score }) => ({ entry, score }));
  if (matched.length > 0) return matched;

  return library.entries
    .filter((entry) => entry.general)
    .slice(0, limit)
    .map((entry) => ({ entry, score: 0 }));
}
