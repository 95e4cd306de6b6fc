--[[
  Shared by outbox-done.lua, commit.lua and unlock.lua: scripts.ts puts this
  text in front of theirs when it loads them (Redis has no includes).

  Performed items come in ARGV from index `at`, the same way in every
  script: ARGV[at] ref name ("" for none), ARGV[at + 1] ref value,
  ARGV[at + 2] k, the number of item ids, ARGV[at + 3 .. at + 2 + k] the
  item ids, oldest first.

  removePerformed(outboxKey, refsKey, stateKey, retention, at) removes those
  items from the head of the outbox, in order, each only if it is the head
  then: a second worker that performed the same items finds another head
  and removes nothing. With a ref name, it also stores the message
  reference the items' post produced, in the same step, while the review
  exists (its state hash is there), so a crash cannot leave a posted
  question without the ref that later updates it. Returns the number of
  items removed and the index of the first ARGV after the items.
]]
local function removePerformed(outboxKey, refsKey, stateKey, retention, at)
  local refName, refValue = ARGV[at], ARGV[at + 1]
  local count = tonumber(ARGV[at + 2])
  local after = at + 3 + count
  local removed = 0
  for i = at + 3, after - 1 do
    local head = redis.call('LINDEX', outboxKey, 0)
    if not head then
      break
    end
    -- Items are written as {"id":...,"payload":...}: the prefix names the id without decoding a large message.
    local prefix = '{"id":' .. cjson.encode(ARGV[i]) .. ','
    local matches = string.sub(head, 1, #prefix) == prefix
    if not matches then
      local ok, item = pcall(cjson.decode, head)
      matches = ok and type(item) == 'table' and item.id == ARGV[i]
    end
    if not matches then
      break
    end
    redis.call('LPOP', outboxKey)
    removed = removed + 1
  end
  if refName ~= '' and redis.call('EXISTS', stateKey) == 1 then
    redis.call('HSET', refsKey, refName, refValue)
    redis.call('EXPIRE', refsKey, retention)
  end
  return removed, after
end
