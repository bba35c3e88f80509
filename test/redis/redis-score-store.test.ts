// Routing scores shared through Redis: two stores on separate connections (two service
// instances) see each other's feedback, concurrent feedback is never lost, and a decision
// reads Redis at most once (none while its cache is fresh). Runs when REDIS_URL is set (CI's
// PostgreSQL and Redis pass); `npm test` runs without any server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createScoringEngine } from '../../src/routing/scoring/index.ts';
import { connectRedis, RedisScoreStore, type RedisConnections } from '../../src/storage/redis-score-store.ts';

const url = process.env.REDIS_URL;
if (!url) throw new Error('test/redis needs REDIS_URL (it runs in `npm run test:pg`)');

const prefix = `junction:test:${randomBytes(4).toString('hex')}:`;
let a: RedisConnections;
let b: RedisConnections;
before(() => {
  a = connectRedis(url);
  b = connectRedis(url);
});
after(async () => {
  await new RedisScoreStore(a, { prefix }).clear();
  for (const c of [a, b]) {
    c.reads.disconnect();
    c.writes.disconnect();
  }
});

const segment = { paymentMethodType: 'CARD', paymentMethod: 'VISA', cardBrand: 'VISA', cardType: 'CREDIT', issuer: 'HDFC Bank', currency: 'INR', authType: null, amountMinor: 10000 };
const rng = { next: () => 0.5 };

test('two instances route on one view: an outage seen by one moves the other', async () => {
  const storeA = new RedisScoreStore(a, { prefix, readCacheMs: 0 });
  const storeB = new RedisScoreStore(b, { prefix, readCacheMs: 0 });
  const instanceA = createScoringEngine({ store: storeA });
  const instanceB = createScoringEngine({ store: storeB });
  const candidates = ['SIM_ALPHA', 'SIM_BETA'];
  const before = await instanceB.rank({ candidates, allEligible: candidates, mode: 'WITHIN_LOGIC', enforced: false, segment, nowMillis: 1_000_000, rng });
  assert.equal(before.gateways[0], 'SIM_ALPHA');
  // Instance A sees SIM_ALPHA fail twenty times in a row (technical errors count against it).
  for (let i = 0; i < 20; i++) {
    await instanceA.record({ gateway: 'SIM_ALPHA', segment, success: false, countsAgainstGateway: true, atMillis: 1_000_000 + i });
    await instanceA.record({ gateway: 'SIM_BETA', segment, success: true, countsAgainstGateway: true, atMillis: 1_000_000 + i });
  }
  const after = await instanceB.rank({ candidates, allEligible: candidates, mode: 'WITHIN_LOGIC', enforced: false, segment, nowMillis: 1_000_100, rng });
  assert.equal(after.gateways[0], 'SIM_BETA', 'instance B moved traffic away from the gateway instance A saw failing');
  const alpha = after.scores.find((s) => s.gateway === 'SIM_ALPHA');
  assert.equal(alpha?.health, 'DOWN');
});

test('concurrent feedback from two instances is never lost', async () => {
  const local = `${prefix}conc:`;
  const storeA = new RedisScoreStore(a, { prefix: local, readCacheMs: 0 });
  const storeB = new RedisScoreStore(b, { prefix: local, readCacheMs: 0 });
  const key = 'arm';
  const bump = (store: RedisScoreStore) =>
    store.update([key], (arms) => {
      const arm = arms[key] ?? { s: 0, f: 0, t: 0, cd: 0, ds: 0, df: 0, cu: 0, us: 0, uf: 0, r: 0, a: 0, h: 0 };
      arm.s += 1;
      arms[key] = arm;
      return arms;
    });
  await Promise.all(Array.from({ length: 50 }, (_, i) => bump(i % 2 ? storeA : storeB)));
  const snapshot = await new RedisScoreStore(a, { prefix: local, readCacheMs: 0 }).get([key]);
  assert.equal(snapshot[key]?.s, 50);
  await storeA.clear();
});

test('a decision costs one Redis read, and none while the read cache is fresh', async () => {
  let clock = 0;
  const store = new RedisScoreStore(a, { prefix, readCacheMs: 200, now: () => clock });
  const engine = createScoringEngine({ store });
  const candidates = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA'];
  await engine.rank({ candidates, allEligible: candidates, mode: 'WITHIN_LOGIC', enforced: false, segment, nowMillis: 1, rng });
  assert.deepEqual([store.stats.reads, store.stats.cacheHits], [1, 0]);
  clock = 100;
  await engine.rank({ candidates, allEligible: candidates, mode: 'WITHIN_LOGIC', enforced: false, segment, nowMillis: 2, rng });
  assert.deepEqual([store.stats.reads, store.stats.cacheHits], [1, 1]);
  clock = 500;
  await engine.rank({ candidates, allEligible: candidates, mode: 'WITHIN_LOGIC', enforced: false, segment, nowMillis: 3, rng });
  assert.deepEqual([store.stats.reads, store.stats.cacheHits], [2, 1]);
});
