/** Short messages: help, status, a superseded question, the channel's list of reviews. */
import type { KnownBlock } from '@slack/types';
import type { ReviewListEntry } from '../../store/types.js';
import { questionCountText, totalText, type QuestionCountRange } from '../../engine/index.js';
import { COMMAND } from '../ids.js';
import type { FlowChoice } from './start-modal.js';
import type { SlackMessage } from './message.js';
import { LIMITS, fromSlack, plain, truncate } from './text.js';

export const THREAD_WORDS_HELP =
  '*In a review thread you can type:*\n' +
  '• *skip* — pass on this question (it is listed as open, never scored as safe)\n' +
  '• *back* — go back to the previous question\n' +
  '• *status* — where the review stands\n' +
  '• *pause* / *resume* — stop and continue later\n' +
  '• *finish* — end now; unanswered questions are listed as open\n' +
  '• *cancel* — cancel the review (type it again within 2 minutes to confirm; the answers are kept)\n' +
  '• *help* — this message\n' +
  'Edit a reply to change that answer.';

export function helpMessage(flows: FlowChoice[]): SlackMessage {
  const flowLines = flows.map((flow) => `• \`${flow.id}\` — ${plain(flow.title)} (${questionCountText(flow.questions)})`).join('\n');
  const text =
    `*${COMMAND}* runs an AI alignment review as a conversation in a thread.\n` +
    `• \`${COMMAND} &lt;name of the AI system&gt;\` — start the full review\n` +
    `• \`${COMMAND} --flow &lt;id&gt; &lt;name&gt;\` — start another flow\n` +
    `• \`${COMMAND}\` — open a form to pick the flow, respondents and leads' channel\n` +
    `• \`${COMMAND} list\` — this channel's open and recent reviews\n` +
    `• \`${COMMAND} config leads #channel\` — where summary cards go (review leads and admins)\n` +
    `• \`${COMMAND} export &lt;review&gt;\` · \`export --csv\` — export reviews\n` +
    `• \`${COMMAND} delete &lt;review&gt;\` — delete a review and its history (once signed off, review leads and admins only)\n\n` +
    `*Flows:*\n${flowLines}\n\n${THREAD_WORDS_HELP}`;
  return { text: `${COMMAND} help`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } }] };
}

export function statusMessage(input: {
  systemName: string;
  status: string;
  answered: number;
  /** How many questions the review asks in all, as far as its answers tell. */
  total: QuestionCountRange;
  open: number;
  current?: { number: number; prompt: string };
}): SlackMessage {
  const current = input.current ? `\nWaiting on question ${input.current.number}: _${plain(input.current.prompt)}_` : '';
  const text = `*Status of the review of ${truncate(fromSlack(input.systemName), 200)}:* ${input.status}\n${input.answered} of ${totalText(input.total)} questions answered, ${input.open} open.${current}`;
  return { text: 'Review status', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } }] };
}

export function reviewListMessage(entries: ReviewListEntry[], links: Record<string, string | undefined>): SlackMessage {
  if (entries.length === 0) {
    return { text: 'No reviews in this channel yet', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `No reviews in this channel yet. Start one with \`${COMMAND} &lt;name of the AI system&gt;\`.` } }] };
  }
  const open = entries.filter((entry) => entry.status === 'active' || entry.status === 'paused');
  const done = entries.filter((entry) => entry.status === 'completed' || entry.status === 'cancelled');
  const line = (entry: ReviewListEntry) => {
    const link = links[entry.reviewId];
    const name = truncate(fromSlack(entry.systemName), 120);
    return `• ${link ? `<${link}|${name.replace(/[|>]/g, '')}>` : name} — ${entry.status}, ${entry.flowId}, started ${entry.startedAt.slice(0, 10)} · \`${entry.reviewId}\``;
  };
  const blocks: KnownBlock[] = [];
  if (open.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Open reviews*\n${open.map(line).join('\n')}`, LIMITS.sectionText) } });
  if (done.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Recent reviews*\n${done.map(line).join('\n')}`, LIMITS.sectionText) } });
  return { text: 'Reviews in this channel', blocks };
}
