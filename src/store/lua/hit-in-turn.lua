--[[
  Hits a team's fixed-window counters in turn and stops at the first that
  goes over its limit, so a request is counted only against the limits it
  reached: a person refused for their own flood has not used up the
  team's. Each counter's first hit starts its window's expiry, as hit.lua.
  Needs Redis 7.0 or later (EXPIRE ... NX).

  KEYS[1] … KEYS[n] counter strings, all in the team's slot
  ARGV[2i-1] window in seconds of KEYS[i]
  ARGV[2i]   limit of KEYS[i]: the most hits its window allows

  Returns the position (1-based) of the counter that went over its limit,
  the counters after it left as they were; 0 when none did.
]]
for i = 1, #KEYS do
  local count = redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[2 * i - 1], 'NX')
  if count > tonumber(ARGV[2 * i]) then
    return i
  end
end
return 0
