/**
 * `/alignment-review …` text → what the person asked for. Pure, so every
 * form is tested without Slack. Slack delivers channel and user references
 * escaped (`<#C123|name>`, `<@U123|name>`) because the command is declared
 * with should_escape in the manifest.
 */
import { DEFAULT_FLOW_ID } from '../../../reviews/deps.js';
import { fromSlack } from '../../blocks/text.js';

export type CommandRequest =
  | { kind: 'modal' }
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'config_leads'; channel: string }
  | { kind: 'config_show' }
  | { kind: 'export'; reviewId?: string; csv: boolean; all: boolean }
  | { kind: 'delete'; reviewId: string }
  | { kind: 'start'; flowId: string; systemName: string }
  | { kind: 'error'; message: string };

/**
 * `export --csv` with anything beside it but `--all` (a review id, a mistyped
 * id, another flag): the CSV lists a whole channel, so whatever came with it
 * would be dropped without a word. Said the same way whatever the stray word.
 */
export const CSV_WITH_REVIEW =
  '`--csv` exports every review of the channel, so it takes no review id or other word, only `--all`. Usage: `/alignment-review export &lt;review&gt;` for one review, or `/alignment-review export --csv [--all]` for a CSV. Nothing was sent.';

const CHANNEL_REF = /^<#([CG][A-Z0-9]+)(\|[^>]*)?>$/;
const REVIEW_ID = /^R[A-Z0-9]{4,12}$/i;

export function parseCommandText(raw: string): CommandRequest {
  const text = raw.trim();
  if (!text) return { kind: 'modal' };
  const words = text.split(/\s+/);
  const first = (words[0] ?? '').toLowerCase();
  const rest = words.slice(1);

  if (first === 'help' && rest.length === 0) return { kind: 'help' };
  if (first === 'list' && rest.length === 0) return { kind: 'list' };
  if (first === 'config') {
    if (rest.length === 0) return { kind: 'config_show' };
    const channel = rest[1]?.match(CHANNEL_REF)?.[1] ?? (rest[1] && /^[CG][A-Z0-9]+$/.test(rest[1]) ? rest[1] : undefined);
    if (rest[0]?.toLowerCase() === 'leads' && channel && rest.length === 2) return { kind: 'config_leads', channel };
    return { kind: 'error', message: 'Usage: `/alignment-review config leads #channel`' };
  }
  if (first === 'export') {
    const flags = rest.filter((word) => word.startsWith('--')).map((word) => word.toLowerCase());
    const ids = rest.filter((word) => !word.startsWith('--'));
    const unknown = flags.filter((flag) => flag !== '--csv' && flag !== '--all');
    const csv = flags.includes('--csv');
    if (csv && (ids.length > 0 || unknown.length > 0)) return { kind: 'error', message: CSV_WITH_REVIEW };
    if (unknown.length > 0 || ids.length > 1) return { kind: 'error', message: 'Usage: `/alignment-review export &lt;review&gt;` or `/alignment-review export --csv [--all]`' };
    const all = flags.includes('--all');
    if (!csv && all) return { kind: 'error', message: '`--all` goes with `--csv`: `/alignment-review export --csv --all`' };
    if (!csv && !ids[0]) return { kind: 'error', message: 'Name the review to export, e.g. `/alignment-review export R7K2F9QX`, or use `--csv`.' };
    if (ids[0] && !REVIEW_ID.test(ids[0])) return { kind: 'error', message: `\`${fromSlack(ids[0].slice(0, 40))}\` is not a review id; \`/alignment-review list\` shows them.` };
    return { kind: 'export', reviewId: ids[0]?.toUpperCase(), csv, all };
  }
  if (first === 'delete') {
    const id = rest[0];
    if (!id || rest.length > 1 || !REVIEW_ID.test(id)) return { kind: 'error', message: 'Usage: `/alignment-review delete &lt;review&gt;`; `/alignment-review list` shows the ids.' };
    return { kind: 'delete', reviewId: id.toUpperCase() };
  }

  let flowId = DEFAULT_FLOW_ID;
  let nameWords = words;
  const flowAt = words.findIndex((word) => word === '--flow' || word.startsWith('--flow='));
  if (flowAt >= 0) {
    const word = words[flowAt] ?? '';
    const inline = word.startsWith('--flow=') ? word.slice('--flow='.length) : undefined;
    const value = inline ?? words[flowAt + 1];
    if (!value) return { kind: 'error', message: 'Usage: `/alignment-review --flow &lt;id&gt; &lt;name of the AI system&gt;`' };
    flowId = value.toLowerCase();
    nameWords = words.filter((_, index) => index !== flowAt && (inline !== undefined || index !== flowAt + 1));
  }
  const systemName = nameWords.join(' ').trim();
  if (!systemName) return { kind: 'error', message: 'Name the AI system to review, e.g. `/alignment-review --flow quick-check Resume screener`.' };
  return { kind: 'start', flowId, systemName };
}
