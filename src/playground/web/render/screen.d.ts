/** Types of screen.js: the page's regions as functions of the world and the page's state. */
import type { World, WorldEphemeral, WorldMessage, WorldView } from '../../../standin/slack/index.js';
import type { BlockContext } from './blocks.js';
import type { VElement } from './vnode.js';

export type Place = { kind: 'channel'; channelId: string } | { kind: 'app'; tab?: 'home' | 'messages' };

export interface PageState {
  me: string;
  place: Place;
  thread: { channelId: string; ts: string } | null;
  editing: { channelId: string; ts: string; draft?: string } | null;
  /** Unsent modal input, by view id, then "blockId/actionId". */
  drafts?: Record<string, Record<string, string | string[]>>;
  /** Required modal inputs left empty, by view id, then block id (Slack's client checks these before submitting). */
  modalErrors?: Record<string, Record<string, string>>;
  /** Ephemerals the person dismissed, as "channel:ts". */
  dismissed?: string[];
  /** Notices the page itself shows (e.g. an unknown slash command). */
  notices?: { channelId: string; threadTs?: string; text: string }[];
  /** By person: the seq of the latest message of the app's Messages tab they have seen. */
  appSeen?: Record<string, number>;
  /** For a person not in appSeen: the world's seq when the page opened (what came before counts as seen). */
  appSeenFrom?: number;
}

export interface PlaygroundInfo {
  store: string;
  model: string;
  reviewChannel: string;
  leadsChannel: string;
  defaultPerson: string;
  commands: readonly string[];
}

export type Surface = { kind: 'message'; message: WorldMessage } | { kind: 'ephemeral'; ephemeral: WorldEphemeral } | { kind: 'view'; view: WorldView };

export function formatTime(ts: string): string;
export function blockContext(world: World, ui: PageState, surface: Surface): BlockContext;
export function messageItem(world: World, ui: PageState, message: WorldMessage, options?: { inThread?: boolean }): VElement;
export function ephemeralItem(world: World, ui: PageState, ephemeral: WorldEphemeral): VElement;
export function sidebar(world: World, ui: PageState, info: PlaygroundInfo): VElement;
export function channelPane(world: World, ui: PageState): VElement;
export function threadPane(world: World, ui: PageState): VElement | null;
export function appPane(world: World, ui: PageState): VElement;
export function modalLayer(world: World, ui: PageState): VElement | null;
export const APP_MESSAGES_READ_ONLY: boolean;
export function placeHasComposer(ui: PageState): boolean;
export function readOnlyAppMessages(world: World, channelId: string): boolean;
export function threadHasComposer(world: World, ui: PageState): boolean;
export function unreadAppMessages(world: World, ui: PageState): number;
export function composerPlaceholder(world: World, ui: PageState, inThread: boolean): string;
