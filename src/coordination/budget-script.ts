/**
 * The dashboard's request budget as one Redis hash, changed only by this
 * script, so every process takes and returns slots atomically. Its rules
 * are RequestPacer's (src/heliactyl/pacer.ts): a fixed window that opens at
 * the first request after the last one closed, a margin of unused requests,
 * the dashboard's RateLimit-* headers trusted over the bot's own count, and
 * a 429 blocking everything until Retry-After. Time is Redis's own (TIME):
 * one clock for every process, so no process's clock ends a window early.
 *
 * KEYS[1] the hash; ARGV: op, limit, margin share, stretched window ms, then
 * per op: peek(slots) · observe(remaining, stretched reset ms, limit; '' = no headers) · block(stretched ms).
 * Sends in flight are counted across processes; a window that closes forgets
 * them, so a process that died mid-request leaks at most one window's slot.
 */
export const BUDGET_LUA = `
local key = KEYS[1]
local op = ARGV[1]
local limit = tonumber(ARGV[2])
local share = tonumber(ARGV[3])
local windowMs = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', key, 'endsAt', 'used', 'inflight', 'blockedUntil', 'serverLimit')
local endsAt = tonumber(h[1]) or 0
local used = tonumber(h[2]) or 0
local inflight = tonumber(h[3]) or 0
local blocked = tonumber(h[4]) or 0
local serverLimit = tonumber(h[5])
if endsAt <= now then
  endsAt = 0
  used = 0
  inflight = 0
end
local effective = limit
if serverLimit and serverLimit < effective then effective = serverLimit end
local cap = math.max(1, effective - math.floor(effective * share))
local function save()
  redis.call('HSET', key, 'endsAt', endsAt, 'used', used, 'inflight', inflight, 'blockedUntil', blocked,
    'serverLimit', serverLimit or '')
  redis.call('PEXPIRE', key, math.max(endsAt, blocked, now) - now + 86400000)
end
local blockedWait = math.max(0, blocked - now)
if op == 'acquire' then
  local wait = blockedWait
  if endsAt > 0 and used >= cap then wait = math.max(wait, endsAt - now) end
  if wait > 0 then return wait end
  if endsAt == 0 then endsAt = now + windowMs end
  used = used + 1
  inflight = inflight + 1
  save()
  return 0
elseif op == 'peek' then
  local slots = tonumber(ARGV[5])
  local remaining = cap - used
  if blockedWait > 0 then remaining = 0 end
  local wait = blockedWait
  if endsAt > 0 and cap - used < slots then wait = math.max(wait, endsAt - now, 1) end
  return { math.max(0, remaining), wait }
elseif op == 'observe' then
  inflight = math.max(0, inflight - 1)
  if ARGV[5] == '' then
    if endsAt > 0 and used > 0 then used = used - 1 end
  else
    local headerLimit = tonumber(ARGV[7])
    if headerLimit and headerLimit > 0 then serverLimit = headerLimit end
    used = math.max(0, (serverLimit or limit) - tonumber(ARGV[5])) + inflight
    endsAt = now + tonumber(ARGV[6])
  end
  save()
  return 0
elseif op == 'abandon' then
  inflight = math.max(0, inflight - 1)
  save()
  return 0
elseif op == 'block' then
  blocked = math.max(blocked, now + tonumber(ARGV[5]))
  save()
  return 0
end
return redis.error_reply('unknown op ' .. op)
`;
