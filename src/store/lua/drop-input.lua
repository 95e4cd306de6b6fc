--[[
  Removes one queued input (one that cannot be applied) from a review's inbox.

  KEYS[1] inbox zset   KEYS[2] inputs hash
  ARGV[1] input id

  Returns 1 when it was queued, 0 when it was not.
]]
local stored = redis.call('HGET', KEYS[2], ARGV[1])
if not stored then
  return 0
end
redis.call('ZREM', KEYS[1], string.sub(stored, 1, 15) .. ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
