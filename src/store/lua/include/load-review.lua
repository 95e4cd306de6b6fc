--[[
  Shared by peek.lua, commit.lua, lock-and-load.lua and enqueue.lua:
  scripts.ts puts this text in front of theirs when it loads them.

  firstInput(inboxKey, inputsKey) is the oldest queued input's JSON (lowest
  seq, then earliest queued: the zset member starts with a 15-digit
  counter), or false when the inbox is empty.

  loadReview(stateKey, refsKey, outboxKey, inboxKey, inputsKey, knownVersion, token)
  is what a drain starts from, read in one step with taking the lock:
  { version, packed state, placement JSON, refs as a flat name/value list,
    outbox items oldest first, first queued input JSON, taken over }
  where version, state and placement are nil when the review does not
  exist, the state is nil when the stored version is `knownVersion` (the
  caller holds that state already) and the first input is nil when none
  is queued.

  It also writes the lock's token into the state hash (field `h`), which
  the holder's release removes (commit.lua, unlock.lua). A token still
  there when the lock is taken again means the holder before never let go:
  its lease ran out (it died, or stalled past the lease). "Taken over" is
  then 1, else 0: the new holder looks in Slack for what the old one may
  have posted before it sends it again (src/reviews/posted-look.ts). The
  lock key alone cannot say this: an expired lease and a released lock
  both leave it absent.
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

local function loadReview(stateKey, refsKey, outboxKey, inboxKey, inputsKey, knownVersion, token)
  local fields = redis.call('HMGET', stateKey, 'v', 'p', 'h')
  local takenOver = 0
  if fields[1] then
    if fields[3] then
      takenOver = 1
    end
    redis.call('HSET', stateKey, 'h', token)
  end
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
    takenOver,
  }
end
