--[[
  Creates a review, unless one with this id exists: its state hash and its
  first outbox items. Leftovers of an earlier review with the same id (keys
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
  ARGV[6..] outbox item JSON, oldest first

  Returns 1 when created, 0 when the review already exists (nothing changed).
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
redis.call('HSET', KEYS[1], 'v', 1, 's', ARGV[1], 'p', ARGV[2], 'e', ARGV[3], 't', ARGV[5], 'n', 0)
redis.call('EXPIRE', KEYS[1], ARGV[4])
if #ARGV > 5 then
  redis.call('RPUSH', KEYS[5], unpack(ARGV, 6))
  redis.call('EXPIRE', KEYS[5], ARGV[4])
end
return 1
