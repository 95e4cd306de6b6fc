--[[
  Stores a review's next state if its version is still the one the caller
  read: bumps the version, stores the state and its list fields, removes the
  consumed input, appends the outbox items and pushes back the expiry of the
  review's keys (its seen marks and lock keep their own short expiries).

  KEYS[1] state hash   KEYS[2] inbox zset   KEYS[3] inputs hash   KEYS[4] outbox list
  KEYS[5] refs hash
  ARGV[1] expected version
  ARGV[2] packed state (bytes)
  ARGV[3] list fields JSON
  ARGV[4] consumed input id, or "" for none
  ARGV[5] retention in seconds
  ARGV[6] now in ms
  ARGV[7] index refresh interval in ms
  ARGV[8..] outbox item JSON, oldest first

  Returns {1, placement JSON} when committed and the review's index keys are
  due for an expiry refresh (index-touch.lua), {1} when committed, {0} when
  the version moved on, the review does not exist, or the consumed input is
  no longer queued (dropped or retracted meanwhile): nothing changed.
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

redis.call('HSET', KEYS[1], 'v', version + 1, 's', ARGV[2], 'e', ARGV[3])
if stored then
  redis.call('ZREM', KEYS[2], string.sub(stored, 1, 15) .. consumed)
  redis.call('HDEL', KEYS[3], consumed)
end

if #ARGV > 7 then
  redis.call('RPUSH', KEYS[4], unpack(ARGV, 8))
end

for i = 1, 5 do
  redis.call('EXPIRE', KEYS[i], ARGV[5])
end

local now = tonumber(ARGV[6])
local touched = tonumber(redis.call('HGET', KEYS[1], 't')) or 0
if now - touched >= tonumber(ARGV[7]) then
  redis.call('HSET', KEYS[1], 't', now)
  return { 1, redis.call('HGET', KEYS[1], 'p') }
end
return { 1 }
