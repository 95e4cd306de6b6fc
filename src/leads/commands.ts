/** `/alignment-review export …` and `delete …`: the leads' commands. */
import type { ReviewDeps } from '../reviews/deps.js';
import type { LeadsCommands } from '../slack/listeners/context.js';

export function createLeadsCommands(_deps: ReviewDeps): LeadsCommands {
  return {
    async handle(request, context) {
      await context.respond(`\`${request.kind}\` is not available in this version yet.`);
    },
  };
}
