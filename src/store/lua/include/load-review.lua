--[[
  Shared by peek.lua, commit.lua, lock-and-load.lua and enqueue.lua:
  scripts.ts puts this text in front of theirs when it loads them.

  firstInput(inboxKey, inputsKey) is the oldest queued input's JSON (lowest
  seq, then earliest queued: the zset member starts with a 15-digit
  counter), or false when the inbox is empty.

  loadReview(stateKey, refsKey, outboxKey, inboxKey, inputsKey, knownVersion)
  is what a drain starts from, read in one step with taking the lock:
  { version, packed state, placement JSON, refs as a flat name/value list,
    outbox items oldest first, first queued input JSON }
  where version, state and placement are nil when the review does not
  exist, the state is nil when the stored version is `knownVersion` (the
  caller holds that state already) and the first input is nil when none
  is queued.
]]
local function firstInput(inboxKey, inputsKey)
  local head = redis.call('ZRANGE', inboxKey, 0, 0)
  if #head == 0 then
    return false
  end
  local stored = redis.call('HGET', inputsKey, string.sub(head[1], 16))
  if not stored then
    error('inbox member without its input: ' .. head[1])
  end
  return string.sub(stored, 16)
end

local function loadReview(stateKey, refsKey, outboxKey, inboxKey, inputsKey, knownVersion)
  local fields = redis.call('HMGET', stateKey, 'v', 'p')
  local state = false
  if fields[1] and fields[1] ~= knownVersion then
    state = redis.call('HGET', stateKey, 's')
  end
  return {
    fields[1],
    state,
    fields[2],
    redis.call('HGETALL', refsKey),
    redis.call('LRANGE', outboxKey, 0, -1),
    firstInput(inboxKey, inputsKey),
  }
end
