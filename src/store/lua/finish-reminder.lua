--[[
  Drops a claimed reminder once its worker is done with it, but only while
  its time is still the lease the claim set: a commit that rescheduled the
  review after the claim keeps its new time.

  KEYS[1] reminders zset (or the jobs zset: a job dropped once run)
  ARGV[1] member "<team> <review>"
  ARGV[2] the lease in ms, as the claim returned it

  Returns 1 when dropped, 0 otherwise.
]]
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
