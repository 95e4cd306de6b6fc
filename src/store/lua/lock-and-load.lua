--[[
  Takes a review's lock and, in the same step, reads everything a drain needs
  to start: the state, the refs, the outbox and the first queued input. One
  round trip instead of five before a reply's answer is applied.

  KEYS[1] lock string   KEYS[2] state hash   KEYS[3] refs hash   KEYS[4] outbox list
  KEYS[5] inbox zset    KEYS[6] inputs hash
  ARGV[1] lock token
  ARGV[2] lease in ms
  ARGV[3] the version whose state the caller already holds, or "" for none:
          at that version the packed state is left out of the reply (nil)
  ARGV[4] "1": take a free lock only when an input is queued or the outbox
          holds an item; "" (or absent): take it in any case

  Returns nil when another worker holds the lock, and 0 when ARGV[4] asked
  for work and there is none (nothing changed either way). Otherwise the
  lock is taken and the reply is loadReview's (include/load-review.lua);
  when the review does not exist the caller still releases the lock.
]]
if ARGV[4] == '1' then
  if redis.call('EXISTS', KEYS[1]) == 1 then
    return nil
  end
  if redis.call('ZCARD', KEYS[5]) == 0 and redis.call('LLEN', KEYS[4]) == 0 then
    return 0
  end
end
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return nil
end
return loadReview(KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[3], ARGV[1])
