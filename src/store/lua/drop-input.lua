--[[
  Removes one queued input (one that cannot be applied, or one a person was
  told was not saved) from a review's inbox. With a window, its id also
  counts as seen until then, so an enqueue of it that runs late (a command
  the client gave up on) is refused as a duplicate.

  KEYS[1] inbox zset   KEYS[2] inputs hash   KEYS[3] seen hash
  ARGV[1] input id
  ARGV[2] now in ms
  ARGV[3] window in ms (0: remember nothing)

  Returns 1 when it was queued, 0 when it was not.
]]
local window = tonumber(ARGV[3]) or 0
if window > 0 then
  redis.call('HSET', KEYS[3], 'id:' .. ARGV[1], tonumber(ARGV[2]) + window)
  if redis.call('PTTL', KEYS[3]) < window then
    redis.call('PEXPIRE', KEYS[3], window)
  end
end
local stored = redis.call('HGET', KEYS[2], ARGV[1])
if not stored then
  return 0
end
redis.call('ZREM', KEYS[1], string.sub(stored, 1, 15) .. ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
