--[[
  Stores one message reference of a review, if the review exists, and keeps
  the refs hash's expiry with the review's.

  KEYS[1] refs hash   KEYS[2] state hash
  ARGV[1] ref name   ARGV[2] value   ARGV[3] retention in seconds

  Returns 1 when stored, 0 when the review does not exist.
]]
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
