/** The one nudge an idle review gets in its thread, naming the question it waits on. */
import { totalText, type QuestionProgress } from '../../engine/question-count.js';
import type { SlackMessage } from './message.js';
import { LIMITS, plain, truncate } from './text.js';

export function reminderMessage(input: {
  /** Who is asked to answer: the named respondents, else the starter. */
  people: string[];
  idleSince: string;
  question?: QuestionProgress & { prompt: string };
}): SlackMessage {
  const who = input.people.map((id) => `<@${id}>`).join(' ');
  const waiting = input.question
    ? `is waiting on *question ${input.question.number} of ${totalText(input.question.total)}*: _${truncate(plain(input.question.prompt), 500)}_`
    : 'is waiting for an answer';
  const text =
    `:wave: ${who} This review ${waiting}\n` +
    `Nothing has happened since ${input.idleSince.slice(0, 16).replace('T', ' ')} UTC. Reply in this thread to go on, ` +
    'type *skip* to pass on this question, or *pause* if the review should wait (a paused review gets no reminders).';
  return {
    text: truncate(`Reminder: this review is waiting on an answer`, LIMITS.fallbackText),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } }],
  };
}
