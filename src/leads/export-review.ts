/**
 * Exporting one review: the Markdown report and the JSON, sent together to
 * the person who asked in a direct message with the app (see upload.ts), so
 * the thread never shows it. Since the files then reach someone wherever
 * they asked from, they go only to someone who could already read the
 * review: a person taking part in it, someone asking from its own channel,
 * or a lead or workspace admin.
 */
import type { WebClient } from '@slack/web-api';
import type { ReviewDeps } from '../reviews/deps.js';
import { threadLinkFor } from '../reviews/placement.js';
import { fromSlack, truncate } from '../slack/blocks/text.js';
import type { ReviewRecord } from '../store/types.js';
import { isInvolved } from './home-data.js';
import { lookUpPeople } from './people.js';
import { isLeadOrAdmin } from './permissions.js';
import { buildReviewExport, EXPORT_SCHEMA_VERSION, peopleMentioned } from './review-export.js';
import { sendFilesPrivately } from './upload.js';

export type ExportOutcome =
  | {
      ok: true;
      /** The direct-message channel the files went to. */
      channelId: string;
      reviewChannelId: string;
      systemName: string;
    }
  | { ok: false; message: string };

export interface ExportRequest {
  teamId: string;
  reviewId: string;
  /** Who asked, and gets the files. */
  userId: string;
  /** Where they asked (a command's channel, a card's channel), when known. */
  channelId?: string;
}

export const EXPORT_NOT_YOURS =
  'Only the people taking part in a review, anyone asking from its own channel, the review leads and workspace admins can export it: ask from its channel, or ask a lead. Nothing was sent.';

/** Where an export went, said privately where it was asked for. */
export function exportPlacedText(result: Extract<ExportOutcome, { ok: true }>, reviewId: string): string {
  return `:page_facing_up: I sent you the export of *${truncate(fromSlack(result.systemName), 200)}* (\`${reviewId}\`) in a direct message (*Alignment Review* under *Apps*). Nothing was posted in its thread.`;
}

async function mayExport(deps: ReviewDeps, client: WebClient, record: ReviewRecord, request: ExportRequest): Promise<boolean> {
  if (isInvolved(record, request.userId) || request.channelId === record.placement.channelId) return true;
  return isLeadOrAdmin(deps, client, request.userId);
}

function peopleOf(record: ReviewRecord, requestedBy: string): string[] {
  const { state } = record;
  return [
    state.startedBy,
    requestedBy,
    ...state.history.map((entry) => entry.by),
    ...Object.values(state.answers).map((answer) => answer.by),
    ...state.suggestions.flatMap((item) => (item.verdict ? [item.verdict.by] : [])),
    // People named in answers are shown by name in the Markdown, too.
    ...peopleMentioned(state),
  ];
}

async function exportComment(client: WebClient, record: ReviewRecord): Promise<string> {
  const { state, placement } = record;
  const link = await threadLinkFor(client, placement);
  const thread = link ? ` <${link}|Open its thread>.` : '';
  return `:page_facing_up: Export of *${truncate(fromSlack(state.systemName), 200)}* (\`${state.id}\`) from <#${placement.channelId}>, as you asked: the report as Markdown and everything as JSON (schema version ${EXPORT_SCHEMA_VERSION}).${thread}`;
}

export async function exportReviewPrivately(deps: ReviewDeps, client: WebClient, request: ExportRequest): Promise<ExportOutcome> {
  const { teamId, reviewId, userId } = request;
  const record = await deps.store.get(teamId, reviewId);
  if (!record) return { ok: false, message: `There is no review \`${reviewId}\` in this workspace; \`/alignment-review list\` shows a channel's reviews.` };
  const { state, placement } = record;
  const flow = deps.flows.get(state.flowId);
  if (!flow) return { ok: false, message: `The flow \`${state.flowId}\` of this review is no longer loaded, so it cannot be scored for an export.` };
  if (!(await mayExport(deps, client, record, request))) return { ok: false, message: EXPORT_NOT_YOURS };

  const people = await lookUpPeople(client, peopleOf(record, userId));
  const exported = buildReviewExport(flow, state, placement, { exportedAt: deps.now().toISOString(), exportedBy: userId, personName: people.label });
  const sent = await sendFilesPrivately(client, userId, await exportComment(client, record), [
    { filename: `${exported.baseName}.md`, title: `Alignment review ${state.id} (Markdown)`, content: exported.markdown },
    { filename: `${exported.baseName}.json`, title: `Alignment review ${state.id} (JSON)`, content: `${JSON.stringify(exported.json, null, 2)}\n` },
  ]);
  if (!sent.ok) return sent;
  deps.logger.info({ reviewId, teamId, channel: placement.channelId, user: userId }, 'Review exported');
  return { ok: true, channelId: sent.channelId, reviewChannelId: placement.channelId, systemName: state.systemName };
}
