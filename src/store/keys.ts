/**
 * Every Redis key name the store uses, built in one place.
 *
 * A review's own keys share the hash tag `{<team>:<reviewId>}`, so in Redis
 * Cluster they live in one slot and a Lua script may touch all of them. A
 * team's index keys (thread lookup, lists, settings) share the tag `{<team>}`,
 * a different slot: scripts never mix the two groups.
 */

export interface ReviewKeys {
  /** hash: v = version, s = compressed state, p = placement JSON, e = list entry JSON, t = last index refresh (ms), n = inbox counter, d = decision mark (codec.ts decisionMark; written by each commit) */
  state: string;
  /** zset: score = seq, member = 15-digit insertion counter + input id (ties keep insertion order) */
  inbox: string;
  /** hash: input id → 15-digit insertion counter + input JSON */
  inputs: string;
  /** hash: "id:<inputId>" / "k:<dedupeKey>" → time (ms) until which it counts as seen */
  seen: string;
  /** list of outbox item JSON, oldest first */
  outbox: string;
  /** hash: ref name → value */
  refs: string;
  /** string: lock token, with PX */
  lock: string;
  /** hash: person → inputs in the current one-minute window; the key expires with the window */
  rate: string;
  /**
   * hash, once the review is deleted: i = the deletion's id, d = its by and at (JSON), p = placement JSON,
   * r = the message refs (JSON); kept DELETION_NOTE_SECONDS so a retry of the deletion can finish it
   */
  deleted: string;
}

export interface TeamKeys {
  /** zset of review ids by start time (ms) */
  all: string;
  /** hash of settings */
  settings: string;
}

/** Rejects ids that would break a hash tag or make key names ambiguous. */
function checkId(what: string, value: string): string {
  if (value.length === 0 || /[{}\s]/.test(value)) {
    throw new Error(`Invalid ${what} for a store key: ${JSON.stringify(value)}`);
  }
  return value;
}

export function reviewKeys(prefix: string, teamId: string, reviewId: string): ReviewKeys {
  const base = `${prefix}:{${checkId('team id', teamId)}:${checkId('review id', reviewId)}}`;
  return {
    state: `${base}:state`,
    inbox: `${base}:inbox`,
    inputs: `${base}:inputs`,
    seen: `${base}:seen`,
    outbox: `${base}:outbox`,
    refs: `${base}:refs`,
    lock: `${base}:lock`,
    rate: `${base}:rate`,
    deleted: `${base}:deleted`,
  };
}

/** Redis glob syntax in a prefix, escaped for SCAN's MATCH. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/**
 * The SCAN pattern for the keys that exist only while a review has work
 * left: its inbox (an input queued) and its outbox (a message committed,
 * not yet sent); Redis drops a zset or list when its last member goes. One
 * pattern for both (no other key of a review ends in "box"), so a look
 * walks the keyspace once; reviewOfWorkKey keeps only the two.
 */
export function workKeyPattern(prefix: string): string {
  return `${globEscape(prefix)}:{*}:*box`;
}

/** The team and review of an inbox or outbox key (see workKeyPattern), or null for a key of another shape. */
export function reviewOfWorkKey(prefix: string, key: string): { teamId: string; reviewId: string } | null {
  const start = `${prefix}:{`;
  if (!key.startsWith(start)) return null;
  const close = key.indexOf('}', start.length);
  const rest = close === -1 ? '' : key.slice(close + 1);
  if (rest !== ':inbox' && rest !== ':outbox') return null;
  const tag = key.slice(start.length, close);
  // Review ids are the app's own ("R" and seven letters or digits, no colon); a team id is the rest.
  const split = tag.lastIndexOf(':');
  if (split <= 0 || split === tag.length - 1) return null;
  return { teamId: tag.slice(0, split), reviewId: tag.slice(split + 1) };
}

/** The review keys in the fixed order the create and delete scripts take them. */
export function reviewKeyList(keys: ReviewKeys): string[] {
  return [keys.state, keys.inbox, keys.inputs, keys.seen, keys.outbox, keys.refs, keys.lock, keys.rate];
}

function teamBase(prefix: string, teamId: string): string {
  return `${prefix}:{${checkId('team id', teamId)}}`;
}

export function threadKey(prefix: string, teamId: string, channelId: string, threadTs: string): string {
  return `${teamBase(prefix, teamId)}:thread:${checkId('channel id', channelId)}:${checkId('thread ts', threadTs)}`;
}

/**
 * string: a deleted review's thread tombstone (its deletion's by and at, as
 * JSON), in the team's slot beside the thread key it replaces, so a reply in
 * that thread finds it where it looked for the review
 */
export function deletedThreadKey(prefix: string, teamId: string, channelId: string, threadTs: string): string {
  return `${teamBase(prefix, teamId)}:gone:${checkId('channel id', channelId)}:${checkId('thread ts', threadTs)}`;
}

