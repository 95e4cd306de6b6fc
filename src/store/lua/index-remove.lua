--[[
  Removes a deleted review from its team's indexes. The thread key is only
  deleted while it still points at this review.

  KEYS[1] thread string   KEYS[2] channel list zset   KEYS[3] team list zset
  ARGV[1] review id

  Returns 1.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
