/**
 * POST /api/act: what the person did on the page, checked with zod and
 * carried out by the Slack stand-in as that person. A body that does not
 * fit is refused before anything happens; the stand-in refuses what does
 * not fit the world (an unknown message, someone else's message to edit).
 */
import { z } from 'zod';
import type { SlackStandin } from '../../standin/slack/index.js';
import { COMMANDS } from '../workspace.js';
import { encodeTypedText } from '../typed-text.js';

const userId = z.string().regex(/^[UW][A-Z0-9]{1,30}$/, 'must be a user id such as U0ALICE');
const channelId = z.string().regex(/^[CGD][A-Z0-9]{1,30}$/, 'must be a channel id such as C0REVIEWS');
const ts = z.string().regex(/^\d{1,12}\.\d{6}$/, 'must be a message ts such as 1700000000.000100');
const viewId = z.string().regex(/^V[A-Z0-9]{1,30}$/, 'must be a view id');
const actionId = z.string().min(1).max(255);
const value = z.string().max(2000);
const typed = z.string().trim().min(1, 'is empty').max(40_000, 'is longer than Slack allows (40,000 characters)');

/** A message or ephemeral in a channel, or one of the person's views. */
const surface = {
  channelId: channelId.optional(),
  messageTs: ts.optional(),
  viewId: viewId.optional(),
};
const onOneSurface = (input: { channelId?: string; messageTs?: string; viewId?: string }) =>
  input.viewId !== undefined ? input.channelId === undefined && input.messageTs === undefined : input.channelId !== undefined && input.messageTs !== undefined;
const surfaceMessage = { message: 'give either viewId, or channelId and messageTs' };

export const actSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('slashCommand'), userId, channelId, command: z.enum(COMMANDS, { error: () => `is not a command of this app (try ${COMMANDS.join(', ')})` }), text: z.string().max(4000) }),
  z.strictObject({ action: z.literal('sendMessage'), userId, channelId, text: typed, threadTs: ts.optional() }),
  z.strictObject({ action: z.literal('editMessage'), userId, channelId, ts, text: typed }),
  z.strictObject({ action: z.literal('deleteMessage'), userId, channelId, ts }),
  z.strictObject({ action: z.literal('clickButton'), userId, ...surface, actionId, value: value.optional() }).refine(onOneSurface, surfaceMessage),
  z.strictObject({ action: z.literal('submitCheckboxes'), userId, ...surface, actionId, selectedValues: z.array(value).max(100) }).refine(onOneSurface, surfaceMessage),
  z.strictObject({ action: z.literal('selectOption'), userId, ...surface, actionId, value }).refine(onOneSurface, surfaceMessage),
  z.strictObject({
    action: z.literal('submitView'),
    userId,
    viewId,
    // null: an input the person emptied (or left without a choice), as Slack reports it.
    values: z.record(z.string().max(255), z.record(z.string().max(255), z.union([value.max(3000), z.array(value).max(100), z.null()]))).default({}),
  }),
  z.strictObject({ action: z.literal('closeView'), userId, viewId }),
  z.strictObject({ action: z.literal('openHome'), userId }),
]);

export type Act = z.infer<typeof actSchema>;

/** What the page hears back: enough to say "the app did not answer", never the whole delivery. */
export interface ActOutcome {
  ok: true;
  /** HTTP status the app answered (0: unreachable), or null when Slack sends the app nothing for this. */
  status: number | null;
  ts?: string;
  responseAction?: string;
  problem?: string;
}

/** The stand-in refused: the action does not fit the world (unknown message, not a member…). */
export class ActRefused extends Error {}

function directoryOf(slack: SlackStandin) {
  return { users: slack.world.users, channels: slack.world.channels };
}

async function perform(slack: SlackStandin, act: Act): Promise<ActOutcome> {
  const directory = directoryOf(slack);
  switch (act.action) {
    case 'slashCommand': {
      const result = await slack.slashCommand({ ...act, text: encodeTypedText(act.text.trim(), directory, 'command') });
      return { ok: true, status: result.status };
    }
    case 'sendMessage': {
      const result = await slack.sendMessage({ ...act, text: encodeTypedText(act.text, directory, 'message') });
      return { ok: true, status: result.status, ts: result.ts };
    }
    case 'editMessage': {
      const result = await slack.editMessage({ ...act, text: encodeTypedText(act.text, directory, 'message') });
      return { ok: true, status: result.status };
    }
    case 'deleteMessage':
      return { ok: true, status: (await slack.deleteMessage(act)).status };
    case 'clickButton':
      return { ok: true, status: (await slack.clickButton(act)).status };
    case 'submitCheckboxes':
      return { ok: true, status: (await slack.submitCheckboxes(act)).status };
    case 'selectOption':
      return { ok: true, status: (await slack.selectOption(act)).status };
    case 'submitView': {
      const result = await slack.submitView(act);
      return { ok: true, status: result.status, ...(result.responseAction ? { responseAction: result.responseAction } : {}), ...(result.problem ? { problem: result.problem } : {}) };
    }
    case 'closeView':
      return { ok: true, status: (await slack.closeView(act)).status };
    case 'openHome':
      return { ok: true, status: (await slack.openHome(act)).status };
  }
}

/**
 * Carries out an act. The stand-in's actors check the world before they
 * change it and throw a readable Error when the act does not fit; that
 * becomes ActRefused for a 400.
 */
export async function performAct(slack: SlackStandin, act: Act): Promise<ActOutcome> {
  try {
    return await perform(slack, act);
  } catch (error) {
    throw new ActRefused(error instanceof Error ? error.message : String(error));
  }
}

/** zod issues as one line per field, for the 400 answer. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}
