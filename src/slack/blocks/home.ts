/**
 * The App Home tab: filters, open reviews (what each waits on, how long it
 * has been idle or paused, a stale marker) and finished ones (overall and
 * per-area levels, the decision), each with a button to its thread; or, when
 * asked for, the finished reviews waiting for a decision (how long each has
 * waited, those whose answers were edited since their decision marked), or
 * the cancelled ones (who cancelled, when). Pure: the model and the links come in, the view
 * goes out. One block per review keeps the view within Slack's 100 blocks
 * (see MAX_OPEN_SHOWN / MAX_FINISHED_SHOWN / MAX_CANCELLED_SHOWN).
 */
import { decisionText } from './decision-text.js';
import type { HomeView, KnownBlock, PlainTextOption, StaticSelect } from '@slack/types';
import { AREAS, OVERALL_LEVELS } from '../../engine/areas.js';
import { totalText } from '../../engine/question-count.js';
import { utcMinuteText } from '../../engine/time-text.js';
import { HOME_SHOWS, waitingForDecisionSince, type HomeEntry, type HomeModel, type HomeShow } from '../../leads/home-data.js';
import { ACTIONS, BLOCKS, COMMAND, HOME_ALL } from '../ids.js';
import { areaMark } from './summary-card.js';
import { LIMITS, fromSlack, plain, truncate } from './text.js';


export interface HomeLinks {
  /** The thread of a review, or undefined when no link could be made (the entry then has no button). */
  threadUrl(entry: HomeEntry): string | undefined;
  /** A channel's name for the filter, e.g. "#ai-reviews". */
  channelName(channelId: string): string;
  now: Date;
}

/** "3 days", "5 hours", "12 minutes": how long ago, roughly. */
export function durationSince(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: truncate(text, LIMITS.optionText) }, value };
}

/** The lists the "show" filter offers, as people read them. */
export const SHOW_LABEL: Record<HomeShow, string> = {
  needs_decision: 'Needs a decision',
  cancelled: 'Cancelled',
};

function select(actionId: string, placeholder: string, options: PlainTextOption[], chosen: string | undefined): StaticSelect {
  const initial = options.find((candidate) => candidate.value === (chosen ?? HOME_ALL)) ?? options[0]!;
  return { type: 'static_select', action_id: actionId, options, initial_option: initial, placeholder: { type: 'plain_text', text: placeholder } };
}

function filters(model: HomeModel, links: HomeLinks): KnownBlock {
  const channelOptions = [option('All channels', HOME_ALL), ...model.channels.slice(0, 99).map((id) => option(links.channelName(id), id))];
  const levelOptions = [option('All levels', HOME_ALL), ...OVERALL_LEVELS.map((level) => option(`Finished at Level ${level}`, level))];
  const showOptions = [option('Open and finished', HOME_ALL), ...HOME_SHOWS.map((show) => option(SHOW_LABEL[show], show))];
  return {
    type: 'actions',
    block_id: BLOCKS.homeFilters,
    elements: [
      select(ACTIONS.homeFilterChannel, 'Channel', channelOptions, model.filter.channel),
      select(ACTIONS.homeFilterLevel, 'Level', levelOptions, model.filter.level),
      select(ACTIONS.homeFilterShow, 'Show', showOptions, model.filter.show),
    ],
  };
}

function entryBlock(entry: HomeEntry, text: string, links: HomeLinks): KnownBlock {
  const url = links.threadUrl(entry);
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
    ...(url
      ? { accessory: { type: 'button', action_id: ACTIONS.openThread, text: { type: 'plain_text', text: 'Open thread' }, url, value: entry.reviewId } }
      : {}),
  };
}

function title(entry: HomeEntry): string {
  return `*${truncate(fromSlack(entry.systemName), 150)}* · <#${entry.channelId}> · \`${entry.reviewId}\``;
}

function questionText(entry: HomeEntry): string {
  return entry.waitingOn ? `question ${entry.waitingOn.number} of ${totalText(entry.waitingOn.total)}` : '';
}

/** "5 minutes ago", "3 days ago", or "just now" within the first minute (where "0 minutes" would read as a fault). */
export function agoText(iso: string, now: Date): string {
  return now.getTime() - Date.parse(iso) < 60_000 ? 'just now' : `${durationSince(iso, now)} ago`;
}

