--[[
  Sets (or drops) the time a review is due a reminder, and keeps the
  reminders zset alive as long as any review in it could be.

  KEYS[1] reminders zset (or the jobs zset: a job noted as running, due when its lease runs out)
  ARGV[1] member "<team> <review>"
  ARGV[2] due time in ms, or "" to drop the member
  ARGV[3] expiry of the zset in seconds

  Returns 1.
]]
if ARGV[2] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
