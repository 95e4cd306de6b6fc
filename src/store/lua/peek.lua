--[[
  The oldest queued input of a review (lowest seq, then earliest queued),
  without removing it.

  KEYS[1] inbox zset   KEYS[2] inputs hash

  Returns the input JSON, or nil when the inbox is empty.
]]
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then
  return nil
end
local stored = redis.call('HGET', KEYS[2], string.sub(first[1], 16))
if not stored then
  return redis.error_reply('inbox member without its input: ' .. first[1])
end
return string.sub(stored, 16)
