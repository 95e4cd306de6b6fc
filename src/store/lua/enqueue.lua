--[[
  Queues an input in a review's inbox unless it is a duplicate: its id is
  already queued, or its id or any of its dedupe keys was seen within the
  dedupe window. Seen marks are fields of one hash per review, each holding
  the time (ms) until which it counts, so deleting the review removes them
  all; the hash itself expires once the longest window has passed. Ties in
  seq keep insertion order: the zset member starts with a 15-digit counter.

  With a person, also counts their inputs to this review in a fixed window
  (the review's rate hash: person → count, expiring when the window ends)
  and refuses the input past the limit: one round trip instead of a
  separate counter, and the count goes with the review when it is deleted.
  Duplicates are not counted (Slack's retries are not the person's doing).

  With a lock token, a queued input also takes the review's lock when it is
  free and reads what the drain starts from (loadReview,
  include/load-review.lua): the reply is queued and applied in two round
  trips fewer than enqueue, lock and load one after the other.

  KEYS[1] state hash   KEYS[2] inbox zset   KEYS[3] inputs hash   KEYS[4] seen hash
  KEYS[5] rate hash    KEYS[6] lock string  KEYS[7] refs hash     KEYS[8] outbox list
  ARGV[1] input id
  ARGV[2] seq (a Slack ts; Redis reads it as a double)
  ARGV[3] input JSON
  ARGV[4] now in ms
  ARGV[5] dedupe window in ms (0: remember nothing)
  ARGV[6] retention in seconds
  ARGV[7] person, or "" to count nothing
  ARGV[8] most inputs per window from the person
  ARGV[9] count window in ms
  ARGV[10] lock token, or "" to take no lock
  ARGV[11] lease in ms
  ARGV[12] the version whose state the caller already holds, or ""
  ARGV[13..] dedupe keys

  Returns {1, count, holder} when queued, holder being the token that holds
  the review's lock (nil when free): a drain holding it looks at the inbox
  again before it lets go, so the caller knows that drain will apply the
  input; {1, count, loadReview's reply} when queued and the lock was taken;
  {0, 0} for a duplicate or a review that does not
  exist, {2, count} when the person is over the limit (nothing queued or
  marked); count is the person's inputs in this window, this one included
  (0 without a person).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 0, 0 }
end
local id = ARGV[1]
if redis.call('HEXISTS', KEYS[3], id) == 1 then
  return { 0, 0 }
end
local now = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local marks = { 'id:' .. id }
for i = 13, #ARGV do
  marks[#marks + 1] = 'k:' .. ARGV[i]
end
for _, mark in ipairs(marks) do
  local untilMs = tonumber(redis.call('HGET', KEYS[4], mark))
  if untilMs and untilMs > now then
    return { 0, 0 }
  end
end

local count = 0
local person = ARGV[7]
if person ~= '' then
  count = redis.call('HINCRBY', KEYS[5], person, 1)
  -- The first count of a window starts its expiry; the hash goes when the window ends.
  if redis.call('PTTL', KEYS[5]) < 0 then
    redis.call('PEXPIRE', KEYS[5], ARGV[9])
  end
  if count > tonumber(ARGV[8]) then
    return { 2, count }
  end
end

local counter = string.format('%015d', redis.call('HINCRBY', KEYS[1], 'n', 1))
redis.call('ZADD', KEYS[2], ARGV[2], counter .. id)
redis.call('HSET', KEYS[3], id, counter .. ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('EXPIRE', KEYS[3], ARGV[6])

if window > 0 then
  for _, mark in ipairs(marks) do
    redis.call('HSET', KEYS[4], mark, now + window)
  end
  -- Drop marks whose window has passed once there are more than a few, so a busy review stays small.
  if redis.call('HLEN', KEYS[4]) > 8 then
    local all = redis.call('HGETALL', KEYS[4])
    for i = 1, #all, 2 do
      if tonumber(all[i + 1]) <= now then
        redis.call('HDEL', KEYS[4], all[i])
      end
    end
  end
  if redis.call('PTTL', KEYS[4]) < window then
    redis.call('PEXPIRE', KEYS[4], window)
  end
end
if ARGV[10] ~= '' and redis.call('SET', KEYS[6], ARGV[10], 'PX', ARGV[11], 'NX') then
  return { 1, count, loadReview(KEYS[1], KEYS[7], KEYS[8], KEYS[2], KEYS[3], ARGV[12], ARGV[10]) }
end
return { 1, count, redis.call('GET', KEYS[6]) }
