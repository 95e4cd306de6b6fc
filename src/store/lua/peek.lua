--[[
  The oldest queued input of a review (firstInput, include/load-review.lua),
  without removing it.

  KEYS[1] inbox zset   KEYS[2] inputs hash

  Returns the input JSON, or nil when the inbox is empty.
]]
local first = firstInput(KEYS[1], KEYS[2])
if not first then
  return nil
end
return first
