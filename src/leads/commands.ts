/** `/alignment-review export …`, `delete …` and `config leads …`: the leads' commands, answered privately. */
import type { ReviewDeps } from '../reviews/deps.js';
import { CSV_WITH_REVIEW } from '../slack/listeners/commands/parse-command.js';
import type { LeadsCommands } from '../slack/listeners/context.js';
import { requestDelete } from './delete-review.js';
import { csvSentText, exportCsv } from './export-csv.js';
import { exportPlacedText, exportReviewPrivately } from './export-review.js';
import { setLeadsChannel } from './leads-channel-setting.js';

/** `export --csv R…`: one review is exported without `--csv`, a channel's reviews with it, never both. The parser refuses it first. */
export { CSV_WITH_REVIEW };

export function createLeadsCommands(deps: ReviewDeps): LeadsCommands {
  return {
    async handle(request, context) {
      const { client, teamId, channelId, userId } = context;
      if (request.kind === 'config_leads') {
        await context.respond(await setLeadsChannel(deps, client, { teamId, userId, channel: request.channel }));
        return;
      }
      if (request.kind === 'delete') {
        const refusal = await requestDelete(deps, client, { teamId, channelId, userId, triggerId: context.triggerId, reviewId: request.reviewId });
        if (refusal) await context.respond(refusal);
        return;
      }
      if (request.csv && request.reviewId) {
        // The CSV lists a whole channel: a review named beside it would be dropped without a word.
        await context.respond(CSV_WITH_REVIEW);
        return;
      }
      if (request.csv) {
        const result = await exportCsv(deps, client, { teamId, channelId, userId, all: request.all });
        await context.respond(result.ok ? csvSentText(result) : result.message);
        return;
      }
      if (!request.reviewId) {
        await context.respond('Name the review to export, e.g. `/alignment-review export R7K2F9QX`, or use `--csv`.');
        return;
      }
      const result = await exportReviewPrivately(deps, client, { teamId, reviewId: request.reviewId, userId, channelId });
      await context.respond(result.ok ? exportPlacedText(result, request.reviewId) : result.message);
    },
  };
}