/** What a paused review waits on: someone to resume it, and for how long already. */
function pausedLine(entry: HomeEntry, now: Date): string {
  const pausedAt = entry.pausedAt ?? entry.lastActivityAt;
  const at = questionText(entry);
  const since = now.getTime() - Date.parse(pausedAt) < 60_000 ? 'Paused just now' : `Paused for ${durationSince(pausedAt, now)}`;
  return `:double_vertical_bar: ${since} (since ${utcMinuteText(pausedAt)})${at ? ` at ${at}` : ''}`;
}

/** How long an active review has waited for its next answer; "Active just now" rather than "Idle for 0 minutes". */
function idleText(entry: HomeEntry, now: Date): string {
  if (now.getTime() - Date.parse(entry.lastActivityAt) < 60_000) return 'Active just now';
  return `Idle for ${durationSince(entry.lastActivityAt, now)} (since ${utcMinuteText(entry.lastActivityAt)})`;
}

function waitingLine(entry: HomeEntry): string {
  if (!entry.waitingOn) return 'Waiting';
  return `Waiting on ${questionText(entry)}: _${truncate(plain(entry.waitingOn.prompt), 300)}_`;
}

/**
 * An open review in three lines: what it is, what it waits on, since when.
 * A paused one says how long it has been paused on the line of the question
 * (how long it has been idle would say the same again).
 */
function openText(entry: HomeEntry, now: Date): string {
  const stale = entry.stale ? ' · :hourglass_flowing_sand: *stale*' : '';
  const startedBy = `started by <@${entry.startedBy}>`;
  if (entry.status === 'paused') return `${title(entry)}${stale}\n${pausedLine(entry, now)} · ${startedBy}`;
  return `${title(entry)}${stale}\n${waitingLine(entry)}\n${idleText(entry, now)} · ${startedBy}`;
}

function cancelledText(entry: HomeEntry): string {
  const by = entry.cancelled?.by ? ` by <@${entry.cancelled.by}>` : '';
  const at = entry.cancelled?.at ? ` on ${utcMinuteText(entry.cancelled.at)}` : '';
  return `${title(entry)} · :no_entry_sign: *Cancelled*\nCancelled${by}${at} · started by <@${entry.startedBy}> on ${entry.startedAt.slice(0, 10)}`;
}

/** The overall level on a line of its own, then each area's: run together, the overall level read as the first area's. */
function levelLines(entry: HomeEntry): string {
  const areas = (entry.areas ?? []).map((area) => `${areaMark(area)} — ${AREAS[area.area].label}`).join(' · ');
  return `Overall: *${entry.overallText ?? `Level ${entry.overall ?? '?'}`}*${areas ? `\nBy area: ${areas}` : ''}`;
}

function finishedText(entry: HomeEntry): string {
  const decision = entry.decision
    ? `${decisionText(entry.decision.outcome)} by <@${entry.decision.by}>${entry.decision.answersChangedAt ? ' — :warning: answers edited since: needs a decision again' : ''}`
    : '_No decision recorded yet_';
  const finished = entry.finishedAt ? `Finished ${entry.finishedAt.slice(0, 10)}` : 'Finished';
  return `${title(entry)}\n${levelLines(entry)}\n${finished} · ${decision}`;
}

/**
 * A row of the "Needs a decision" queue: how long it has waited, and
 * whether it needs a decision again because answers were edited after the
 * one recorded (then it has waited since that edit).
 */
function waitingForDecisionText(entry: HomeEntry, now: Date): string {
  const decision = entry.decision;
  if (decision?.answersChangedAt) {
    const finished = entry.finishedAt ? ` · finished ${entry.finishedAt.slice(0, 10)}` : '';
    return (
      `${title(entry)} · :warning: *Needs a decision again*\n${levelLines(entry)}\n` +
      `Answers edited ${agoText(decision.answersChangedAt, now)}, after ${decisionText(decision.outcome)} by <@${decision.by}> on ${utcMinuteText(decision.at)}${finished}`
    );
  }
  const finished = `Finished ${agoText(waitingForDecisionSince(entry), now)}${entry.finishedAt ? ` (${utcMinuteText(entry.finishedAt)})` : ''}`;
  return `${title(entry)}\n${levelLines(entry)}\n${finished} · _No decision recorded yet_`;
}

