// Velocity counters in Redis (when REDIS_URL is set): one sorted set per key, scored by event
// time, each member "<eventId>|<weight>". One Lua script prunes the expired events, sums the
// window and adds the event only when the sum stays within the limit: Redis runs it atomically,
// so concurrent attempts from any number of instances are counted exactly.
import type { Redis } from 'ioredis';
import type { BatchEntry, CheckAndAdd, VelocityStore } from '../risk/velocity-store.ts';

// KEYS[1] zset; ARGV: now, window, limit (or -1: no limit), weight, event id
const CHECK_AND_ADD = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local weight = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local total = 0
local seen = false
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for i = 1, #members do
  local m = members[i]
  local bar = string.find(m, '|[^|]*$')
  total = total + tonumber(string.sub(m, bar + 1))
  if string.sub(m, 1, bar - 1) == ARGV[5] then seen = true end
end
if seen then return {1, total} end
if limit >= 0 and total + weight > limit then return {0, total} end
redis.call('ZADD', KEYS[1], now, ARGV[5] .. '|' .. ARGV[4])
redis.call('PEXPIRE', KEYS[1], window + 1000)
return {1, total + weight}
`;

const TOTAL = `
local now = tonumber(ARGV[1])
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - tonumber(ARGV[2])), '+inf')
local total = 0
for i = 1, #members do
  local m = members[i]
  total = total + tonumber(string.sub(m, string.find(m, '|[^|]*$') + 1))
end
return total
`;

// KEYS: one zset per limit; ARGV: now, event id, then per key: window, limit, weight, blocking (1/0).
const CHECK_AND_ADD_ALL = `
local now = tonumber(ARGV[1])
local id = ARGV[2]
local n = #KEYS
local totals, seen, allowed = {}, {}, {}
local blocked = false
for k = 1, n do
  local base = 2 + (k - 1) * 4
  local window, limit, weight = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - window)
  local total, s = 0, false
  local members = redis.call('ZRANGE', KEYS[k], 0, -1)
  for i = 1, #members do
    local m = members[i]
    local bar = string.find(m, '|[^|]*$')
    total = total + tonumber(string.sub(m, bar + 1))
    if string.sub(m, 1, bar - 1) == id then s = true end
  end
  totals[k], seen[k] = total, s
  allowed[k] = s or (total + weight <= limit)
  if (not allowed[k]) and ARGV[base + 4] == '1' then blocked = true end
end
local out = {}
for k = 1, n do
  local base = 2 + (k - 1) * 4
  local window, weight = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 3])
  if (not blocked) and allowed[k] and not seen[k] then
    redis.call('ZADD', KEYS[k], now, id .. '|' .. ARGV[base + 3])
    redis.call('PEXPIRE', KEYS[k], window + 1000)
    totals[k] = totals[k] + weight
  end
  out[#out + 1] = allowed[k] and 1 or 0
  out[#out + 1] = totals[k]
end
return out
`;

// KEYS[1] block key; ARGV: until (epoch ms), ttl ms. Keeps the later end of two blocks.
const SET_BLOCK = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
`;

type Scripts = {
  riskCheckAndAddAll(...args: Array<string | number>): Promise<number[]>;
  riskCheckAndAdd(key: string, now: number, window: number, limit: number, weight: number, eventId: string): Promise<[number, number]>;
  riskTotal(key: string, now: number, window: number): Promise<number>;
  riskSetBlock(key: string, until: number, ttl: number): Promise<number>;
};

export class RedisVelocityStore implements VelocityStore {
  private readonly redis: Redis & Scripts;
  constructor(
    redis: Redis,
    private readonly prefix = 'junction:risk:',
  ) {
    // EVALSHA after the first call: the scripts are not sent with every attempt.
    redis.defineCommand('riskCheckAndAdd', { numberOfKeys: 1, lua: CHECK_AND_ADD });
    redis.defineCommand('riskCheckAndAddAll', { lua: CHECK_AND_ADD_ALL });
    redis.defineCommand('riskTotal', { numberOfKeys: 1, lua: TOTAL });
    redis.defineCommand('riskSetBlock', { numberOfKeys: 1, lua: SET_BLOCK });
    this.redis = redis as Redis & Scripts;
  }

  private async run(req: CheckAndAdd | (Omit<CheckAndAdd, 'limit'> & { limit: number })): Promise<{ allowed: boolean; total: number }> {
    const [allowed, total] = await this.redis.riskCheckAndAdd(this.key(req.key), req.nowMs, req.windowMs, req.limit, req.weight, req.eventId);
    return { allowed: allowed === 1, total: Number(total) };
  }

  checkAndAdd(req: CheckAndAdd) {
    return this.run(req);
  }

  async checkAndAddAll(entries: readonly BatchEntry[], nowMs: number, eventId: string) {
    if (entries.length === 0) return [];
    const args: Array<string | number> = [entries.length, ...entries.map((e) => this.key(e.key)), nowMs, eventId];
    for (const e of entries) args.push(e.windowMs, e.limit, e.weight, e.blocking ? '1' : '0');
    const flat = await this.redis.riskCheckAndAddAll(...args);
    return entries.map((_, i) => ({ allowed: flat[i * 2] === 1, total: Number(flat[i * 2 + 1]) }));
  }

  /**
   * The Redis key: the merchant id (the second field of our keys) as a hash tag, so one attempt's
   * keys share a cluster slot and one script may touch them all.
   */
  private key(key: string): string {
    return `${this.prefix}{${key.split('|')[1] ?? ''}}${key}`;
  }

  async add(req: Omit<CheckAndAdd, 'limit'>) {
    return (await this.run({ ...req, limit: -1 })).total;
  }

  async total(key: string, windowMs: number, nowMs: number) {
    return Number(await this.redis.riskTotal(this.key(key), nowMs, windowMs));
  }

  async setBlock(key: string, untilMs: number) {
    // Expiry on Redis's clock, generously: blockedUntil compares with the caller's clock.
    await this.redis.riskSetBlock(`${this.key(key)}:block`, untilMs, Math.max(60_000, untilMs - Date.now() + 60_000));
  }

  async blockedUntil(key: string, nowMs: number) {
    const v = await this.redis.get(`${this.key(key)}:block`);
    return v !== null && Number(v) > nowMs ? Number(v) : null;
  }

  /** Deletes every key under the prefix (tests). */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
