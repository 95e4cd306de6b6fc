/**
 * `/alignment-review export --csv [--all]`: one row per review.
 *
 * Where the file goes: Slack has no private file upload, and the app has no
 * direct-message tab, so the CSV is uploaded to the channel the command was
 * typed in. That decides who may ask:
 * - `--csv` lists the reviews of that same channel, whose threads its
 *   members can read already: anyone in the channel may ask.
 * - `--csv --all` lists every review of the workspace, private channels
 *   included: only leads and workspace admins may ask, and only in the
 *   leads' channel (which already receives every summary card), so the file
 *   never lands where people could read reviews they were not part of.
 */
import type { WebClient } from '@slack/web-api';
import type { ReviewDeps } from '../reviews/deps.js';
import { leadsChannelFor } from '../reviews/placement.js';
import { toCsv } from './csv.js';
import { CSV_HEADER, reviewCsvRow } from './csv-rows.js';
import { isLeadOrAdmin, LEADS_ONLY } from './permissions.js';
import { loadRecords } from './records.js';
import { uploadFiles } from './upload.js';

/** Marks the file as UTF-8 for spreadsheets that would otherwise read it in the system's code page (Excel on Windows): "Café — bot" stays readable. */
const UTF8_BOM = '\uFEFF';

/** Rows per file at most; a workspace with more gets the newest and is told so. */
export const MAX_CSV_REVIEWS = 2000;

export type CsvOutcome = { ok: true; rows: number; truncated: boolean } | { ok: false; message: string };

export interface CsvRequest {
  teamId: string;
  channelId: string;
  userId: string;
  all: boolean;
}

export async function exportCsv(deps: ReviewDeps, client: WebClient, request: CsvRequest): Promise<CsvOutcome> {
  if (request.all) {
    if (!(await isLeadOrAdmin(deps, client, request.userId))) return { ok: false, message: `\`export --csv --all\`: ${LEADS_ONLY}` };
    const leadsChannel = await leadsChannelFor(deps, { teamId: request.teamId, channelId: request.channelId, threadTs: '' });
    if (!leadsChannel) {
      return { ok: false, message: 'The whole-workspace CSV is posted in the leads\' channel, and none is set: `/alignment-review config leads #channel` first.' };
    }
    if (leadsChannel !== request.channelId) {
      return { ok: false, message: `The whole-workspace CSV lists reviews from private channels too, so it is only posted in the leads' channel: run this in <#${leadsChannel}>.` };
    }
  }
  const entries = request.all
    ? await deps.store.listByTeam(request.teamId, MAX_CSV_REVIEWS + 1)
    : await deps.store.listByChannel(request.teamId, request.channelId, MAX_CSV_REVIEWS + 1);
  const truncated = entries.length > MAX_CSV_REVIEWS;
  const records = await loadRecords(deps, entries.slice(0, MAX_CSV_REVIEWS));
  const rows = records.map((record) => reviewCsvRow(deps.flows.get(record.state.flowId), record.state, record.placement));
  const scope = request.all ? 'workspace' : 'channel';
  const date = deps.now().toISOString().slice(0, 10);
  const uploaded = await uploadFiles(
    client,
    {
      channelId: request.channelId,
      comment: `:bar_chart: ${rows.length} review${rows.length === 1 ? '' : 's'} of this ${scope} as CSV, requested by <@${request.userId}>.${truncated ? ` Only the newest ${MAX_CSV_REVIEWS} are included.` : ''}`,
    },
    [{ filename: `alignment-reviews-${scope}-${date}.csv`, title: `Alignment reviews (${scope}, ${date})`, content: `${UTF8_BOM}${toCsv([CSV_HEADER, ...rows])}` }],
  );
  if (!uploaded.ok) return uploaded;
  deps.logger.info({ teamId: request.teamId, channel: request.channelId, user: request.userId, rows: rows.length, scope }, 'Reviews exported as CSV');
  return { ok: true, rows: rows.length, truncated };
}
