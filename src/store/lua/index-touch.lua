--[[
  Pushes back the expiry of a review's index keys (and its team's settings)
  while the review is in use. commit.lua asks for this at most once per
  refresh interval, so it costs one extra round trip a day per review.

  KEYS[1] thread string   KEYS[2] channel list zset   KEYS[3] team list zset
  KEYS[4] settings hash
  ARGV[1] index expiry in seconds

  Returns 1. Missing keys are left missing.
]]
for i = 1, 4 do
  redis.call('EXPIRE', KEYS[i], ARGV[1])
end
return 1
