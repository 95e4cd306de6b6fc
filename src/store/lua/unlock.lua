--[[
  Releases a review's lock if the caller still holds it (its token matches),
  so a worker whose lease ran out cannot release the next holder's lock.

  KEYS[1] lock string
  ARGV[1] token

  Returns 1 when released, 0 otherwise.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
