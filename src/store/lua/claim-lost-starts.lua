--[[
  Takes the starts noted before a time, oldest first, out of the index of
  starts in progress: each is taken once, so one replica tells its person.
  The caller then reads and deletes each start's own record (a team key,
  in another cluster slot than this index).

  KEYS[1] starts zset
  ARGV[1] noted before, in ms
  ARGV[2] most members to take

  Returns { member, member, … }.
]]
local lost = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #lost > 0 then
  redis.call('ZREM', KEYS[1], unpack(lost))
end
return lost