function heading(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function openBlocks(model: HomeModel, links: HomeLinks): KnownBlock[] {
  const blocks = [heading(`*Open reviews* (${model.open.length + model.moreOpen})`)];
  if (model.open.length === 0) blocks.push(note(model.filter.channel ? 'None in this channel.' : `None. Start one with \`${COMMAND} &lt;name of the AI system&gt;\` in a channel.`));
  for (const entry of model.open) blocks.push(entryBlock(entry, openText(entry, links.now), links));
  if (model.moreOpen > 0) blocks.push(note(`…and ${model.moreOpen} more; pick a channel to narrow the list.`));
  blocks.push({ type: 'divider' });
  return blocks;
}

function finishedHeading(model: HomeModel): string {
  const level = model.filter.level ? ` at Level ${model.filter.level}` : '';
  if (model.filter.show === 'needs_decision') return `*Needs a decision${level}* — finished with none recorded, or answers edited since; waiting longest first`;
  return model.filter.level ? `*Finished${level}*` : '*Recently finished*';
}

function finishedBlocks(model: HomeModel, links: HomeLinks): KnownBlock[] {
  const blocks = [heading(`${finishedHeading(model)} (${model.finished.length + model.moreFinished})`)];
  if (model.finished.length === 0) blocks.push(note(model.filter.show === 'needs_decision' ? 'None: every finished review here has a decision.' : 'None yet.'));
  const rowText = (entry: HomeEntry) => (model.filter.show === 'needs_decision' ? waitingForDecisionText(entry, links.now) : finishedText(entry));
  for (const entry of model.finished) blocks.push(entryBlock(entry, rowText(entry), links));
  if (model.moreFinished > 0) blocks.push(note(`…and ${model.moreFinished} more; \`${COMMAND} export --csv\` lists them all.`));
  return blocks;
}

function cancelledBlocks(model: HomeModel, links: HomeLinks): KnownBlock[] {
  const blocks = [heading(`*Cancelled reviews* (${model.cancelled.length + model.moreCancelled})`)];
  if (model.filter.level) blocks.push(note('Cancelled reviews have no level: choose *All levels* to see them.'));
  else if (model.cancelled.length === 0) blocks.push(note('None.'));
  for (const entry of model.cancelled) blocks.push(entryBlock(entry, cancelledText(entry), links));
  if (model.moreCancelled > 0) blocks.push(note(`…and ${model.moreCancelled} more; pick a channel to narrow the list.`));
  return blocks;
}

/** Cancelled reviews stay out of the way of open work; a line says how many there are and where to find them. */
function cancelledHint(model: HomeModel): KnownBlock[] {
  if (model.filter.show === 'cancelled' || model.cancelledNotShown === 0) return [];
  const count = model.cancelledNotShown;
  return [note(`${count} cancelled review${count === 1 ? '' : 's'} not listed here: choose *${SHOW_LABEL.cancelled}* in the filters above.`)];
}

function listBlocks(model: HomeModel, links: HomeLinks): KnownBlock[] {
  if (model.filter.show === 'cancelled') return cancelledBlocks(model, links);
  if (model.filter.show === 'needs_decision') return finishedBlocks(model, links);
  return [...(model.filter.level ? [] : openBlocks(model, links)), ...finishedBlocks(model, links)];
}

export function homeView(model: HomeModel, links: HomeLinks): HomeView {
  const scope =
    model.scope === 'all'
      ? 'Every review in this workspace (you are a lead or an admin).'
      : 'Reviews you started, answered or were asked to answer.';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Alignment reviews' } },
    note(scope),
    filters(model, links),
    { type: 'divider' },
    ...listBlocks(model, links),
    ...cancelledHint(model),
  ];
  return { type: 'home', private_metadata: JSON.stringify(model.filter), blocks };
}

/** What App Home says when a person's reviews could not be loaded (the store down, Slack refusing a look-up). */
export const HOME_UNAVAILABLE = 'I could not load your reviews just now. Open this tab again in a minute; nothing in your reviews was changed.';

/**
 * The tab when publishing the person's home failed: said in the tab itself,
 * the only place they are looking, rather than leaving it as it was (which
 * would look like a filter that did nothing). No filters: they would fail
 * the same way.
 */
export function homeUnavailableView(): HomeView {
  return {
    type: 'home',
    blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Alignment reviews' } }, note(`:warning: ${HOME_UNAVAILABLE}`)],
  };
}
