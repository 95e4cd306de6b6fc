--[[
  Shared by create.lua, delete.lua and set-setting.lua: scripts.ts puts this text in
  front of theirs when it loads them (Redis has no includes).

  refuseIfLate(deadline) returns an error reply when Redis runs the script
  after `deadline`, and nil otherwise. The deadline is the moment, in
  Redis's own clock (the store keeps the offset from its own), after which
  the app has given up on the command: a Redis that held it (stalled, not
  gone) and runs it later must change nothing, or a person told that it
  failed would have been told something untrue. "" means no deadline.
]]
local function refuseIfLate(deadline)
  if deadline == '' then
    return nil
  end
  local now = redis.call('TIME')
  if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(deadline) then
    return redis.error_reply('LATE ran after the app had given up on it')
  end
  return nil
end
