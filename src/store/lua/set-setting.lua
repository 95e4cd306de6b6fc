--[[
  Stores one team setting and pushes back the expiry of the team's settings.

  KEYS[1] settings hash
  ARGV[1] name   ARGV[2] value   ARGV[3] expiry in seconds
  ARGV[4] deadline in ms in Redis's clock, or "" (see refuse-if-late.lua)

  Returns 1; an error, storing nothing, when it runs past its deadline.
]]
local late = refuseIfLate(ARGV[4])
if late then
  return late
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
