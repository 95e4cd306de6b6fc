/**
 * The stand-in's world: everything a Slack workspace would hold that the app
 * can see or change. It is plain JSON-able data (no classes, no Maps) so the
 * playground can send `slack.snapshot()` to a browser as it is.
 *
 * Ids and ts values follow Slack's formats: channels C…/G…/D…, people U…,
 * views V…, files F…, message ts "1700000000.000100" (strictly increasing).
 */

/** One element's value in a surface's `state.values`, exactly as Slack sends it. */
export type StateValue = Record<string, unknown> & { type: string };
/** state.values: block_id → action_id → value. */
export type StateValues = Record<string, Record<string, StateValue>>;

export interface WorldUser {
  id: string;
  name: string;
  realName: string;
  isAdmin: boolean;
  isOwner: boolean;
  isBot: boolean;
}

export interface WorldChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  /** A direct-message channel between one person and the bot. */
  isIm: boolean;
  /** User ids, the bot's user id included when the bot is in the channel. */
  members: string[];
  /** Unix seconds. */
  created: number;
}

export interface WorldMessage {
  /** Order of creation across messages and ephemerals; lets callers ask "what appeared since". */
  seq: number;
  channel: string;
  ts: string;
  /** Set on replies (the parent's ts); parents get it from their replies when rendered. */
  threadTs?: string;
  /** Author: a person's id, or the bot's user id for anything the app posted. */
  user: string;
  /** Set when the app's bot posted it. */
  botId?: string;
  text: string;
  blocks?: unknown[];
  /** e.g. 'file_share' for an upload's message; absent for ordinary messages. */
  subtype?: string;
  /** Ids of files shared with this message. */
  files?: string[];
  edited?: { user: string; ts: string };
  /** A person's message carries the client id Slack's clients generate. */
  clientMsgId?: string;
  /** Also shown in the channel (reply_broadcast). */
  broadcast?: boolean;
  metadata?: unknown;
  /** How it got here: a person typing, a Web API call, or a response_url / ack message. */
  via: 'person' | 'web_api' | 'response_url';
  /** Client-side input state per person (checkboxes, selects they touched), keyed by user id. */
  state: Record<string, StateValues>;
}

export interface WorldEphemeral {
  seq: number;
  /** Who sees it. */
  userId: string;
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  /** chat.postEphemeral, a response_url / command ack, or Slack's own error notice. */
  via: 'web_api' | 'response_url' | 'slack';
  state: StateValues;
}

export interface WorldView {
  id: string;
  /** Whose view it is. */
  userId: string;
  type: 'modal' | 'home';
  /** The view object as the app sent it (blocks, title, submit, callback_id, …). */
  definition: Record<string, unknown>;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  externalId: string;
  state: StateValues;
  /** Field errors from the last view_submission answered with response_action "errors". */
  errors?: Record<string, string>;
  /** Set once the view left the person's screen. */
  closed: boolean;
}

export interface WorldFile {
  id: string;
  name: string;
  title: string;
  /** Declared length from files.getUploadURLExternal. */
  length: number;
  /** The uploaded bytes as UTF-8 text (reports are text). */
  content: string;
  /** Actual number of bytes received. */
  bytes: number;
  uploaded: boolean;
  completed: boolean;
  channel?: string;
  threadTs?: string;
  userId: string;
  /** Unix seconds. */
  created: number;
}

export interface WorldTrigger {
  userId: string;
  /** Stand-in clock milliseconds. */
  issuedAt: number;
  used: boolean;
}

export interface World {
  team: { id: string; domain: string; name: string; enterpriseId?: string };
  /** `uninstalled`: the workspace removed the app; its bot token is refused from then on (`token_revoked`). */
  bot: { userId: string; botId: string; appId: string; name: string; uninstalled?: boolean };
  users: WorldUser[];
  channels: WorldChannel[];
  /** Every live message of every channel, in creation order (deleted ones are removed). */
  messages: WorldMessage[];
  ephemerals: WorldEphemeral[];
  /** All views ever opened or published, by view id (closed ones stay, marked closed). */
  views: Record<string, WorldView>;
  /** Each person's open modal stack, bottom first (view ids). */
  modalStacks: Record<string, string[]>;
  /** Each person's published home tab (view id). */
  homeViews: Record<string, string>;
  files: WorldFile[];
  /** trigger_ids the stand-in handed out. */
  triggers: Record<string, WorldTrigger>;
  /** Block types the app sent that the stand-in does not know (they pass through). */
  unknownBlockTypes: string[];
  /** Counter behind `seq`. */
  seq: number;
}
