/**
 * `/alignment-review export --csv [--all]`: one row per review, sent to the
 * person who asked in a direct message with the app (see upload.ts), so the
 * channel never sees it.
 * - `--csv` lists the reviews of the channel the command was typed in, whose
 *   threads its members can read already: anyone in the channel may ask.
 * - `--csv --all` lists every review of the workspace, private channels
 *   included: only leads and workspace admins may ask (from anywhere, since
 *   the file reaches them alone).
 * A channel (or workspace) with no review gets a sentence, not a file with
 * a header alone. The file is named after the channel it lists.
 */
import type { WebClient } from '@slack/web-api';
import type { ReviewDeps } from '../reviews/deps.js';
import type { ReviewListEntry, ReviewRecord } from '../store/types.js';
import { lookUpChannelNames, type ChannelNames } from './channel-names.js';
import { toCsv } from './csv.js';
import { CSV_HEADER, peopleInReview, reviewCsvRow } from './csv-rows.js';
import { lookUpPeople, type PeopleNames } from './people.js';
import { isLeadOrAdmin, LEADS_ONLY_READ } from './permissions.js';
import { loadRecords } from './records.js';
import { sendFilesPrivately } from './upload.js';

/** Marks the file as UTF-8 for spreadsheets that would otherwise read it in the system's code page (Excel on Windows): "Café — bot" stays readable. */
export const UTF8_BOM = '\uFEFF';

/** Rows per file at most; a workspace with more gets the newest and is told so. */
export const MAX_CSV_REVIEWS = 2000;

/** Channels looked up per export at most; the rest show as their ids (a CSV keeps the ids in a column of their own anyway). */
export const MAX_CSV_CHANNEL_LOOKUPS = 200;

export type CsvOutcome = { ok: true; rows: number; truncated: boolean; scope: CsvScope } | { ok: false; message: string };

type CsvScope = 'workspace' | 'channel';

export interface CsvRequest {
  teamId: string;
  channelId: string;
  userId: string;
  all: boolean;
}

function listReviews(deps: ReviewDeps, request: CsvRequest): Promise<ReviewListEntry[]> {
  return request.all
    ? deps.store.listByTeam(request.teamId, MAX_CSV_REVIEWS + 1)
    : deps.store.listByChannel(request.teamId, request.channelId, MAX_CSV_REVIEWS + 1);
}

/** The whole file: BOM, header, one row per review, with each person and each channel looked up once for the whole export. */
function csvFile(deps: ReviewDeps, records: ReviewRecord[], people: PeopleNames, channels: ChannelNames): string {
  const rows = records.map((record) => reviewCsvRow(deps.flows.get(record.state.flowId), record.state, record.placement, people, channels));
  return `${UTF8_BOM}${toCsv([CSV_HEADER, ...rows])}`;
}

function reviewsText(count: number): string {
  return `${count} review${count === 1 ? '' : 's'}`;
}

/**
 * The channel's name as a piece of a file name: "#ai-reviews" → "ai-reviews".
 * Only letters, digits, "_" and "-" (anything else, a "/" or ".." included,
 * becomes "-"), at most 80 characters; the channel's id when nothing is left
 * or its name could not be looked up.
 */
export function fileNamePart(channelName: string, channelId: string): string {
  const safe = channelName
    .replace(/^#/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 80);
  return safe || channelId.replace(/[^A-Za-z0-9]/g, '') || 'channel';
}

/** Said privately, with no file sent, when the channel (or the workspace) has no review to export. */
export function noReviewsText(request: Pick<CsvRequest, 'all' | 'channelId'>): string {
  return request.all ? 'No reviews in this workspace to export.' : `No reviews in <#${request.channelId}> to export.`;
}

export async function exportCsv(deps: ReviewDeps, client: WebClient, request: CsvRequest): Promise<CsvOutcome> {
  if (request.all && !(await isLeadOrAdmin(deps, client, request.userId))) return { ok: false, message: `\`export --csv --all\`: ${LEADS_ONLY_READ}` };
  const entries = await listReviews(deps, request);
  const truncated = entries.length > MAX_CSV_REVIEWS;
  const records = await loadRecords(deps, entries.slice(0, MAX_CSV_REVIEWS));
  // A header alone tells nothing a sentence would not: no file.
  if (records.length === 0) return { ok: false, message: noReviewsText(request) };
  const scope: CsvScope = request.all ? 'workspace' : 'channel';
  const date = deps.now().toISOString().slice(0, 10);
  const [people, channels] = await Promise.all([
    lookUpPeople(client, records.flatMap((record) => peopleInReview(record.state))),
    // The asking channel first: it names the file.
    lookUpChannelNames(client, [...(request.all ? [] : [request.channelId]), ...records.map((record) => record.placement.channelId)], MAX_CSV_CHANNEL_LOOKUPS),
  ]);
  const of = request.all ? 'the workspace' : `<#${request.channelId}>`;
  const channelName = channels.name(request.channelId);
  const named = request.all ? 'workspace' : fileNamePart(channelName, request.channelId);
  const titled = request.all ? 'the workspace' : channelName;
  const sent = await sendFilesPrivately(
    client,
    request.userId,
    `:bar_chart: ${reviewsText(records.length)} of ${of} as CSV, as you asked.${truncated ? ` Only the newest ${MAX_CSV_REVIEWS} are included.` : ''}`,
    [{ filename: `alignment-reviews-${named}-${date}.csv`, title: `Alignment reviews of ${titled} (${date})`, content: csvFile(deps, records, people, channels) }],
  );
  if (!sent.ok) return sent;
  deps.logger.info({ teamId: request.teamId, channel: request.channelId, user: request.userId, rows: records.length, scope }, 'Reviews exported as CSV');
  return { ok: true, rows: records.length, truncated, scope };
}

/** What the person who asked is told, privately, where they asked. */
export function csvSentText(result: Extract<CsvOutcome, { ok: true }>): string {
  const of = result.scope === 'workspace' ? 'the workspace' : 'this channel';
  return `:bar_chart: Sent you ${reviewsText(result.rows)} of ${of} as CSV in a direct message (*Alignment Review* under *Apps*). Nothing was posted here.`;
}
