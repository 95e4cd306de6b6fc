/**
 * A question's message once it no longer stands for the question: left by
 * `back`, postponed behind follow-ups, asked again further down, or left
 * unanswered by a review that ended. Struck through, without buttons, so nobody clicks a copy that no longer counts, and without the
 * earlier answer, so two copies never show different answers.
 */
import type { Question } from '../../engine/types.js';
import type { SlackMessage } from './message.js';
import { LIMITS, plain, truncate } from './text.js';

function struckQuestion(question: Question, fallback: string, why: string): SlackMessage {
  return {
    text: fallback,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`~${plain(question.prompt)}~`, LIMITS.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: why }] },
    ],
  };
}

/** The question the review waited on when `back` went to an earlier one: it will be asked again. */
export function supersededQuestionMessage(question: Question): SlackMessage {
  return struckQuestion(question, 'Went back to an earlier question', '_Went back to an earlier question; this one will be asked again._');
}

/**
 * A question already posted when suggested follow-up questions came in and
 * are asked first: nobody answers it out of turn. It is posted again when its
 * turn comes.
 */
export function postponedQuestionMessage(question: Question): SlackMessage {
  return struckQuestion(question, 'Asked again after the follow-up questions', '_Suggested follow-up questions come first; this one will be asked again after them._');
}

/** An earlier copy of a question posted again (after `back` or `resume`): the copy below is the one that counts. */
export function askedAgainQuestionMessage(question: Question): SlackMessage {
  return struckQuestion(question, 'Asked again below', '_This question was asked again below; answer it there._');
}

/** The question a paused review waited on: no buttons while paused; `resume` asks it again below. */
export function pausedQuestionMessage(question: Question): SlackMessage {
  return struckQuestion(question, 'Review paused', '_The review is paused; this question will be asked again when it is resumed._');
}

/** The question a review waited on when it was cancelled or finished early. */
export function endedQuestionMessage(question: Question, status: 'cancelled' | 'completed'): SlackMessage {
  return status === 'cancelled'
    ? struckQuestion(question, 'Review cancelled', '_The review was cancelled before this question was answered._')
    : struckQuestion(question, 'Review finished', '_The review was finished before this question was answered; it is listed as open._');
}
