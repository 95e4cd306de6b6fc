/** What `npm start` prints when it runs the playground: where, which store, which model. */
import type { Config } from '../config.js';

export function modelDescription(config: Config): string {
  if (!config.llm.enabled) {
    const why = config.llm.apiKey || config.llm.baseUrl ? 'LLM_ENABLED is off' : 'no OPENAI_API_KEY or OPENAI_BASE_URL';
    return `none (${why}): suggestions come from the offline library of known proxy failures`;
  }
  const where = config.llm.baseUrl ? new URL(config.llm.baseUrl).origin : 'the OpenAI API';
  return `${config.llm.model} at ${where}`;
}

export function bannerLines(input: { url: string; store: string; model: string; flows: string[]; nodeEnv?: string }): string[] {
  // Someone who meant to deploy and forgot the token should not mistake this for the Slack app.
  const warning =
    input.nodeEnv === 'production' ? ['  Note:   NODE_ENV is production but SLACK_BOT_TOKEN is not set: this is the local playground, not the Slack app.'] : [];
  return [
    '',
    'Alignment Review — local playground (no Slack tokens set, so Slack is played locally)',
    ...warning,
    `  Open:   ${input.url}`,
    `  Store:  ${input.store}`,
    `  Model:  ${input.model}`,
    `  Flows:  ${input.flows.join(', ')}`,
    '  Try:    /alignment-review --flow quick-check Resume screener',
    '  Stop:   Ctrl+C. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to run in a real Slack workspace instead.',
    '',
  ];
}
