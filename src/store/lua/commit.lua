--[[
  Stores a review's next state if its version is still the one the caller
  read: bumps the version, stores the state and its list fields, removes the
  consumed input, removes the outbox items the caller performed since its
  last write (with the ref their post produced: removePerformed,
  include/remove-performed.lua), appends the new outbox items and pushes
  back the expiry of the review's keys (its seen marks and lock keep their
  own short expiries).

  A review that is no longer active (finished, cancelled, paused) also
  drops its per-person input counts at once: they only guard a review
  people are answering, and a finished review keeps nothing it does not need.

  With a lock token, the commit is also the holder's last look at the
  inbox: when an input is queued next, the lease is extended (the holder
  goes on with it); otherwise the lock is released, and the holder's token
  leaves the state hash (field `h`, include/load-review.lua). A drain that posted
  before committing so ends a reply in one round trip instead of two.

  KEYS[1] state hash   KEYS[2] inbox zset   KEYS[3] inputs hash   KEYS[4] outbox list
  KEYS[5] refs hash    KEYS[6] rate hash    KEYS[7] lock string
  ARGV[1] expected version
  ARGV[2] packed state (bytes)
  ARGV[3] list fields JSON
  ARGV[4] consumed input id, or "" for none
  ARGV[5] retention in seconds
  ARGV[6] now in ms
  ARGV[7] index refresh interval in ms
  ARGV[8] "1" when the new state is active, "0" otherwise
  ARGV[9] lock token, or "" to leave the lock alone
  ARGV[10] lease in ms, when ARGV[9] is a token
  ARGV[11] the new state's decision mark ('' for none; codec.ts
           decisionMark), kept as `d` for delete.lua's premise
  ARGV[12..] the performed items (ref name, ref value, count k, k ids), as
             include/remove-performed.lua describes, then the new outbox
             item JSON, oldest first

  Returns {1, next input, held, placement JSON} when committed: the next
  queued input's JSON (firstInput, include/load-review.lua; nil when none),
  so the drain goes on without another round trip; held, 1 when the caller
  still holds the lock (always without a token; with one, when an input is
  queued and the token still held the lock), else 0; and the placement only
  when the review's index keys are due for an expiry refresh
  (index-touch.lua).
  Returns {0} when the version moved on, the review does not exist, or the
  consumed input is no longer queued (dropped or retracted meanwhile):
  nothing changed, performed items included (the caller removes them with
  outbox-done.lua).
]]
local version = tonumber(redis.call('HGET', KEYS[1], 'v'))
if version == nil or version ~= tonumber(ARGV[1]) then
  return { 0 }
end

local consumed = ARGV[4]
local stored = false
if consumed ~= '' then
  stored = redis.call('HGET', KEYS[3], consumed)
  if not stored then
    return { 0 }
  end
end

redis.call('HSET', KEYS[1], 'v', version + 1, 's', ARGV[2], 'e', ARGV[3], 'd', ARGV[11])
if stored then
  redis.call('ZREM', KEYS[2], string.sub(stored, 1, 15) .. consumed)
  redis.call('HDEL', KEYS[3], consumed)
end

local _, firstItem = removePerformed(KEYS[4], KEYS[5], KEYS[1], ARGV[5], 12)
if #ARGV >= firstItem then
  redis.call('RPUSH', KEYS[4], unpack(ARGV, firstItem))
end
if ARGV[8] ~= '1' then
  redis.call('DEL', KEYS[6])
end

for i = 1, 5 do
  redis.call('EXPIRE', KEYS[i], ARGV[5])
end

local nextInput = firstInput(KEYS[2], KEYS[3])

local held = 1
if ARGV[9] ~= '' then
  held = 0
  if redis.call('GET', KEYS[7]) == ARGV[9] then
    if nextInput then
      redis.call('PEXPIRE', KEYS[7], ARGV[10])
      held = 1
    else
      redis.call('DEL', KEYS[7])
      -- Let go, not taken over (include/load-review.lua).
      redis.call('HDEL', KEYS[1], 'h')
    end
  end
end

local now = tonumber(ARGV[6])
local touched = tonumber(redis.call('HGET', KEYS[1], 't')) or 0
if now - touched >= tonumber(ARGV[7]) then
  redis.call('HSET', KEYS[1], 't', now)
  return { 1, nextInput, held, redis.call('HGET', KEYS[1], 'p') }
end
return { 1, nextInput, held }
