/** What every listener gets: the use cases' dependencies, the review inbox and the leads' tools. */
import type { WebClient } from '@slack/web-api';
import { questionCountRange } from '../../engine/index.js';
import type { ReviewDeps } from '../../reviews/deps.js';
import type { FlowChoice } from '../blocks/start-modal.js';
import type { ReviewInbox } from '../../reviews/inbox.js';
import type { CommandRequest } from './commands/parse-command.js';

export interface LeadsRequestContext {
  teamId: string;
  channelId: string;
  userId: string;
  triggerId: string;
  client: WebClient;
  /** Answers the person privately. */
  respond: (text: string, blocks?: unknown[]) => Promise<unknown>;
}

/** Export, delete and setting the leads' channel: the leads' side of the app (App Home, sign-off, exports, retention). */
export interface LeadsCommands {
  handle(request: Extract<CommandRequest, { kind: 'export' | 'delete' | 'config_leads' }>, context: LeadsRequestContext): Promise<void>;
}

/** Which workspace (or org, for an org-wide install) an event is about. */
export interface WorkspaceRef {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

/** The workspaces that installed the app through OAuth (distribution to many workspaces). */
export interface WorkspaceInstallations {
  /** The workspace removed the app, or revoked its bot token: its installation (and the token in it) is deleted. Resolves true when there was one. */
  forget(workspace: WorkspaceRef): Promise<boolean>;
}

export interface ListenerContext {
  deps: ReviewDeps;
  inbox: ReviewInbox;
  leads: LeadsCommands;
  /** Absent with a single bot token (SLACK_BOT_TOKEN): there is no installation to forget. */
  installations?: WorkspaceInstallations;
  /** The bot's own user id, to recognise its threads and ignore its messages. */
  botUserId?: string;
}

/** Flows as the help text and the modal list them. */
export function flowChoices(deps: ReviewDeps): FlowChoice[] {
  return [...deps.flows.values()].map((flow) => ({ id: flow.id, title: flow.title, questions: questionCountRange(flow) }));
}
