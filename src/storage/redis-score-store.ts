// Routing scores in Redis, so that several service instances route on one view. A decision reads
// every arm it needs with one MGET (and none while its short local cache is fresh); feedback is a
// WATCH / MULTI read-modify-write on a dedicated connection, serialised in-process and retried
// when another instance wrote the same arms first.
import { Redis } from 'ioredis';
import { parseArm, serializeArm, type ScoreStore } from '../routing/scoring/index.ts';
import type { ScoreSnapshot } from '../routing/scoring/types.ts';

export interface RedisScoreStoreOptions {
  /** Prefix of every key, e.g. `junction:sr:<merchant>:`. */
  prefix: string;
  /** How long a read may be served from memory (0: every decision reads Redis). */
  readCacheMs?: number;
  /** Arms expire when untouched this long (stale knowledge is worse than none). */
  ttlSeconds?: number;
  now?: () => number;
}

export interface RedisConnections {
  reads: Redis;
  writes: Redis;
}

export function connectRedis(url: string): RedisConnections {
  const options = { maxRetriesPerRequest: 2, enableAutoPipelining: true, lazyConnect: false };
  return { reads: new Redis(url, options), writes: new Redis(url, { ...options, enableAutoPipelining: false }) };
}

const MAX_UPDATE_RETRIES = 40;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RedisScoreStore implements ScoreStore {
  private readonly cache = new Map<string, { at: number; snapshot: ScoreSnapshot }>();
  private writeChain: Promise<unknown> = Promise.resolve();
  private readonly readCacheMs: number;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  /** Counters for the benchmark and tests. */
  readonly stats = { reads: 0, cacheHits: 0, writes: 0, conflicts: 0 };

  constructor(
    private readonly redis: RedisConnections,
    private readonly options: RedisScoreStoreOptions,
  ) {
    this.readCacheMs = options.readCacheMs ?? 200;
    this.ttlSeconds = options.ttlSeconds ?? 7 * 24 * 3600;
    this.now = options.now ?? Date.now;
  }

  private key(arm: string): string {
    return `${this.options.prefix}${arm}`;
  }

  async get(keys: readonly string[]): Promise<ScoreSnapshot> {
    const cacheKey = keys.join('\u0000');
    const cached = this.cache.get(cacheKey);
    if (cached && this.now() - cached.at < this.readCacheMs) {
      this.stats.cacheHits++;
      return cached.snapshot;
    }
    this.stats.reads++;
    const values = keys.length ? await this.redis.reads.mget(...keys.map((k) => this.key(k))) : [];
    const snapshot: ScoreSnapshot = {};
    values.forEach((text, i) => {
      if (text === null) return;
      const arm = parseArm(JSON.parse(text));
      if (arm) snapshot[keys[i]!] = arm;
    });
    if (this.readCacheMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(cacheKey, { at: this.now(), snapshot });
    }
    return snapshot;
  }

  update(keys: readonly string[], apply: (current: ScoreSnapshot) => ScoreSnapshot): Promise<void> {
    const run = this.writeChain.then(() => this.updateNow(keys, apply));
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  private async updateNow(keys: readonly string[], apply: (current: ScoreSnapshot) => ScoreSnapshot): Promise<void> {
    const redisKeys = keys.map((k) => this.key(k));
    const conn = this.redis.writes;
    for (let attempt = 0; attempt < MAX_UPDATE_RETRIES; attempt++) {
      await conn.watch(...redisKeys);
      const values = await conn.mget(...redisKeys);
      const current: ScoreSnapshot = {};
      values.forEach((text, i) => {
        if (text === null) return;
        const arm = parseArm(JSON.parse(text));
        if (arm) current[keys[i]!] = arm;
      });
      const next = apply(current);
      const multi = conn.multi();
      for (const key of keys) {
        const arm = next[key];
        if (arm) multi.set(this.key(key), serializeArm(arm), 'EX', this.ttlSeconds);
      }
      const result = await multi.exec();
      if (result !== null) {
        this.stats.writes++;
        this.cache.clear(); // this instance sees its own feedback at once
        return;
      }
      // Another instance wrote these arms between WATCH and EXEC: back off a random while, read again.
      this.stats.conflicts++;
      await pause(Math.random() * Math.min(20, 1 + attempt * 2));
    }
    throw new Error('Routing score update kept conflicting; dropped one outcome');
  }

  /** Deletes every key under the prefix (tests and resets). */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, found] = await this.redis.writes.scan(cursor, 'MATCH', `${this.options.prefix}*`, 'COUNT', 500);
      if (found.length) await this.redis.writes.del(...found);
      cursor = next;
    } while (cursor !== '0');
    this.cache.clear();
  }
}
