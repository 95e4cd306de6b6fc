--[[
  Creates a review, unless one with this id exists: its state hash, its
  first message references (the root message's, written with the review so
  a start that stored the review has nothing left to store) and its first
  outbox items. Leftovers of an earlier review with the same id (keys
  that outlived its state) are removed first, so the new review starts clean.
  The index entries live in the team's slot and are written by
  index-add.lua right after this script (a script may not cross slots).

  KEYS[1] state hash   KEYS[2] inbox zset   KEYS[3] inputs hash   KEYS[4] seen hash
  KEYS[5] outbox list  KEYS[6] refs hash    KEYS[7] lock string  KEYS[8] rate hash
  ARGV[1] packed state (bytes)
  ARGV[2] placement JSON
  ARGV[3] list fields JSON
  ARGV[4] retention in seconds
  ARGV[5] now in ms (time of the first index write)
  ARGV[6] deadline in ms in Redis's clock, or "" (see refuse-if-late.lua)
  ARGV[7] n: how many ref arguments follow (2 per ref)
  ARGV[8..7+n] ref name, value, name, value…
  ARGV[8+n..] outbox item JSON, oldest first

  Returns 1 when created; 2 when this same create ran before (the review
  exists with this placement: a retry of a create whose answer was lost),
  nothing changed; 0 when another review has this id, nothing changed; an
  error, nothing changed, when it runs past its deadline (a review the
  person was told did not start must not appear later).
]]
local late = refuseIfLate(ARGV[6])
if late then
  return late
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('HGET', KEYS[1], 'p') == ARGV[2] then
    return 2
  end
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
redis.call('HSET', KEYS[1], 'v', 1, 's', ARGV[1], 'p', ARGV[2], 'e', ARGV[3], 't', ARGV[5], 'n', 0)
redis.call('EXPIRE', KEYS[1], ARGV[4])
local refArgs = tonumber(ARGV[7])
if refArgs > 0 then
  redis.call('HSET', KEYS[6], unpack(ARGV, 8, 7 + refArgs))
  redis.call('EXPIRE', KEYS[6], ARGV[4])
end
if #ARGV > 7 + refArgs then
  redis.call('RPUSH', KEYS[5], unpack(ARGV, 8 + refArgs))
  redis.call('EXPIRE', KEYS[5], ARGV[4])
end
return 1
