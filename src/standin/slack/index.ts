/**
 * The local Slack stand-in: see standin.ts for the API and world/types.ts
 * for the world model it keeps.
 */
export { startSlackStandin, type SlackStandin } from './standin.js';
export type { StandinOptions, StandinUserOption, StandinChannelOption } from './options.js';
export { DEFAULT_USERS } from './options.js';
export type { ActResult } from './actors/context.js';
export type { SlashCommandInput, SlashCommandResult } from './actors/slash.js';
export type { SendMessageInput, EditMessageInput, DeleteMessageInput } from './actors/messages.js';
export type { ClickButtonInput, SubmitCheckboxesInput, SelectOptionInput } from './actors/interactive.js';
export type { SubmitViewInput, SubmitViewResult } from './actors/views.js';
export type { DeliverRawInput, RedeliverInput } from './actors/raw.js';
export type { Delivery } from './deliverer.js';
export type { InjectedFailure } from './failures.js';
export type { RecordedCall } from './runtime.js';
export type { WaitPredicate, WaitView } from './wait.js';
export type * from './world/types.js';
export { BLOCK_LIMITS } from './blocks/limits.js';
export { slackSignature } from './signer.js';
