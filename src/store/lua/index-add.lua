--[[
  Indexes a new review in its team's slot: thread lookup, channel list and
  team list. Also refreshes the expiry of the team's settings, so a team that
  keeps running reviews keeps its settings.

  KEYS[1] thread string   KEYS[2] channel list zset   KEYS[3] team list zset
  KEYS[4] settings hash
  ARGV[1] review id
  ARGV[2] list score: start time in ms
  ARGV[3] index expiry in seconds

  Returns 1.
]]
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('EXPIRE', KEYS[4], ARGV[3])
return 1
