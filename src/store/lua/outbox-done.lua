--[[
  Removes performed items from the head of a review's outbox, in order, and
  stores the ref their post produced (removePerformed, include/remove-performed.lua).

  KEYS[1] outbox list   KEYS[2] refs hash   KEYS[3] state hash
  ARGV[1] retention in seconds
  ARGV[2] ref name, or "" for none
  ARGV[3] ref value
  ARGV[4..] item ids, oldest first

  Returns the number of items removed.
]]
return removePerformed(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], 4, #ARGV)
