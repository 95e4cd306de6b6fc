--[[
  Deletes every key of a review. Its index entries are in the team's slot,
  which a script on this slot may not touch in Redis Cluster; the caller
  removes them with index-remove.lua, using the placement returned here.

  KEYS[1] state hash   KEYS[2] inbox zset   KEYS[3] inputs hash   KEYS[4] seen hash
  KEYS[5] outbox list  KEYS[6] refs hash    KEYS[7] lock string  KEYS[8] rate hash
  ARGV[1] deadline in ms in Redis's clock, or "" (see refuse-if-late.lua)

  Returns the placement JSON when the review existed, nil otherwise (its
  leftover keys, if any, are deleted all the same); an error, deleting
  nothing, when it runs past its deadline.
]]
local late = refuseIfLate(ARGV[1])
if late then
  return late
end
local placement = redis.call('HGET', KEYS[1], 'p')
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8])
if placement then
  return placement
end
return nil
