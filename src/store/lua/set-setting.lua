--[[
  Stores one team setting and pushes back the expiry of the team's settings.

  KEYS[1] settings hash
  ARGV[1] name   ARGV[2] value   ARGV[3] expiry in seconds

  Returns 1.
]]
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
