// The decision engine layer's decisions in Redis (REDIS_URL): every instance finds the decision a
// feedback refers to, whichever instance made it. A day's TTL, as the engine keeps its scoring context.
import type { DecisionContext, DecisionContextStore } from '../core/ports/decision-engine-store.ts';
import type { RedisConnections } from './redis-score-store.ts';

export function createRedisDecisionContexts(redis: RedisConnections, options: { prefix?: string; ttlSeconds?: number } = {}): DecisionContextStore {
  const prefix = options.prefix ?? 'junction:de:ctx:';
  const ttl = options.ttlSeconds ?? 86_400;
  return {
    async put(key, context) {
      await redis.writes.set(prefix + key, JSON.stringify(context), 'EX', ttl);
    },
    async get(key) {
      const raw = await redis.reads.get(prefix + key);
      return raw ? (JSON.parse(raw) as DecisionContext) : null;
    },
  };
}
