// The velocity counter port on every adapter: in memory, the database (PGlite always, PostgreSQL
// when DATABASE_URL is set, in its own schema dropped afterwards) and Redis (when REDIS_URL is
// set, under its own key prefix deleted afterwards). Property tests: concurrent attempts on one
// card never pass the limit, and window totals match a reference model at the boundaries.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { MemoryVelocityStore, type VelocityStore } from '../risk/velocity-store.ts';
import { RedisVelocityStore } from './redis-velocity-store.ts';
import { migratedTestDatabases } from './test-databases.ts';
import { createDbVelocityStore } from './velocity-repository.ts';

interface Backend {
  name: string;
  open(): Promise<{ store: VelocityStore; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  { name: 'memory', open: async () => ({ store: new MemoryVelocityStore(), cleanup: async () => undefined }) },
  ...migratedTestDatabases('test_risk', { poolSize: 10 }).map(
    (database): Backend => ({
      name: database.name,
      async open() {
        const { db, cleanup } = await database.open();
        return { store: createDbVelocityStore(db), cleanup };
      },
    }),
  ),
];
const redisUrl = process.env.REDIS_URL;
backends.push({
  name: 'Redis',
  async open() {
    const redis = new Redis(redisUrl!, { maxRetriesPerRequest: 2 });
    const store = new RedisVelocityStore(redis, `junction:test:risk:${randomBytes(4).toString('hex')}:`);
    return {
      store,
      cleanup: async () => {
        await store.clear();
        redis.disconnect();
      },
    };
  },
});

let keySeq = 0;
const freshKey = () => `v|m_prop|lim|card_fingerprint|fp_${process.pid}_${keySeq++}`;

/** The reference: an event at t counts while now - t < window. */
function modelTotal(events: Array<{ at: number; weight: number }>, now: number, windowMs: number): number {
  return events.filter((e) => now - e.at < windowMs).reduce((s, e) => s + e.weight, 0);
}

for (const backend of backends) {
  const skip = backend.name === 'Redis' && !redisUrl ? 'REDIS_URL is not set' : false;
  describe(`velocity store on ${backend.name}`, { skip }, () => {
    let store: VelocityStore;
    let cleanup: () => Promise<void>;
    before(async () => ({ store, cleanup } = await backend.open()));
    after(async () => cleanup?.());
    const runs = backend.name === 'memory' ? 100 : 12;

    it('50 concurrent attempts on one card never pass the limit, and the count is exact', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.constantFrom<'count' | 'amount'>('count', 'amount'), async (limit, metric) => {
          const key = freshKey();
          const now = 1_800_000_000_000;
          const weight = metric === 'count' ? 1 : 700;
          const cap = metric === 'count' ? limit : limit * 700;
          const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => store.checkAndAdd({ key, windowMs: 60_000, limit: cap, weight, nowMs: now, eventId: `a${i}` })));
          const allowed = answers.filter((a) => a.allowed).length;
          assert.equal(allowed, Math.min(50, limit));
          assert.equal(await store.total(key, 60_000, now), Math.min(50, limit) * weight);
          for (const a of answers) assert.ok(a.total <= cap);
        }),
        { numRuns: runs },
      );
    });

    it('window totals match the model at the boundaries; over-limit events are not counted; a repeated event id counts once', async () => {
      const step = fc.record({ gap: fc.constantFrom(0, 1, 999, 1000, 1001, 4_999, 5_000), weight: fc.integer({ min: 1, max: 5 }), repeat: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 12 }), async (steps, limit) => {
          const key = freshKey();
          const windowMs = 5_000;
          const counted: Array<{ at: number; weight: number; id: string }> = [];
          let now = 1_800_000_000_000;
          let i = 0;
          for (const s of steps) {
            now += s.gap;
            const id = s.repeat && counted.length ? counted[counted.length - 1].id : `e${i++}`;
            const known = counted.find((c) => c.id === id && now - c.at < windowMs);
            const expectedTotal = modelTotal(counted, now, windowMs);
            const answer = await store.checkAndAdd({ key, windowMs, limit, weight: s.weight, nowMs: now, eventId: id });
            const expectAllowed = known !== undefined || expectedTotal + s.weight <= limit;
            assert.equal(answer.allowed, expectAllowed, `at +${now - 1_800_000_000_000} total ${expectedTotal} weight ${s.weight} limit ${limit}`);
            if (expectAllowed && !known) counted.push({ at: now, weight: s.weight, id });
            assert.equal(await store.total(key, windowMs, now), modelTotal(counted, now, windowMs));
            assert.equal(await store.total(key, windowMs, now + windowMs), 0, 'nothing counts a whole window later');
          }
        }),
        { numRuns: runs },
      );
    });

    it('add counts unconditionally and once per event; blocks hold until their end', async () => {
      const key = freshKey();
      const now = 1_800_000_000_000;
      assert.equal(await store.add({ key, windowMs: 1000, weight: 2, nowMs: now, eventId: 'x' }), 2);
      assert.equal(await store.add({ key, windowMs: 1000, weight: 2, nowMs: now + 1, eventId: 'x' }), 2);
      assert.equal(await store.add({ key, windowMs: 1000, weight: 3, nowMs: now + 999, eventId: 'y' }), 5);
      assert.equal(await store.total(key, 1000, now + 1000), 3);
      assert.equal(await store.blockedUntil(key, now), null);
      await store.setBlock(key, now + 5000);
      await store.setBlock(key, now + 1000); // an earlier end never shortens a block
      assert.equal(await store.blockedUntil(key, now + 4999), now + 5000);
      assert.equal(await store.blockedUntil(key, now + 5000), null);
    });

    it('checkAndAddAll: 50 concurrent attempts with several limits: the blocking limit is never passed, and a blocked attempt is counted nowhere', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), async (cardLimit, reviewLimit) => {
          const card = freshKey();
          const email = freshKey();
          const now = 1_800_000_000_000;
          const entries = [
            { key: card, windowMs: 60_000, limit: cardLimit, weight: 1, blocking: true },
            { key: email, windowMs: 60_000, limit: reviewLimit, weight: 1, blocking: false },
          ];
          const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => store.checkAndAddAll(entries, now, `b${i}`)));
          const passed = answers.filter((a) => a[0].allowed).length;
          assert.equal(passed, Math.min(50, cardLimit));
          assert.equal(await store.total(card, 60_000, now), Math.min(50, cardLimit));
          // Only attempts that passed the blocking limit reach the review limit; it counts up to its own limit.
          assert.equal(await store.total(email, 60_000, now), Math.min(passed, reviewLimit));
          assert.equal(answers.filter((a) => a[0].allowed && a[1].allowed).length, Math.min(passed, reviewLimit));
          // The same event again changes nothing.
          const again = await store.checkAndAddAll(entries, now, 'b0');
          if (answers[0][0].allowed) assert.equal(again[0].allowed, true, 'an event already counted is answered as allowed');
          assert.equal(await store.total(card, 60_000, now), Math.min(50, cardLimit));
        }),
        { numRuns: runs },
      );
    });

    it('keys of two merchants never share a count', async () => {
      const now = 1_800_000_000_000;
      const a = `v|m_a_${keySeq++}|lim|client_ip|203.0.113.7`;
      const b = `v|m_b_${keySeq++}|lim|client_ip|203.0.113.7`;
      assert.equal((await store.checkAndAdd({ key: a, windowMs: 60_000, limit: 1, weight: 1, nowMs: now, eventId: '1' })).allowed, true);
      assert.equal((await store.checkAndAdd({ key: a, windowMs: 60_000, limit: 1, weight: 1, nowMs: now, eventId: '2' })).allowed, false);
      assert.equal((await store.checkAndAdd({ key: b, windowMs: 60_000, limit: 1, weight: 1, nowMs: now, eventId: '1' })).allowed, true);
    });
  });
}
