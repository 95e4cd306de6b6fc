--[[
  Reads one installation and pushes back its expiry: a workspace that keeps
  using the app keeps its installation.

  KEYS[1] installation string
  ARGV[1] expiry in seconds

  Returns the installation JSON, or nil.
]]
local json = redis.call('GET', KEYS[1])
if json then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return json
