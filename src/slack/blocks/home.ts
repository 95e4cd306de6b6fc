/**
 * The App Home tab: filters, open reviews (what each waits on, how long it
 * has been idle, a stale marker) and finished ones (overall and per-area
 * levels, the decision), each with a button to its thread. Pure: the model
 * and the links come in, the view goes out. One block per review keeps the
 * view within Slack's 100 blocks (see MAX_OPEN_SHOWN / MAX_FINISHED_SHOWN).
 */
import { decisionText } from './decision-text.js';
import type { HomeView, KnownBlock, PlainTextOption } from '@slack/types';
import { AREAS, OVERALL_LEVELS } from '../../engine/areas.js';
import { totalText } from '../../engine/question-count.js';
import type { HomeEntry, HomeModel } from '../../leads/home-data.js';
import { ACTIONS, BLOCKS, COMMAND, HOME_ALL } from '../ids.js';
import { LEVEL_MARK } from './summary-card.js';
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

function filters(model: HomeModel, links: HomeLinks): KnownBlock {
  const channelOptions = [option('All channels', HOME_ALL), ...model.channels.slice(0, 99).map((id) => option(links.channelName(id), id))];
  const levelOptions = [option('All levels', HOME_ALL), ...OVERALL_LEVELS.map((level) => option(`Finished at Level ${level}`, level))];
  const channelInitial = channelOptions.find((candidate) => candidate.value === (model.filter.channel ?? HOME_ALL)) ?? channelOptions[0]!;
  const levelInitial = levelOptions.find((candidate) => candidate.value === (model.filter.level ?? HOME_ALL)) ?? levelOptions[0]!;
  return {
    type: 'actions',
    block_id: BLOCKS.homeFilters,
    elements: [
      { type: 'static_select', action_id: ACTIONS.homeFilterChannel, options: channelOptions, initial_option: channelInitial, placeholder: { type: 'plain_text', text: 'Channel' } },
      { type: 'static_select', action_id: ACTIONS.homeFilterLevel, options: levelOptions, initial_option: levelInitial, placeholder: { type: 'plain_text', text: 'Level' } },
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

function openText(entry: HomeEntry, now: Date): string {
  const stale = entry.stale ? ' · :hourglass_flowing_sand: *stale*' : '';
  const state = entry.status === 'paused' ? ':double_vertical_bar: Paused' : entry.waitingOn ? `Waiting on question ${entry.waitingOn.number} of ${totalText(entry.waitingOn.total)}` : 'Waiting';
  const prompt = entry.status !== 'paused' && entry.waitingOn ? `: _${truncate(plain(entry.waitingOn.prompt), 300)}_` : '';
  return `${title(entry)}${stale}\n${state}${prompt}\nIdle for ${durationSince(entry.lastActivityAt, now)} (since ${entry.lastActivityAt.slice(0, 16).replace('T', ' ')} UTC) · started by <@${entry.startedBy}>`;
}

function finishedText(entry: HomeEntry): string {
  const areas = (entry.areas ?? []).map((area) => `${LEVEL_MARK[area.level]} — ${AREAS[area.area].label}`).join(' · ');
  const decision = entry.decision
    ? `${decisionText(entry.decision.outcome)} by <@${entry.decision.by}>${entry.decision.answersChangedAt ? ' — :warning: answers edited since: needs a decision again' : ''}`
    : '_No decision recorded yet_';
  const finished = entry.finishedAt ? `Finished ${entry.finishedAt.slice(0, 10)}` : 'Finished';
  return `${title(entry)}\n*${entry.overallText ?? `Level ${entry.overall ?? '?'}`}* — ${areas}\n${finished} · ${decision}`;
}

function heading(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

export function homeView(model: HomeModel, links: HomeLinks): HomeView {
  const scope =
    model.scope === 'all'
      ? 'Every review in this workspace (you are a lead or an admin).'
      : 'Reviews you started, answered or were asked to answer.';
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Alignment reviews' } }, note(scope), filters(model, links), { type: 'divider' }];

  if (!model.filter.level) {
    blocks.push(heading(`*Open reviews* (${model.open.length + model.moreOpen})`));
    if (model.open.length === 0) blocks.push(note(model.filter.channel ? 'None in this channel.' : `None. Start one with \`${COMMAND} &lt;name of the AI system&gt;\` in a channel.`));
    for (const entry of model.open) blocks.push(entryBlock(entry, openText(entry, links.now), links));
    if (model.moreOpen > 0) blocks.push(note(`…and ${model.moreOpen} more; pick a channel to narrow the list.`));
    blocks.push({ type: 'divider' });
  }

  const finishedHeading = model.filter.level ? `*Finished at Level ${model.filter.level}*` : '*Recently finished*';
  blocks.push(heading(`${finishedHeading} (${model.finished.length + model.moreFinished})`));
  if (model.finished.length === 0) blocks.push(note('None yet.'));
  for (const entry of model.finished) blocks.push(entryBlock(entry, finishedText(entry), links));
  if (model.moreFinished > 0) blocks.push(note(`…and ${model.moreFinished} more; \`${COMMAND} export --csv\` lists them all.`));

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
