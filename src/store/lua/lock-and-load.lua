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

  Returns nil when another worker holds the lock (nothing changed). Otherwise
  the lock is taken and the reply is
  { version, packed state, placement JSON, refs as a flat name/value list,
    outbox items oldest first, first queued input JSON or nil }
  where version, state and placement are nil when the review does not exist
  (the caller still releases the lock). The first input is read as peek.lua
  reads it.
]]
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return nil
end
local fields = redis.call('HMGET', KEYS[2], 'v', 'p')
local state = false
if fields[1] and fields[1] ~= ARGV[3] then
  state = redis.call('HGET', KEYS[2], 's')
end
local first = false
local head = redis.call('ZRANGE', KEYS[5], 0, 0)
if #head > 0 then
  local stored = redis.call('HGET', KEYS[6], string.sub(head[1], 16))
  if not stored then
    return redis.error_reply('inbox member without its input: ' .. head[1])
  end
  first = string.sub(stored, 16)
end
return { fields[1], state, fields[2], redis.call('HGETALL', KEYS[3]), redis.call('LRANGE', KEYS[4], 0, -1), first }
