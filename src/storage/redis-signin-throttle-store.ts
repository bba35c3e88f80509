// Sign-in throttle counters in Redis (REDIS_URL), shared by every instance: one hash per key,
// changed with WATCH / MULTI on a dedicated connection (serialised in this process, retried when
// another instance changed the same keys first). Keys expire once they have nothing left to say.
import { Redis } from 'ioredis';
import { EMPTY_COUNTER, type SignInThrottleStore, type ThrottleCounter } from '../core/ports/signin-throttle-store.ts';

const MAX_RETRIES = 50;

export interface RedisSignInThrottleOptions {
  prefix?: string;
  /** Seconds a counter is kept after its last change (at least the decay and the longest delay). */
  ttlSeconds?: number;
}

export function createRedisSignInThrottleStore(url: string, options: RedisSignInThrottleOptions = {}): SignInThrottleStore & { close(): Promise<void> } {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: false });
  const prefix = options.prefix ?? 'junction:';
  const ttlSeconds = options.ttlSeconds ?? 31 * 24 * 3600;
  let chain: Promise<unknown> = Promise.resolve();

  const parse = (raw: string | null): ThrottleCounter => {
    if (!raw) return EMPTY_COUNTER;
    const v = JSON.parse(raw) as Partial<ThrottleCounter>;
    return { failures: Number(v.failures ?? 0), lastFailureAt: Number(v.lastFailureAt ?? 0), nextAllowedAt: Number(v.nextAllowedAt ?? 0), trustedUntil: Number(v.trustedUntil ?? 0) };
  };

  async function attempt<T>(keys: readonly string[], change: Parameters<SignInThrottleStore['update']>[1]): Promise<{ done: true; result: T } | { done: false }> {
    const full = keys.map((k) => prefix + k);
    await redis.watch(...full);
    const raw = await redis.mget(...full);
    const current = new Map<string, ThrottleCounter>(keys.map((k, i) => [k, parse(raw[i] ?? null)]));
    const { result, next } = change(current) as { result: T; next: ReadonlyMap<string, ThrottleCounter> };
    const multi = redis.multi();
    for (const [key, c] of next) multi.set(prefix + key, JSON.stringify(c), 'EX', ttlSeconds);
    const executed = await multi.exec();
    return executed === null ? { done: false } : { done: true, result };
  }

  return {
    update<T>(keys: readonly string[], change: Parameters<SignInThrottleStore['update']>[1]): Promise<T> {
      const run = async (): Promise<T> => {
        for (let i = 0; i < MAX_RETRIES; i++) {
          const r = await attempt<T>(keys, change);
          if (r.done) return r.result;
        }
        throw new Error('sign-in throttle: too much contention on Redis');
      };
      const p = chain.then(run, run);
      chain = p.catch(() => undefined);
      return p;
    },
    async purge() {
      return 0; // keys expire by themselves
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}
