/**
 * Exporting one review: the Markdown report and the JSON, uploaded together
 * into the review's own thread (whoever asked, from wherever), so the files
 * sit with the conversation they record and reach no one who could not
 * already read it.
 */
import type { WebClient } from '@slack/web-api';
import type { ReviewDeps } from '../reviews/deps.js';
import { threadLinkFor } from '../reviews/placement.js';
import { fromSlack, truncate } from '../slack/blocks/text.js';
import { personNamer } from './people.js';
import { buildReviewExport, EXPORT_SCHEMA_VERSION } from './review-export.js';
import { uploadFiles } from './upload.js';

export type ExportOutcome = { ok: true; channelId: string; threadTs: string; systemName: string; threadLink?: string } | { ok: false; message: string };

/** Where an export went, for someone who asked from elsewhere: the review by its system's name, and a link to its thread. */
export function exportPlacedText(result: Extract<ExportOutcome, { ok: true }>, reviewId: string): string {
  const thread = result.threadLink ? `<${result.threadLink}|the review's thread>` : "the review's thread";
  return `:page_facing_up: The export of *${truncate(fromSlack(result.systemName), 200)}* (\`${reviewId}\`) is in ${thread} in <#${result.channelId}>.`;
}

export async function exportReviewToThread(deps: ReviewDeps, client: WebClient, teamId: string, reviewId: string, requestedBy: string): Promise<ExportOutcome> {
  const record = await deps.store.get(teamId, reviewId);
  if (!record) return { ok: false, message: `There is no review \`${reviewId}\` in this workspace; \`/alignment-review list\` shows a channel's reviews.` };
  const { state, placement } = record;
  const flow = deps.flows.get(state.flowId);
  if (!flow) return { ok: false, message: `The flow \`${state.flowId}\` of this review is no longer loaded, so it cannot be scored for an export.` };

  const people = [
    state.startedBy,
    requestedBy,
    ...state.history.map((entry) => entry.by),
    ...Object.values(state.answers).map((answer) => answer.by),
    ...state.suggestions.flatMap((item) => (item.verdict ? [item.verdict.by] : [])),
  ];
  const personName = await personNamer(client, people);
  const exported = buildReviewExport(flow, state, placement, { exportedAt: deps.now().toISOString(), exportedBy: requestedBy, personName });
  const uploaded = await uploadFiles(
    client,
    {
      channelId: placement.channelId,
      threadTs: placement.threadTs,
      comment: `:page_facing_up: Export of this review, requested by <@${requestedBy}>: the report as Markdown and everything as JSON (schema version ${EXPORT_SCHEMA_VERSION}).`,
    },
    [
      { filename: `${exported.baseName}.md`, title: `Alignment review ${state.id} (Markdown)`, content: exported.markdown },
      { filename: `${exported.baseName}.json`, title: `Alignment review ${state.id} (JSON)`, content: `${JSON.stringify(exported.json, null, 2)}\n` },
    ],
  );
  if (!uploaded.ok) return uploaded;
  deps.logger.info({ reviewId, teamId, channel: placement.channelId, user: requestedBy }, 'Review exported');
  const threadLink = await threadLinkFor(client, placement);
  return { ok: true, channelId: placement.channelId, threadTs: placement.threadTs, systemName: state.systemName, ...(threadLink ? { threadLink } : {}) };
}
