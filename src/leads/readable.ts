/**
 * People's text as stored (as Slack delivers it: `&amp;`, `<@U1>`, `<http://x|label>`)
 * turned into what they typed, for files that are not read by Slack
 * (CSV, Markdown, JSON): entities decoded, mentions and links as words.
 */
import { plainTextFromSlack } from '../slack/blocks/text.js';

export function readable(text: string): string {
  return plainTextFromSlack(text, Number.MAX_SAFE_INTEGER);
}

/** Text typed into a modal arrives raw; store it escaped like every other text people send through Slack. */
export function asSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
