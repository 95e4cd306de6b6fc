/** Types of world-view.js, over the stand-in's world snapshot. */
import type { World, WorldChannel, WorldEphemeral, WorldMessage, WorldUser, WorldView } from '../../../standin/slack/index.js';

export function compareTs(a: string, b: string): number;
export function userById(world: World, id: string): WorldUser | undefined;
export function channelById(world: World, id: string): WorldChannel | undefined;
export function dmChannelId(userId: string): string;
export function channelsFor(world: World, me: string): WorldChannel[];
export function people(world: World): WorldUser[];
export function channelMessages(world: World, channelId: string): WorldMessage[];
export function findMessage(world: World, channelId: string, ts: string): WorldMessage | undefined;
export function threadMessages(world: World, channelId: string, threadTs: string): { parent?: WorldMessage; replies: WorldMessage[] };
export function replySummary(world: World, channelId: string, ts: string): { count: number; users: string[]; latestTs: string } | null;
export function ephemeralsFor(world: World, me: string, channelId: string, threadTs: string | undefined): WorldEphemeral[];
export function interleave(
  messages: WorldMessage[],
  ephemerals: WorldEphemeral[],
): ({ kind: 'message'; item: WorldMessage } | { kind: 'ephemeral'; item: WorldEphemeral })[];
export function topModal(world: World, me: string): WorldView | undefined;
export function homeView(world: World, me: string): WorldView | undefined;
export function plainStateValue(value: unknown): string | string[] | null | undefined;
export function isDirectMessage(world: World, channelId: string): boolean;
export function appMessagesAfter(world: World, me: string, seq: number): WorldMessage[];
export function latestAppMessageSeq(world: World, me: string): number;
export function newRootAfter(world: World, seq: number, botUserId: string): WorldMessage | undefined;
export function editableText(world: World, text: string): string;
