--[[
  Releases a review's lock if the caller still holds it (its token matches),
  so a worker whose lease ran out cannot release the next holder's lock.
  In the same step it removes the outbox items the holder performed since
  its last write, with the ref their post produced (removePerformed,
  include/remove-performed.lua; done even when the lease ran out, as
  outbox-done.lua would), and says whether inputs wait in the inbox: one
  queued while the holder finished would otherwise wait for the next message.
  Released, the holder's token leaves the state hash too (field `h`, see
  include/load-review.lua).

  KEYS[1] lock string   KEYS[2] inbox zset   KEYS[3] outbox list   KEYS[4] refs hash
  KEYS[5] state hash
  ARGV[1] token
  ARGV[2] retention in seconds
  ARGV[3..] the performed items (ref name, ref value, count, ids), as
            include/remove-performed.lua describes

  Returns the number of queued inputs (whether or not the lock was released).
]]
removePerformed(KEYS[3], KEYS[4], KEYS[5], ARGV[2], 3)
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  -- Let go, not taken over (include/load-review.lua).
  redis.call('HDEL', KEYS[5], 'h')
end
return redis.call('ZCARD', KEYS[2])