/**
 * string, for DELETED_THREAD_NOTE_MARK_SECONDS: the person who sent this input (m:<ts>, edit:<ts>:<edited ts>)
 * in a deleted review's thread was told of the deletion, so Slack's retry of the event is not told again
 */
export function deletedThreadNoteKey(prefix: string, teamId: string, channelId: string, inputId: string): string {
  return `${teamBase(prefix, teamId)}:told:${checkId('channel id', channelId)}:${checkId('input id', inputId)}`;
}

export function channelListKey(prefix: string, teamId: string, channelId: string): string {
  return `${teamBase(prefix, teamId)}:chan:${checkId('channel id', channelId)}`;
}

export function teamKeys(prefix: string, teamId: string): TeamKeys {
  const base = teamBase(prefix, teamId);
  return { all: `${base}:all`, settings: `${base}:settings` };
}

/** hash of one person's settings in a team (App Home filters) */
export function userSettingsKey(prefix: string, teamId: string, userId: string): string {
  return `${teamBase(prefix, teamId)}:user:${checkId('user id', userId)}`;
}

/**
 * zset of reminders across every team: member `<team> <review>` (ids hold no
 * whitespace), score = when it is due in ms. One key, so one script can claim
 * the due ones atomically; it is in its own cluster slot and no script mixes
 * it with a review's or a team's keys.
 */
export function remindersKey(prefix: string): string {
  return `${prefix}:reminders`;
}

export function reminderMember(teamId: string, reviewId: string): string {
  return `${checkId('team id', teamId)} ${checkId('review id', reviewId)}`;
}

/** The team and review of a reminders member, or null for a member of another shape. */
export function parseReminderMember(member: string): { teamId: string; reviewId: string } | null {
  const parts = member.split(' ');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return { teamId: parts[0], reviewId: parts[1] };
}

/**
 * zset of the background jobs running across every team (suggestions,
 * follow-up questions, red-team scenarios: reviews/jobs.ts): member = the
 * job as JSON (jobMember), score = when its runner's lease runs out (ms).
 * One key, like the reminders, and claimed and dropped by the same scripts:
 * a job whose runner died comes due, and another process runs it.
 */
export function jobsKey(prefix: string): string {
  return `${prefix}:jobs`;
}

/** A running job as its zset member: the same job gives the same text, so a runner can drop what it noted. */
export function jobMember(job: { teamId: string; reviewId: string; itemId: string; attempt: number; job: unknown }): string {
  return JSON.stringify([checkId('team id', job.teamId), checkId('review id', job.reviewId), job.itemId, job.attempt, job.job]);
}

/** A jobs member read back, or null for a member of another shape. */
export function parseJobMember(member: string): { teamId: string; reviewId: string; itemId: string; attempt: number; job: unknown } | null {
  let value: unknown;
  try {
    value = JSON.parse(member);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 5) return null;
  const [teamId, reviewId, itemId, attempt, job] = value as unknown[];
  if (typeof teamId !== 'string' || typeof reviewId !== 'string' || typeof itemId !== 'string' || !Number.isInteger(attempt)) return null;
  return { teamId, reviewId, itemId, attempt: attempt as number, job };
}

/**
 * zset of starts in progress across every team: member `<team> <start id>`,
 * score = when it was noted (ms). One key, like the reminders, so one script
 * can claim the lost ones; each start's record is a team key beside it.
 * Expires two days after the last start noted (a record lives one).
 */
export function startsKey(prefix: string): string {
  return `${prefix}:starting`;
}

export function startMember(teamId: string, startId: string): string {
  return `${checkId('team id', teamId)} ${checkId('start id', startId)}`;
}

/** The team and start id of a starts member, or null for a member of another shape. */
export function parseStartMember(member: string): { teamId: string; startId: string } | null {
  const ids = parseReminderMember(member);
  return ids ? { teamId: ids.teamId, startId: ids.reviewId } : null;
}

/** string: a start in progress as JSON (PendingStart), expiring a day after it was noted */
export function startKey(prefix: string, teamId: string, startId: string): string {
  return `${teamBase(prefix, teamId)}:starting:${checkId('start id', startId)}`;
}

/** string: one Slack installation (OAuth) as JSON */
export function installationKey(prefix: string, key: string): string {
  return `${prefix}:inst:${checkId('installation key', key)}`;
}

/** string: a team's fixed-window counter, in the team's slot so that one script can count several (hit-in-turn.lua) */
export function teamRateKey(prefix: string, teamId: string, name: string): string {
  return `${teamBase(prefix, teamId)}:rl:${checkId('rate key', name)}`;
}

export function rateKey(prefix: string, key: string): string {
  return `${prefix}:rl:${checkId('rate key', key)}`;
}

/**
 * The part of a key Redis Cluster hashes, by its rule: the text between the
 * first "{" and the first "}" after it, when that is non-empty; else the
 * whole key.
 */
export function hashSlotPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}
