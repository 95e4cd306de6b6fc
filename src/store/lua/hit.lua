--[[
  One hit on a fixed-window counter: the first hit of a window starts its
  expiry, later hits in the window leave it alone. Needs Redis 7.0 or later
  (EXPIRE ... NX).

  KEYS[1] counter string
  ARGV[1] window in seconds

  Returns the count after this hit.
]]
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
return count
