--[[
  Claims the reminders due now, oldest first: each is moved to now + lease,
  so no other worker takes it while the lease runs, and it is due again once
  the lease has run out (its worker crashed before finishing it). Scripts
  run one at a time, so two workers never claim the same member.

  KEYS[1] reminders zset (or the jobs zset: the same leases, see keys.ts jobsKey)
  ARGV[1] now in ms
  ARGV[2] most members to claim
  ARGV[3] lease in ms

  Returns { lease as a string, member, member, … } (just { lease } when none is due).
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[3])
local leaseText = string.format('%d', lease)
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], leaseText, member)
end
local reply = { leaseText }
for _, member in ipairs(due) do
  reply[#reply + 1] = member
end
return reply
