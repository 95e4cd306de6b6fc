/**
 * The playground's workspace is the Slack stand-in's default one (see
 * src/standin/slack/options.ts): a review channel everyone is in, and a
 * private leads' channel for the summary cards. Named here once so the
 * server, the page and the tests agree on them.
 */
export const REVIEW_CHANNEL = 'C0REVIEWS';
export const LEADS_CHANNEL = 'G0LEADS';
/** Who the page acts as until the person picks someone else. */
export const DEFAULT_PERSON = 'U0ALICE';
/** The slash commands the app declares in its manifest; the composer offers only these. */
export const COMMANDS = ['/alignment-review'] as const;
