--[[
  Deletes every key of a review, in one step with the check of what the
  deletion was decided on (its premise), and leaves a note of the deletion.
  Its index entries are in the team's slot, which a script on this slot may
  not touch in Redis Cluster; the caller removes them with index-remove.lua,
  using the placement returned here.

  The premise, when given, holds while either nothing changed since the
  check (the version is the one it read) or the decision is still the one
  it read (the state hash's `d`, which commit.lua writes: '' for none; a
  review not committed since before `d` existed has none, and then only
  the version can tell), and no decision is queued (an input whose id
  starts with the given prefix: a lead's modal closed on it, so it counts
  as recorded). Otherwise the deletion is refused, changing nothing: a
  decision recorded after the check is never deleted unseen.

  The note (KEYS[9]) keeps the deletion's id, its by and at, the placement
  and the message refs, for ARGV[4] seconds: the same deletion run again
  (its answer lost, or its index removal failed) answers as its first run
  did, with what the caller needs to finish: remove the index entries,
  and update the messages that showed the review.

  KEYS[1] state hash   KEYS[2] inbox zset   KEYS[3] inputs hash   KEYS[4] seen hash
  KEYS[5] outbox list  KEYS[6] refs hash    KEYS[7] lock string  KEYS[8] rate hash
  KEYS[9] deleted hash (the note)
  ARGV[1] deadline in ms in Redis's clock, or "" (see refuse-if-late.lua)
  ARGV[2] the deletion's id
  ARGV[3] the deletion's by and at, JSON, as the note keeps them
  ARGV[4] how long the note is kept, in seconds
  ARGV[5] "1" when a premise follows, "" to delete whatever the review holds
  ARGV[6] premise: the version the check read
  ARGV[7] premise: the decision mark the check read ('' for none; codec.ts decisionMark)
  ARGV[8] premise: id prefix of queued inputs that are decisions, or ""

  Returns {1, by and at JSON, placement JSON, refs JSON} when deleted, now
  or by an earlier run of this deletion (then as that run stored them);
  {2, …the same} when another deletion deleted it before; {0} when there
  is no such review (its leftover keys, if any, are deleted all the same);
  {3} when the premise no longer holds, nothing changed; an error,
  nothing changed, when it runs past its deadline.
]]
local late = refuseIfLate(ARGV[1])
if late then
  return late
end

local function noteReply(note)
  local status = 2
  if note[1] == ARGV[2] then
    status = 1
  end
  return { status, note[2], note[3], note[4] }
end

local function premiseHolds(fields)
  if ARGV[5] ~= '1' then
    return true
  end
  local prefix = ARGV[8]
  if prefix ~= '' then
    for _, id in ipairs(redis.call('HKEYS', KEYS[3])) do
      if string.sub(id, 1, #prefix) == prefix then
        return false
      end
    end
  end
  if fields[1] == ARGV[6] then
    return true
  end
  return fields[2] ~= false and fields[2] == ARGV[7]
end

local fields = redis.call('HMGET', KEYS[1], 'v', 'd', 'p')
local placement = fields[3]
if not placement then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
  local note = redis.call('HMGET', KEYS[9], 'i', 'd', 'p', 'r')
  if note[1] then
    return noteReply(note)
  end
  return { 0 }
end
if not premiseHolds(fields) then
  return { 3 }
end

local refs = {}
local flat = redis.call('HGETALL', KEYS[6])
for i = 1, #flat, 2 do
  refs[flat[i]] = flat[i + 1]
end
-- cjson writes an empty table as an object, as the caller reads it.
local refsJson = cjson.encode(refs)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9])
redis.call('HSET', KEYS[9], 'i', ARGV[2], 'd', ARGV[3], 'p', placement, 'r', refsJson)
redis.call('EXPIRE', KEYS[9], ARGV[4])
return { 1, ARGV[3], placement, refsJson }
