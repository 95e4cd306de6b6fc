--[[
  Removes performed items from the head of a review's outbox, in order, and
  stores the ref their post produced (removePerformed, include/remove-performed.lua).

  KEYS[1] outbox list   KEYS[2] refs hash   KEYS[3] state hash
  ARGV[1] retention in seconds
  ARGV[2..] the performed items (ref name, ref value, count, ids), as
            include/remove-performed.lua describes

  Returns the number of items removed.
]]
local removed = removePerformed(KEYS[1], KEYS[2], KEYS[3], ARGV[1], 2)
return removed
