--[[
  Removes the oldest outbox item, but only if it is the one the caller has
  just performed; a second worker that performed the same item finds another
  head and removes nothing.

  KEYS[1] outbox list
  ARGV[1] item id

  Returns 1 when the head was removed, 0 otherwise.
]]
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then
  return 0
end
local ok, item = pcall(cjson.decode, head)
if ok and type(item) == 'table' and item.id == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  return 1
end
return 0
