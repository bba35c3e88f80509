// The sign-in throttle's counters in Redis (REDIS_URL): atomic under concurrent attempts from two
// instances, and one view for both apps. Runs when REDIS_URL is set (npm run test:pg).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { createSignInThrottle } from '../../src/core/sessions/signin-throttle.ts';
import { createRedisSignInThrottleStore } from '../../src/storage/redis-signin-throttle-store.ts';
import { DEMO_USER_PASSWORD, startTestApp } from '../helpers/test-app.ts';

const url = process.env.REDIS_URL;
if (!url) throw new Error('test/redis needs REDIS_URL (it runs in `npm run test:pg`)');
const prefix = `junction-test:${randomBytes(4).toString('hex')}:`;

after(async () => {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

test('two instances counting 100 concurrent attempts on one pair admit exactly the budget', async () => {
  const one = createRedisSignInThrottleStore(url, { prefix });
  const two = createRedisSignInThrottleStore(url, { prefix });
  try {
    const clock = () => 1_700_000_000_000;
    const a = createSignInThrottle(one, { now: clock });
    const b = createSignInThrottle(two, { now: clock });
    const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).admit('victim@example.com', '198.51.100.9')));
    assert.equal(decisions.filter((d) => d.allowed).length, 5);
    const refused = decisions.filter((d) => !d.allowed);
    assert.equal(refused.length, 95);
    for (const d of refused) assert.ok(!d.allowed && d.retryAfterMs === 1_000);
    // A success from the pair (through either instance) clears it and trusts it.
    await a.succeeded('victim@example.com', '198.51.100.9');
    assert.deepEqual(await b.admit('victim@example.com', '198.51.100.9'), { allowed: true, trusted: true });
  } finally {
    await one.close();
    await two.close();
  }
});

test('two apps with REDIS_URL share the sign-in counters', async () => {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const first = await startTestApp({ redisUrl: url, demo: { userPassword: DEMO_USER_PASSWORD } }, { signInThrottle: { now, redisPrefix: prefix } });
  const second = await startTestApp({ redisUrl: url, demo: { userPassword: DEMO_USER_PASSWORD } }, { signInThrottle: { now, redisPrefix: prefix } });
  try {
    const login = (j: typeof first, password: string) =>
      j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'viewer@demo.junction.local', password }, remoteAddress: '203.0.113.99' });
    for (let i = 0; i < 5; i++) assert.equal((await login(first, 'wrong-password-123')).statusCode, 401);
    const refused = await login(second, DEMO_USER_PASSWORD);
    assert.equal(refused.statusCode, 429, refused.body);
    assert.equal(refused.headers['retry-after'], '1');
    clock += 1_000;
    assert.equal((await login(second, DEMO_USER_PASSWORD)).statusCode, 200);
  } finally {
    await first.close();
    await second.close();
  }
});
